import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { JsonValue } from '../../platform/db/schema.ts';
import { errorResponses } from '../../platform/http/schemas.ts';
import {
  KeyParams,
  PublicSettings,
  Setting,
  SettingChange,
  SettingList,
  SettingListQuery,
} from './schemas.ts';
import type { SettingsService } from './service.ts';

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
        operationId: 'getPublicSettings',
        tags,
        summary: 'The settings the public site may know (site title, languages, ...), by key; no sign-in',
        response: { 200: PublicSettings },
      },
    },
    () => settings.publicSettings(),
  );

  r.get(
    '/api/v1/settings',
    {
      config: read,
      schema: {
        operationId: 'listSettings',
        tags,
        summary: 'All settings, or one category’s; sensitive values masked',
        querystring: SettingListQuery,
        response: { 200: SettingList, ...errorResponses(400, 401, 403) },
      },
    },
    (request) => settings.listView(request.query.category),
  );

  r.get(
    '/api/v1/settings/:key',
    {
      config: read,
      schema: {
        operationId: 'getSetting',
        tags,
        summary: 'One setting; a sensitive value masked',
        params: KeyParams,
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
        operationId: 'updateSetting',
        tags,
        summary: 'Change a setting (send the version you read)',
        description:
          'The value must fit the data_type and the validation_rules (a JSON schema): otherwise 400 ' +
          '`settings.invalid_value` with the reasons in details. A stale version answers 409 ' +
          '`conflict.stale_version`. A sensitive value is sent in clear and stored encrypted.',
        params: KeyParams,
        body: SettingChange,
        response: { 200: Setting, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    (request) =>
      settings.set(request.params.key, request.body.value as JsonValue, request.body.version, request.actor),
  );
}
