import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { pageOf } from '../../platform/http/pagination.ts';
import { errorResponses } from '../../platform/http/schemas.ts';
import { AuditEntry, AuditQuery } from './schemas.ts';
import type { AuditService } from './service.ts';

export function auditRoutes(app: FastifyInstance, audit: AuditService): void {
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    '/api/v1/audit-logs',
    {
      config: { access: { permission: 'audit.read' } },
      schema: {
        operationId: 'listAuditLogs',
        tags: ['audit'],
        summary: 'The audit trail, newest first, filtered and paginated',
        description:
          'Row changes (INSERT, UPDATE, DELETE, SOFT_DELETE, RESTORE) and events (LOGIN, LOGIN_FAILED, LOCKOUT, ' +
          'LOGOUT, PASSWORD_RESET, ...). Secrets never appear in old_values or new_values.',
        querystring: AuditQuery,
        response: { 200: pageOf(AuditEntry), ...errorResponses(400, 401, 403) },
      },
    },
    (request) => audit.list(request.query),
  );
}
