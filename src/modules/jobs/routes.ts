import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { pageOf } from '../../platform/http/pagination.ts';
import { errorResponses } from '../../platform/http/schemas.ts';
import { FailedJob, FailedQuery, JobParams, QueueList, Requeued } from './schemas.ts';
import type { JobsAdminService } from './service.ts';

export function jobRoutes(app: FastifyInstance, service: JobsAdminService): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['jobs'];
  const config = { access: { permission: 'settings.manage' as const } };

  r.get(
    '/api/v1/jobs/queues',
    {
      config,
      schema: {
        operationId: 'listJobQueues',
        tags,
        summary: 'The background queues and how many jobs each holds per state',
        response: { 200: QueueList, ...errorResponses(401, 403) },
      },
    },
    () => service.queues(),
  );

  r.get(
    '/api/v1/jobs/failed',
    {
      config,
      schema: {
        operationId: 'listFailedJobs',
        tags,
        summary: 'Jobs that failed for good (every retry used), newest first',
        querystring: FailedQuery,
        response: { 200: pageOf(FailedJob), ...errorResponses(400, 401, 403) },
      },
    },
    (request) => service.failed(request.query),
  );

  r.post(
    '/api/v1/jobs/:queue/:id/retry',
    {
      config,
      schema: {
        operationId: 'retryJob',
        tags,
        summary: 'Run a failed job again (its retry count starts over)',
        params: JobParams,
        response: { 202: Requeued, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) =>
      reply.status(202).send(await service.retry(request.params.queue, request.params.id)),
  );
}
