import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { pageOf } from '../../platform/http/pagination.ts';
import { errorResponses } from '../../platform/http/schemas.ts';
import { authOf } from '../identity/index.ts';
import { MailEntry, OutboxQuery } from './schemas.ts';
import type { OutboxService } from './service.ts';

export function outboxRoutes(app: FastifyInstance, outbox: OutboxService): void {
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    '/api/v1/outbox',
    {
      config: { access: { permission: 'settings.manage' } },
      schema: {
        operationId: 'listOutboxMails',
        tags: ['mail'],
        summary: 'Mail the product has sent or kept (the outbox, when no SMTP server is configured)',
        description: 'Password-setting links are shown to super admins only; others see them redacted.',
        querystring: OutboxQuery,
        response: { 200: pageOf(MailEntry), ...errorResponses(400, 401, 403) },
      },
    },
    (request) => outbox.list(authOf(request), request.query),
  );
}
