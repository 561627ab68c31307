import Type, { type Static } from 'typebox';
import { pageOf, pageQuery } from '../../platform/http/pagination.ts';
import {
  LocalizedText,
  LocalizedTextInput,
  NullableString,
  NullableTimestamp,
  Timestamp,
  Uuid,
  Version,
} from '../../platform/http/schemas.ts';

/**
 * The shapes of `consultants.working_hours` and `consultants.holidays`. The slots engine
 * (src/modules/availability) reads exactly these from the table:
 *
 *   working_hours: { "mon": [{ "start": "09:00", "end": "12:00" }, …], … }  keys mon..sun, each optional;
 *                  local times (HH:MM, 24h; "24:00" only as an end) in the consultant's IANA `timezone`;
 *                  per day sorted by start, start < end, not overlapping (touching is fine).
 *   holidays:      [{ "from": "2026-12-24", "to": "2026-12-26", "note"?: "…" }]  dates inclusive, in the
 *                  consultant's zone, from <= to.
 */

export const WEEKDAY_KEYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

const HHMM = '([01][0-9]|2[0-3]):[0-5][0-9]';

export const TimeRangeSchema = Type.Object(
  {
    start: Type.String({ pattern: `^${HHMM}$`, description: 'HH:MM, 24h, local time' }),
    end: Type.String({ pattern: `^(${HHMM}|24:00)$`, description: 'HH:MM, 24h, local time; 24:00 allowed' }),
  },
  { additionalProperties: false },
);
export type TimeRange = Static<typeof TimeRangeSchema>;

const Day = Type.Optional(Type.Array(TimeRangeSchema, { maxItems: 24 }));
export const WorkingHoursSchema = Type.Object(
  { mon: Day, tue: Day, wed: Day, thu: Day, fri: Day, sat: Day, sun: Day },
  {
    additionalProperties: false,
    description:
      'Weekly schedule in the consultant’s time zone: keys mon..sun (each optional), each a list of ' +
      '{start, end} (HH:MM, end may be 24:00), sorted, start < end, not overlapping',
  },
);
export type WorkingHours = Static<typeof WorkingHoursSchema>;

export const HolidaySchema = Type.Object(
  {
    from: Type.String({
      format: 'date',
      description: 'First day off (YYYY-MM-DD), in the consultant’s zone',
    }),
    to: Type.String({ format: 'date', description: 'Last day off, inclusive; not before from' }),
    note: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type Holiday = Static<typeof HolidaySchema>;

export const HolidaysSchema = Type.Array(HolidaySchema, { maxItems: 500 });

export const LanguageSchema = Type.Union([Type.Literal('en'), Type.Literal('de')]);
export const BiographySchema = LocalizedTextInput(10_000);

// ----- inputs --------------------------------------------------------------------------------------------------

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

/** The fields a create and a patch may set (names and e-mail aside). */
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

export const ConsultantCreateSchema = Type.Object(
  { first_name: Name, last_name: Name, email: Email, ...Fields },
  { additionalProperties: false },
);
export type ConsultantCreate = Static<typeof ConsultantCreateSchema>;

export const ConsultantPatchSchema = Type.Object(
  {
    version: Version,
    first_name: Type.Optional(Name),
    last_name: Type.Optional(Name),
    email: Type.Optional(Email),
    ...Fields,
  },
  { additionalProperties: false },
);
export type ConsultantPatch = Static<typeof ConsultantPatchSchema>;

/** What a create or a patch sets. */
export type ConsultantFields = Partial<ConsultantCreate>;

export const ConsultantListQuerySchema = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200, description: 'Part of the name, e-mail or an expertise' })),
  language: Type.Optional(LanguageSchema),
  is_accepting_bookings: Type.Optional(Type.Boolean()),
  deleted: Type.Optional(
    Type.Union([Type.Literal('exclude'), Type.Literal('include'), Type.Literal('only')], {
      default: 'exclude',
      description: '"only" is the trash',
    }),
  ),
  ...pageQuery({ default: 25, max: 100 }),
});
export type ConsultantListQuery = Static<typeof ConsultantListQuerySchema>;

export const DeleteQuerySchema = Type.Object({ version: Type.Optional(Version) });

const Lang = Type.Union([Type.Literal('en'), Type.Literal('de')], {
  description: 'The language to answer in; without it, the best match of Accept-Language (else en)',
});

export const PublicListQuerySchema = Type.Object({
  lang: Type.Optional(Lang),
  language: Type.Optional(LanguageSchema),
  ...pageQuery({ default: 25, max: 100 }),
});
export type PublicListQuery = Static<typeof PublicListQuerySchema>;

export const PublicGetQuerySchema = Type.Object({ lang: Type.Optional(Lang) });

// ----- answers -------------------------------------------------------------------------------------------------

export const ConsultantSchema = Type.Object({
  id: Uuid,
  first_name: Type.String(),
  last_name: Type.String(),
  title: NullableString,
  email: Type.String(),
  phone: NullableString,
  photo_url: NullableString,
  biography: Type.Union([LocalizedText, Type.Null()]),
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
  created_at: Timestamp,
  updated_at: Timestamp,
  created_by: Uuid,
  updated_by: Uuid,
  deleted_at: NullableTimestamp,
  version: Type.Integer(),
});
export type ConsultantView = Static<typeof ConsultantSchema>;
export const ConsultantPageSchema = pageOf(ConsultantSchema);

/** What a visitor sees: no contact data, integration ids or schedule internals. */
export const PublicConsultantSchema = Type.Object({
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
export type PublicConsultant = Static<typeof PublicConsultantSchema>;
export const PublicConsultantPageSchema = pageOf(PublicConsultantSchema);
