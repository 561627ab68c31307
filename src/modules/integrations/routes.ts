import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { pageOf } from '../../platform/http/pagination.ts';
import { errorResponses } from '../../platform/http/schemas.ts';
import { authOf } from '../identity/index.ts';
import { LogEntry, LogParams, LogQuery, RetryOutcome } from './schemas.ts';
import type { IntegrationsService } from './service.ts';

export function integrationRoutes(app: FastifyInstance, service: IntegrationsService): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['integrations'];
  const config = { access: { permission: 'settings.manage' as const } };

  r.get(
    '/api/v1/integration-logs',
    {
      config,
      schema: {
        operationId: 'listIntegrationLogs',
        tags,
        summary:
          'Calls to Odoo and Google Calendar, one entry per attempt, newest first; filtered, paginated',
        querystring: LogQuery,
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
        operationId: 'getIntegrationLog',
        tags,
        summary: 'One integration log entry',
        params: LogParams,
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
        operationId: 'retryIntegrationLog',
        tags,
        summary:
          'Run a failed operation again (Odoo search-before-create or write; Calendar insert, patch, delete)',
        description:
          'Re-runs the operation from the entry’s stored input with the current connection settings. Only ' +
          'operations that are safe to repeat can be retried: an Odoo export searches before it creates, a ' +
          'Calendar insert is keyed by its request id. Every call is logged with retry_of set to this entry; a ' +
          'failure answers 502 naming the correlation id of those calls.',
        params: LogParams,
        response: { 200: RetryOutcome, ...errorResponses(400, 401, 403, 404, 409, 422, 502) },
      },
    },
    (request) => service.retry(authOf(request), request.params.id),
  );
}
