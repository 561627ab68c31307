import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import Type from 'typebox';
import type { DB } from '../../platform/db/schema.ts';
import { fetchPage, pageOf, pageQuery } from '../../platform/http/pagination.ts';
import { errorResponses } from '../../platform/http/schemas.ts';
import { authOf } from '../identity/guard.ts';

const Status = Type.Union([
  Type.Literal('queued'),
  Type.Literal('sent'),
  Type.Literal('failed'),
  Type.Literal('outbox'),
]);
const Nullable = Type.Union([Type.String(), Type.Null()]);

const MailEntry = Type.Object({
  id: Type.String({ format: 'uuid' }),
  recipient: Type.String(),
  subject: Type.String(),
  text_body: Type.String(),
  html_body: Nullable,
  language: Type.String(),
  template: Nullable,
  status: Type.String(),
  message_id: Nullable,
  error: Nullable,
  created_at: Type.String({ format: 'date-time' }),
  sent_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

/** Links that let their holder set someone's password; only super admins see them in the outbox. */
function redactTokens(body: string): string {
  return body.replace(/([?&]token=)[A-Za-z0-9_%-]+/g, '$1[redacted]');
}

export function outboxRoutes(app: FastifyInstance, db: Kysely<DB>): void {
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    '/api/v1/outbox',
    {
      config: { access: { permission: 'settings.manage' } },
      schema: {
        tags: ['mail'],
        summary: 'Mail the product has sent or kept (the outbox, when no SMTP server is configured)',
        description: 'Password-setting links are shown to super admins only; others see them redacted.',
        querystring: Type.Object({
          status: Type.Optional(Status),
          recipient: Type.Optional(Type.String({ maxLength: 255 })),
          ...pageQuery({ default: 25, max: 100 }),
        }),
        response: { 200: pageOf(MailEntry), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const q = request.query;
      const showLinks = authOf(request).user.role === 'super_admin';
      let base = db.selectFrom('mail_outbox');
      const { status, recipient } = q;
      if (status) base = base.where('status', '=', status);
      if (recipient)
        base = base.where((eb) => eb(eb.fn('lower', ['recipient']), '=', recipient.toLowerCase()));
      return fetchPage(
        base.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc'),
        base.select((eb) => eb.fn.countAll<number>().as('n')),
        q,
        (row) => ({
          ...row,
          text_body: showLinks ? row.text_body : redactTokens(row.text_body),
          html_body: row.html_body === null || showLinks ? row.html_body : redactTokens(row.html_body),
          created_at: row.created_at.toISOString(),
          sent_at: row.sent_at?.toISOString() ?? null,
        }),
      );
    },
  );
}
