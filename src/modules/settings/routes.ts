import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import type { JsonValue } from '../../platform/db/schema.ts';
import { errorResponses } from '../../platform/http/schemas.ts';
import type { SettingsService } from './service.ts';
import { MASK } from './validate.ts';

const Key = Type.Object({
  key: Type.String({ pattern: '^[A-Za-z0-9_.-]{1,100}$', description: 'e.g. booking.min_notice_hours' }),
});

const Setting = Type.Object({
  key: Type.String(),
  value: Type.Unknown({ description: `The value; a sensitive one is shown as "${MASK}" once set` }),
  data_type: Type.Union([
    Type.Literal('string'),
    Type.Literal('number'),
    Type.Literal('boolean'),
    Type.Literal('json'),
    Type.Literal('array'),
  ]),
  category: Type.Union([Type.String(), Type.Null()]),
  description: Type.Object({ en: Type.String(), de: Type.String() }),
  is_public: Type.Boolean({ description: 'Served without sign-in by GET /api/v1/settings/public' }),
  is_sensitive: Type.Boolean({ description: 'Stored encrypted, shown masked, kept out of the audit trail' }),
  is_set: Type.Boolean({ description: 'Whether a value is stored (not null)' }),
  validation_rules: Type.Unknown({ description: 'The JSON schema a value must satisfy, or null' }),
  default_value: Type.Unknown(),
  version: Type.Integer({ description: 'Send it back with a change; a stale one answers 409' }),
  updated_at: Type.String({ format: 'date-time' }),
  updated_by: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
});

export function settingsRoutes(app: FastifyInstance, settings: SettingsService): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['settings'];
  const read = { access: { permission: 'settings.read' as const } };
  const manage = { access: { permission: 'settings.manage' as const } };

  r.get(
    '/api/v1/settings/public',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'The settings the public site may know (site title, languages, ...), by key; no sign-in',
        response: { 200: Type.Record(Type.String(), Type.Unknown()) },
      },
    },
    () => settings.publicSettings(),
  );

  r.get(
    '/api/v1/settings',
    {
      config: read,
      schema: {
        tags,
        summary: 'All settings, or one category’s; sensitive values masked',
        querystring: Type.Object({
          category: Type.Optional(Type.String({ maxLength: 50, description: 'e.g. booking, odoo, google' })),
        }),
        response: { 200: Type.Object({ items: Type.Array(Setting) }), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => ({ items: await settings.list(request.query.category) }),
  );

  r.get(
    '/api/v1/settings/:key',
    {
      config: read,
      schema: {
        tags,
        summary: 'One setting; a sensitive value masked',
        params: Key,
        response: { 200: Setting, ...errorResponses(400, 401, 403, 404) },
      },
    },
    (request) => settings.view(request.params.key),
  );

  r.put(
    '/api/v1/settings/:key',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Change a setting (send the version you read)',
        description:
          'The value must fit the data_type and the validation_rules (a JSON schema): otherwise 400 ' +
          '`settings.invalid_value` with the reasons in details. A stale version answers 409 ' +
          '`conflict.stale_version`. A sensitive value is sent in clear and stored encrypted.',
        params: Key,
        body: Type.Object(
          {
            value: Type.Unknown({ description: 'The new value (null only where the rules allow it)' }),
            version: Type.Integer({ minimum: 1, description: 'The version you read' }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Setting, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    (request) =>
      settings.set(request.params.key, request.body.value as JsonValue, request.body.version, request.actor),
  );
}
