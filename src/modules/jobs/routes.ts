import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import Type from 'typebox';
import type { DB } from '../../platform/db/schema.ts';
import { pageOf, pageQuery } from '../../platform/http/pagination.ts';
import { errorResponses } from '../../platform/http/schemas.ts';
import type { Jobs } from '../../platform/jobs/index.ts';
import { jobError } from './errors.ts';

const Counts = Type.Object({
  created: Type.Integer(),
  retry: Type.Integer(),
  active: Type.Integer(),
  completed: Type.Integer(),
  cancelled: Type.Integer(),
  failed: Type.Integer(),
});

const Queue = Type.Object({
  name: Type.String(),
  retry_limit: Type.Integer(),
  retry_delay: Type.Integer({ description: 'Seconds before the first retry; doubled for each further one' }),
  counts: Counts,
});

const FailedJob = Type.Object({
  id: Type.String({ format: 'uuid' }),
  queue: Type.String(),
  data: Type.Unknown(),
  error: Type.Union([Type.String(), Type.Null()]),
  retry_count: Type.Integer(),
  created_on: Type.String({ format: 'date-time' }),
  completed_on: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

export function jobRoutes(app: FastifyInstance, db: Kysely<DB>, jobs: Jobs): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['jobs'];
  const config = { access: { permission: 'settings.manage' as const } };

  r.get(
    '/api/v1/jobs/queues',
    {
      config,
      schema: {
        tags,
        summary: 'The background queues and how many jobs each holds per state',
        response: { 200: Type.Object({ items: Type.Array(Queue) }), ...errorResponses(401, 403) },
      },
    },
    async () => ({ items: await jobs.summary(db) }),
  );

  r.get(
    '/api/v1/jobs/failed',
    {
      config,
      schema: {
        tags,
        summary: 'Jobs that failed for good (every retry used), newest first',
        querystring: Type.Object({
          queue: Type.Optional(Type.String({ maxLength: 100 })),
          ...pageQuery({ default: 25, max: 100 }),
        }),
        response: { 200: pageOf(FailedJob), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => ({ ...(await jobs.failed(db, request.query)), ...request.query }),
  );

  r.post(
    '/api/v1/jobs/:queue/:id/retry',
    {
      config,
      schema: {
        tags,
        summary: 'Run a failed job again (its retry count starts over)',
        params: Type.Object({ queue: Type.String({ maxLength: 100 }), id: Type.String({ format: 'uuid' }) }),
        response: {
          202: Type.Object({ status: Type.Literal('queued') }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const { queue, id } = request.params;
      if (!jobs.queueNames().includes(queue) || !(await jobs.retry(queue, id))) {
        throw jobError('jobs.not_failed');
      }
      return reply.status(202).send({ status: 'queued' as const });
    },
  );
}
