import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import Type from 'typebox';
import type { DB } from '../../platform/db/schema.ts';
import { fetchPage, pageOf, pageQuery } from '../../platform/http/pagination.ts';
import { errorResponses } from '../../platform/http/schemas.ts';

const Uuid = Type.String({ format: 'uuid' });
const NullableString = Type.Union([Type.String(), Type.Null()]);
const AnyJson = Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]);

const AuditEntry = Type.Object({
  id: Uuid,
  event_type: Type.String(),
  table_name: NullableString,
  record_id: Type.Union([Uuid, Type.Null()]),
  user_id: Type.Union([Uuid, Type.Null()]),
  user_email: NullableString,
  session_id: Type.Union([Uuid, Type.Null()]),
  ip_address: NullableString,
  user_agent: NullableString,
  request_id: Type.Union([Uuid, Type.Null()]),
  old_values: AnyJson,
  new_values: AnyJson,
  changed_fields: Type.Union([Type.Array(Type.String()), Type.Null()]),
  description: NullableString,
  metadata: AnyJson,
  created_at: Type.String({ format: 'date-time' }),
});

export function auditRoutes(app: FastifyInstance, db: Kysely<DB>): void {
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    '/api/v1/audit-logs',
    {
      config: { access: { permission: 'audit.read' } },
      schema: {
        tags: ['audit'],
        summary: 'The audit trail, newest first, filtered and paginated',
        description:
          'Row changes (INSERT, UPDATE, DELETE, SOFT_DELETE, RESTORE) and events (LOGIN, LOGIN_FAILED, LOCKOUT, ' +
          'LOGOUT, PASSWORD_RESET, ...). Secrets never appear in old_values or new_values.',
        querystring: Type.Object({
          table_name: Type.Optional(Type.String({ maxLength: 100 })),
          record_id: Type.Optional(Uuid),
          user_id: Type.Optional(Type.String({ format: 'uuid', description: 'Who acted' })),
          event_type: Type.Optional(
            Type.Array(Type.String({ maxLength: 50 }), {
              maxItems: 20,
              description: 'One or more, e.g. ?event_type=LOGIN&event_type=LOGOUT',
            }),
          ),
          from: Type.Optional(Type.String({ format: 'date-time', description: 'Inclusive' })),
          to: Type.Optional(Type.String({ format: 'date-time', description: 'Exclusive' })),
          ...pageQuery({ default: 50, max: 200 }),
        }),
        response: { 200: pageOf(AuditEntry), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const q = request.query;
      let base = db.selectFrom('audit_logs');
      if (q.table_name) base = base.where('table_name', '=', q.table_name);
      if (q.record_id) base = base.where('record_id', '=', q.record_id);
      if (q.user_id) base = base.where('user_id', '=', q.user_id);
      if (q.event_type?.length) base = base.where('event_type', 'in', q.event_type);
      if (q.from) base = base.where('created_at', '>=', new Date(q.from));
      if (q.to) base = base.where('created_at', '<', new Date(q.to));
      return fetchPage(
        base.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc'),
        base.select((eb) => eb.fn.countAll<number>().as('n')),
        q,
        (row) => ({
          ...row,
          old_values: row.old_values as Record<string, unknown> | null,
          new_values: row.new_values as Record<string, unknown> | null,
          metadata: row.metadata as Record<string, unknown> | null,
          created_at: row.created_at.toISOString(),
        }),
      );
    },
  );
}
