import Type, { type Static } from 'typebox';
import { pageQuery } from '../../platform/http/pagination.ts';
import { NullableString, Timestamp, Uuid } from '../../platform/http/schemas.ts';

const NullableUuid = Type.Union([Uuid, Type.Null()]);
const AnyJson = Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]);

export const AuditEntry = Type.Object({
  id: Uuid,
  event_type: Type.String(),
  table_name: NullableString,
  record_id: NullableUuid,
  user_id: NullableUuid,
  user_email: NullableString,
  session_id: NullableUuid,
  ip_address: NullableString,
  user_agent: NullableString,
  request_id: NullableUuid,
  old_values: AnyJson,
  new_values: AnyJson,
  changed_fields: Type.Union([Type.Array(Type.String()), Type.Null()]),
  description: NullableString,
  metadata: AnyJson,
  created_at: Timestamp,
});
export type AuditEntry = Static<typeof AuditEntry>;

export const AuditQuery = Type.Object({
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
});
export type AuditQuery = Static<typeof AuditQuery>;
