import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { pageOf, pageQuery } from '../../platform/http/pagination.ts';
import { errorResponses } from '../../platform/http/schemas.ts';
import { settingsConfigs } from '../../platform/integrations/config.ts';
import { authOf } from '../identity/guard.ts';
import { IntegrationsService, type IntegrationsDeps } from './service.ts';

const Uuid = Type.String({ format: 'uuid' });
const NullableString = Type.Union([Type.String(), Type.Null()]);
const NullableUuid = Type.Union([Uuid, Type.Null()]);
const Status = Type.Union([
  Type.Literal('success'),
  Type.Literal('error'),
  Type.Literal('timeout'),
  Type.Literal('cancelled'),
]);

const LogEntry = Type.Object({
  id: Uuid,
  integration_name: Type.String({ description: 'odoo, google_calendar, smtp' }),
  operation: Type.String({
    description: 'The call, e.g. crm.lead.create, authenticate, events.insert, token',
  }),
  direction: Type.String(),
  endpoint: NullableString,
  request_data: Type.Unknown({ description: 'Method, headers and body as sent, secrets redacted' }),
  response_data: Type.Unknown({ description: 'Status and body as answered, secrets redacted' }),
  status: Type.String(),
  error_message: NullableString,
  error_code: NullableString,
  started_at: Type.String({ format: 'date-time' }),
  completed_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  duration_ms: Type.Union([Type.Integer(), Type.Null()]),
  triggered_by: NullableUuid,
  related_table: NullableString,
  related_id: NullableUuid,
  attempt: Type.Integer({ description: 'Which attempt of one call this row is (1, 2, ...)' }),
  correlation_id: NullableUuid,
  idempotency_key: NullableString,
  retry_of: Type.Union([Uuid, Type.Null()], { description: 'The failed entry an admin retried' }),
  retryable: Type.Boolean({
    description: 'Whether POST /api/v1/integration-logs/:id/retry can run it again',
  }),
});

export function integrationRoutes(
  app: FastifyInstance,
  deps: Pick<IntegrationsDeps, 'db'> & Partial<IntegrationsDeps>,
): void {
  const service = new IntegrationsService({ configs: settingsConfigs(deps.db), ...deps });
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['integrations'];
  const config = { access: { permission: 'settings.manage' as const } };

  r.get(
    '/api/v1/integration-logs',
    {
      config,
      schema: {
        tags,
        summary:
          'Calls to Odoo and Google Calendar, one entry per attempt, newest first; filtered, paginated',
        querystring: Type.Object({
          integration_name: Type.Optional(Type.String({ maxLength: 50 })),
          status: Type.Optional(Status),
          operation: Type.Optional(Type.String({ maxLength: 50 })),
          related_table: Type.Optional(Type.String({ maxLength: 100 })),
          related_id: Type.Optional(Uuid),
          correlation_id: Type.Optional(
            Type.String({ format: 'uuid', description: 'Every call of one operation run' }),
          ),
          retry_of: Type.Optional(
            Type.String({ format: 'uuid', description: 'The calls of retries of one entry' }),
          ),
          from: Type.Optional(
            Type.String({ format: 'date-time', description: 'Started at or after (inclusive)' }),
          ),
          to: Type.Optional(Type.String({ format: 'date-time', description: 'Started before (exclusive)' })),
          ...pageQuery({ default: 50, max: 200 }),
        }),
        response: { 200: pageOf(LogEntry), ...errorResponses(400, 401, 403) },
      },
    },
    (request) => service.list(request.query),
  );

  r.get(
    '/api/v1/integration-logs/:id',
    {
      config,
      schema: {
        tags,
        summary: 'One integration log entry',
        params: Type.Object({ id: Uuid }),
        response: { 200: LogEntry, ...errorResponses(400, 401, 403, 404) },
      },
    },
    (request) => service.get(request.params.id),
  );

  r.post(
    '/api/v1/integration-logs/:id/retry',
    {
      config,
      schema: {
        tags,
        summary:
          'Run a failed operation again (Odoo search-before-create or write; Calendar insert, patch, delete)',
        description:
          'Re-runs the operation from the entry’s stored input with the current connection settings. Only ' +
          'operations that are safe to repeat can be retried: an Odoo export searches before it creates, a ' +
          'Calendar insert is keyed by its request id. Every call is logged with retry_of set to this entry; a ' +
          'failure answers 502 naming the correlation id of those calls.',
        params: Type.Object({ id: Uuid }),
        response: {
          200: Type.Object({
            retry_of: Uuid,
            correlation_id: Uuid,
            result: Type.Unknown({
              description: 'What the operation answered, e.g. {"id": 42, "created": false}',
            }),
            logs: Type.Array(LogEntry),
          }),
          ...errorResponses(400, 401, 403, 404, 409, 422, 502),
        },
      },
    },
    (request) => service.retry(authOf(request), request.params.id),
  );
}
