import Type, { type Static } from 'typebox';
import { NullableString, Timestamp, Uuid } from '../../platform/http/schemas.ts';

/** What a stored sensitive value is shown as; sending it back is refused, so it never replaces the secret. */
export const MASK = '••••';

export const DataType = Type.Union([
  Type.Literal('string'),
  Type.Literal('number'),
  Type.Literal('boolean'),
  Type.Literal('json'),
  Type.Literal('array'),
]);
export type DataType = Static<typeof DataType>;

export const KeyParams = Type.Object({
  key: Type.String({ pattern: '^[A-Za-z0-9_.-]{1,100}$', description: 'e.g. booking.min_notice_hours' }),
});

/** A setting as the API shows it: a sensitive value (and default) masked. */
export const Setting = Type.Object({
  key: Type.String(),
  value: Type.Unknown({ description: `The value; a sensitive one is shown as "${MASK}" once set` }),
  data_type: DataType,
  category: NullableString,
  description: Type.Object({ en: Type.String(), de: Type.String() }),
  is_public: Type.Boolean({ description: 'Served without sign-in by GET /api/v1/settings/public' }),
  is_sensitive: Type.Boolean({ description: 'Stored encrypted, shown masked, kept out of the audit trail' }),
  is_set: Type.Boolean({ description: 'Whether a value is stored (not null)' }),
  validation_rules: Type.Unknown({ description: 'The JSON schema a value must satisfy, or null' }),
  default_value: Type.Unknown(),
  version: Type.Integer({ description: 'Send it back with a change; a stale one answers 409' }),
  updated_at: Timestamp,
  updated_by: Type.Union([Uuid, Type.Null()]),
});
export type SettingView = Static<typeof Setting>;

export const SettingList = Type.Object({ items: Type.Array(Setting) });

export const PublicSettings = Type.Record(Type.String(), Type.Unknown());

export const SettingListQuery = Type.Object({
  category: Type.Optional(Type.String({ maxLength: 50, description: 'e.g. booking, odoo, google' })),
});

export const SettingChange = Type.Object(
  {
    value: Type.Unknown({ description: 'The new value (null only where the rules allow it)' }),
    version: Type.Integer({ minimum: 1, description: 'The version you read' }),
  },
  { additionalProperties: false },
);
