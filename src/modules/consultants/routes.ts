import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { pageOf, pageQuery } from '../../platform/http/pagination.ts';
import { errorResponses } from '../../platform/http/schemas.ts';
import { negotiateLocale, type Locale } from '../../platform/i18n/index.ts';
import { authOf } from '../identity/guard.ts';
import {
  BiographySchema,
  HolidaysSchema,
  LanguageSchema,
  TimeRangeSchema,
  WorkingHoursSchema,
  HolidaySchema,
} from './schemas.ts';
import { ConsultantsService, type ConsultantsDeps } from './service.ts';

const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Uuid = Type.String({ format: 'uuid' });
const Version = Type.Integer({ minimum: 1, description: 'The version you read; a stale one answers 409' });
const Name = Type.String({ minLength: 1, maxLength: 100 });
const Email = Type.String({ minLength: 3, maxLength: 255, format: 'email' });
const HttpsUrl = Type.String({ maxLength: 500, format: 'uri', pattern: '^https://' });
const PhotoUrl = Type.String({
  maxLength: 500,
  pattern: '^(https://\\S+|/api/v1/media/[0-9a-fA-F-]{36}/file)$',
  description: 'An https URL, or the file of a live image of the media library (/api/v1/media/<id>/file)',
});
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) =>
  Type.Optional(Type.Union([t, Type.Null()]));
const Languages = Type.Array(LanguageSchema, {
  minItems: 1,
  maxItems: 2,
  uniqueItems: true,
  description: 'Languages the consultant consults in (en, de)',
});
const Lang = Type.Union([Type.Literal('en'), Type.Literal('de')], {
  description: 'The language to answer in; without it, the best match of Accept-Language (else en)',
});
const Time = Type.String({ format: 'date-time' });

const Fields = {
  title: Nullable(Type.String({ maxLength: 200 })),
  phone: Nullable(Type.String({ maxLength: 50 })),
  photo_url: Nullable(PhotoUrl),
  photo_media_id: Type.Optional(
    Type.String({
      format: 'uuid',
      description: 'A live image of the media library; stored as photo_url /api/v1/media/<id>/file',
    }),
  ),
  biography: Nullable(BiographySchema),
  expertise: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 50 })),
  linkedin_url: Nullable(HttpsUrl),
  languages: Type.Optional(Languages),
  timezone: Type.Optional(
    Type.String({ minLength: 1, maxLength: 50, description: 'IANA time zone, e.g. Europe/Berlin' }),
  ),
  is_online: Type.Optional(Type.Boolean()),
  is_accepting_bookings: Type.Optional(Type.Boolean()),
  working_hours: Nullable(WorkingHoursSchema),
  holidays: Nullable(HolidaysSchema),
  google_calendar_id: Nullable(Type.String({ minLength: 1, maxLength: 255 })),
  odoo_partner_id: Nullable(Type.Integer({ minimum: 1, maximum: 2_147_483_647 })),
};

const NullableString = Type.Union([Type.String(), Type.Null()]);

const ConsultantSchema = Type.Object({
  id: Uuid,
  first_name: Type.String(),
  last_name: Type.String(),
  title: NullableString,
  email: Type.String(),
  phone: NullableString,
  photo_url: NullableString,
  biography: Type.Union([
    Type.Object({ en: Type.Optional(Type.String()), de: Type.Optional(Type.String()) }),
    Type.Null(),
  ]),
  expertise: Type.Array(Type.String()),
  linkedin_url: NullableString,
  languages: Type.Array(Type.String()),
  timezone: Type.String(),
  is_online: Type.Boolean(),
  is_accepting_bookings: Type.Boolean(),
  working_hours: Type.Union([Type.Record(Type.String(), Type.Array(TimeRangeSchema)), Type.Null()]),
  holidays: Type.Union([Type.Array(HolidaySchema), Type.Null()]),
  google_calendar_id: NullableString,
  odoo_partner_id: Type.Union([Type.Integer(), Type.Null()]),
  total_bookings: Type.Integer({ description: 'Completed meetings; kept by the bookings, read-only' }),
  average_rating: Type.Union([Type.Number(), Type.Null()], {
    description: 'Mean client rating of completed meetings; kept by the bookings, read-only',
  }),
  created_at: Time,
  updated_at: Time,
  created_by: Uuid,
  updated_by: Uuid,
  deleted_at: Type.Union([Time, Type.Null()]),
  version: Type.Integer(),
});

const PublicConsultantSchema = Type.Object({
  id: Uuid,
  first_name: Type.String(),
  last_name: Type.String(),
  title: NullableString,
  photo_url: NullableString,
  biography: Type.Union([Type.String(), Type.Null()], { description: 'In `lang` (see fallbacks)' }),
  expertise: Type.Array(Type.String()),
  languages: Type.Array(Type.String()),
  linkedin_url: NullableString,
  timezone: Type.String(),
  is_online: Type.Boolean(),
  is_accepting_bookings: Type.Boolean(),
  average_rating: Type.Union([Type.Number(), Type.Null()]),
  total_bookings: Type.Integer(),
  fallbacks: Type.Array(Type.String(), {
    description: 'Fields with no text in `lang`, given in the other language instead (e.g. ["biography"])',
  }),
});

/** ?lang= wins; else Accept-Language decides, and the answer says it varies by it. */
function languageOf(request: FastifyRequest, reply: FastifyReply): Locale {
  const { lang } = request.query as { lang?: Locale };
  if (lang) return lang;
  void reply.header('vary', 'accept-language');
  return negotiateLocale(request.headers['accept-language']);
}

export function consultantRoutes(app: FastifyInstance, deps: ConsultantsDeps): void {
  const consultants = new ConsultantsService(deps);
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['consultants'];
  const read = { access: { permission: 'consultants.read' as const } };
  const manage = { access: { permission: 'consultants.manage' as const } };

  r.get(
    '/api/v1/consultants',
    {
      config: read,
      schema: {
        tags,
        summary: 'List consultants (search, language, accepting bookings, trash), paginated',
        querystring: Type.Object({
          q: Type.Optional(
            Type.String({ maxLength: 200, description: 'Part of the name, e-mail or an expertise' }),
          ),
          language: Type.Optional(LanguageSchema),
          is_accepting_bookings: Type.Optional(Type.Boolean()),
          deleted: Type.Optional(
            Type.Union([Type.Literal('exclude'), Type.Literal('include'), Type.Literal('only')], {
              default: 'exclude',
              description: '"only" is the trash',
            }),
          ),
          ...pageQuery({ default: 25, max: 100 }),
        }),
        response: { 200: pageOf(ConsultantSchema), ...errorResponses(400, 401, 403) },
      },
    },
    (request) => consultants.list(request.query),
  );

  r.post(
    '/api/v1/consultants',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Create a consultant',
        body: Type.Object(
          { first_name: Name, last_name: Name, email: Email, ...Fields },
          { additionalProperties: false },
        ),
        response: { 201: ConsultantSchema, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await consultants.create(authOf(request), request.body, request.actor)),
  );

  r.get(
    '/api/v1/consultants/:id',
    {
      config: read,
      schema: {
        tags,
        summary: 'One consultant (deleted ones too)',
        params: Id,
        response: { 200: ConsultantSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    (request) => consultants.get(request.params.id),
  );

  r.patch(
    '/api/v1/consultants/:id',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Change a consultant (send the version you read)',
        params: Id,
        body: Type.Object(
          {
            version: Version,
            first_name: Type.Optional(Name),
            last_name: Type.Optional(Name),
            email: Type.Optional(Email),
            ...Fields,
          },
          { additionalProperties: false },
        ),
        response: { 200: ConsultantSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    (request) => consultants.update(authOf(request), request.params.id, request.body, request.actor),
  );

  r.delete(
    '/api/v1/consultants/:id',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Delete a consultant (soft: into the trash, restorable)',
        params: Id,
        querystring: Type.Object({ version: Type.Optional(Version) }),
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await consultants.remove(authOf(request), request.params.id, request.query.version, request.actor);
      return reply.status(204).send(null);
    },
  );

  r.post(
    '/api/v1/consultants/:id/restore',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Bring a consultant back from the trash (409 when the e-mail is taken meanwhile)',
        params: Id,
        response: { 200: ConsultantSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    (request) => consultants.restore(authOf(request), request.params.id, request.actor),
  );

  const publicTags = ['public'];

  r.get(
    '/api/v1/public/consultants',
    {
      config: { access: 'public' },
      schema: {
        tags: publicTags,
        summary: 'Consultants a visitor may see (not deleted), biography in one language',
        querystring: Type.Object({
          lang: Type.Optional(Lang),
          language: Type.Optional(LanguageSchema),
          ...pageQuery({ default: 25, max: 100 }),
        }),
        response: { 200: pageOf(PublicConsultantSchema), ...errorResponses(400) },
      },
    },
    (request, reply) =>
      consultants.listPublic({
        lang: languageOf(request, reply),
        language: request.query.language,
        page: request.query.page,
        per_page: request.query.per_page,
      }),
  );

  r.get(
    '/api/v1/public/consultants/:id',
    {
      config: { access: 'public' },
      schema: {
        tags: publicTags,
        summary: 'One consultant a visitor may see, biography in one language',
        params: Id,
        querystring: Type.Object({ lang: Type.Optional(Lang) }),
        response: { 200: PublicConsultantSchema, ...errorResponses(400, 404) },
      },
    },
    (request, reply) => consultants.getPublic(request.params.id, languageOf(request, reply)),
  );
}
