import type { Kysely, Transaction, Updateable } from 'kysely';
import { writeTransaction, type AuditActor } from '../../platform/audit/context.ts';
import type { Clock } from '../../platform/clock.ts';
import { isUniqueViolation } from '../../platform/db/errors.ts';
import type { Consultants, DB } from '../../platform/db/schema.ts';
import { assertThat, platformError, staleVersion, type ErrorDetail } from '../../platform/http/errors.ts';
import type { Page } from '../../platform/http/pagination.ts';
import { iso } from '../../platform/http/schemas.ts';
import { resolveLanguage, type Locale } from '../../platform/i18n/index.ts';
import { isTimeZone } from '../../platform/time-zone.ts';
import type { AuthContext } from '../identity/index.ts';
import { consultantError } from './errors.ts';
import {
  findConsultant,
  findPublicConsultant,
  insertConsultant,
  listConsultants,
  listPublicConsultants,
  lockConsultantRow,
  updateConsultant,
  type ConsultantRow,
  type PublicConsultantRow,
} from './repository.ts';
import {
  WEEKDAY_KEYS,
  type ConsultantCreate,
  type ConsultantFields,
  type ConsultantListQuery,
  type ConsultantPatch,
  type ConsultantView,
  type Holiday,
  type PublicConsultant,
  type WorkingHours,
} from './schemas.ts';

export interface ConsultantsDeps {
  db: Kysely<DB>;
  clock: Clock;
  /** The media library's answer: the type of a live medium, read through the caller's transaction. */
  mediaMimeType: (id: string, executor: Kysely<DB>) => Promise<string | undefined>;
}

const JSON_FIELDS = new Set(['biography', 'working_hours', 'holidays']);

/** The photo path the media library serves a file under. */
const MEDIA_PHOTO =
  /^\/api\/v1\/media\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/file$/i;

export const mediaPhotoUrl = (id: string) => `/api/v1/media/${id}/file`;

const rating = (value: string | number | null) => (value === null ? null : Number(value));

function toView(row: ConsultantRow): ConsultantView {
  return {
    ...row,
    biography: row.biography as ConsultantView['biography'],
    working_hours: row.working_hours as ConsultantView['working_hours'],
    holidays: row.holidays as ConsultantView['holidays'],
    average_rating: rating(row.average_rating),
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
    deleted_at: iso(row.deleted_at),
  };
}

function toPublic(row: PublicConsultantRow, lang: Locale): PublicConsultant {
  const fallbacks: string[] = [];
  const biography =
    row.biography === null ? null : resolveLanguage(row.biography, lang, fallbacks, 'biography');
  return {
    ...row,
    biography: typeof biography === 'string' ? biography : null,
    average_rating: rating(row.average_rating),
    fallbacks,
  };
}

function invalid(details: ErrorDetail[]): Error {
  return platformError(
    'validation.failed',
    { summary: details.map((d) => `${d.field ?? ''} ${d.message}`).join('; ') },
    details,
  );
}

/** "HH:MM" → minutes since midnight (24:00 → 1440). */
function minutes(time: string): number {
  const [h, m] = time.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** What the schema cannot say: per day start < end, sorted by start, not overlapping. */
export function checkWorkingHours(hours: WorkingHours | null | undefined): void {
  if (!hours) return;
  const details: ErrorDetail[] = [];
  for (const day of WEEKDAY_KEYS) {
    const ranges = hours[day] ?? [];
    let previousEnd = -1;
    ranges.forEach((range, index) => {
      const field = `working_hours.${day}.${String(index)}`;
      const start = minutes(range.start);
      const end = minutes(range.end);
      if (start >= end) {
        details.push({ field, code: 'range', message: 'start must be before end' });
      } else if (start < previousEnd) {
        details.push({
          field,
          code: 'overlap',
          message: 'ranges must be sorted by start and must not overlap the previous one',
        });
      }
      previousEnd = Math.max(previousEnd, end);
    });
  }
  if (details.length > 0) throw invalid(details);
}

/** Every holiday from <= to (ISO dates compare as text). */
export function checkHolidays(holidays: Holiday[] | null | undefined): void {
  if (!holidays) return;
  const details: ErrorDetail[] = [];
  holidays.forEach((holiday, index) => {
    if (holiday.from > holiday.to) {
      details.push({
        field: `holidays.${String(index)}`,
        code: 'range',
        message: 'from must not be after to',
      });
    }
  });
  if (details.length > 0) throw invalid(details);
}

/** Checks that need no database: time zone, schedule order, holiday ranges, one photo source. */
function checkFields(fields: ConsultantFields): void {
  if (fields.timezone !== undefined && !isTimeZone(fields.timezone)) {
    throw platformError(
      'validation.failed',
      { summary: `timezone "${fields.timezone}" is not an IANA time zone` },
      [
        {
          field: 'body.timezone',
          code: 'timezone',
          message: 'must be an IANA time zone such as Europe/Berlin',
        },
      ],
    );
  }
  checkWorkingHours(fields.working_hours);
  checkHolidays(fields.holidays);
  if (fields.photo_media_id !== undefined && fields.photo_url !== undefined) {
    throw platformError('validation.failed', { summary: 'photo_media_id and photo_url both given' }, [
      { field: 'photo_media_id', code: 'exclusive', message: 'give either photo_media_id or photo_url' },
    ]);
  }
}

export class ConsultantsService {
  constructor(private readonly deps: ConsultantsDeps) {}

  private get db() {
    return this.deps.db;
  }

  // ----- admin reading ---------------------------------------------------------------------------------------

  list(query: ConsultantListQuery): Promise<Page<ConsultantView>> {
    return listConsultants(this.db, query, toView);
  }

  async get(id: string): Promise<ConsultantView> {
    const row = await findConsultant(this.db, id);
    assertThat(row, () => consultantError('consultants.not_found'));
    return toView(row);
  }

  // ----- public reading --------------------------------------------------------------------------------------

  listPublic(query: {
    lang: Locale;
    language?: 'en' | 'de' | undefined;
    page: number;
    per_page: number;
  }): Promise<Page<PublicConsultant>> {
    return listPublicConsultants(this.db, query, (row) => toPublic(row, query.lang));
  }

  async getPublic(id: string, lang: Locale): Promise<PublicConsultant> {
    const row = await findPublicConsultant(this.db, id);
    assertThat(row, () => consultantError('consultants.not_found'));
    return toPublic(row, lang);
  }

  // ----- writing ---------------------------------------------------------------------------------------------

  private async lock(trx: Transaction<DB>, id: string): Promise<ConsultantRow> {
    const row = await lockConsultantRow(trx, id);
    assertThat(row, () => consultantError('consultants.not_found'));
    return row;
  }

  private async lockLive(
    trx: Transaction<DB>,
    id: string,
    version: number | undefined,
  ): Promise<ConsultantRow> {
    const row = await this.lock(trx, id);
    assertThat(!row.deleted_at, () => consultantError('consultants.not_found'));
    if (version !== undefined && row.version !== version) throw staleVersion(row.version);
    return row;
  }

  /** A photo from the library must be a live image; its URL is the media file route. */
  private async checkPhotoMedia(db: Kysely<DB>, mediaId: string, field: string): Promise<void> {
    const mime = await this.deps.mediaMimeType(mediaId, db);
    if (mime === undefined || !mime.startsWith('image/')) {
      throw consultantError('consultants.photo_invalid', { id: mediaId }, [
        {
          field,
          code: mime !== undefined ? 'not_image' : 'media_not_found',
          message: mime !== undefined ? 'is not an image' : 'no live media file',
        },
      ]);
    }
  }

  /** The columns a create or patch sets; the photo resolved; JSON values serialized. */
  private async columnsOf(db: Kysely<DB>, fields: ConsultantFields): Promise<Updateable<Consultants>> {
    const changes: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(fields as Record<string, unknown>)) {
      if (value === undefined || key === 'version' || key === 'photo_media_id') continue;
      if (JSON_FIELDS.has(key) && value !== null) changes[key] = JSON.stringify(value);
      else changes[key] = value;
    }
    if (fields.photo_media_id !== undefined) {
      await this.checkPhotoMedia(db, fields.photo_media_id, 'photo_media_id');
      changes['photo_url'] = mediaPhotoUrl(fields.photo_media_id.toLowerCase());
    } else if (typeof fields.photo_url === 'string') {
      const media = MEDIA_PHOTO.exec(fields.photo_url);
      if (media?.[1]) await this.checkPhotoMedia(db, media[1], 'photo_url');
    }
    if (typeof changes['email'] === 'string') changes['email'] = changes['email'].trim();
    return changes;
  }

  private async withEmailCheck<T>(email: string | undefined, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (isUniqueViolation(error, 'uq_consultants_email')) {
        throw consultantError('consultants.email_taken', { email: email ?? '' });
      }
      throw error;
    }
  }

  async create(auth: AuthContext, input: ConsultantCreate, actor: AuditActor): Promise<ConsultantView> {
    checkFields(input);
    return this.withEmailCheck(input.email, () =>
      writeTransaction(this.db, actor, async (trx) => {
        const columns = await this.columnsOf(trx, input);
        const row = await insertConsultant(trx, {
          ...columns,
          first_name: input.first_name,
          last_name: input.last_name,
          email: input.email.trim(),
          created_by: auth.user.id,
          updated_by: auth.user.id,
        });
        return toView(row);
      }),
    );
  }

  async update(
    auth: AuthContext,
    id: string,
    patch: ConsultantPatch,
    actor: AuditActor,
  ): Promise<ConsultantView> {
    checkFields(patch);
    return this.withEmailCheck(patch.email, () =>
      writeTransaction(this.db, actor, async (trx) => {
        await this.lockLive(trx, id, patch.version);
        const changes = await this.columnsOf(trx, patch);
        if (Object.keys(changes).length > 0) {
          await updateConsultant(trx, id, { ...changes, updated_by: auth.user.id });
        }
        return toView(await this.lock(trx, id));
      }),
    );
  }

  /** Soft delete: into the trash, restorable; the slots API stops offering times. */
  async remove(auth: AuthContext, id: string, version: number | undefined, actor: AuditActor): Promise<void> {
    await writeTransaction(this.db, actor, async (trx) => {
      await this.lockLive(trx, id, version);
      await updateConsultant(trx, id, { deleted_at: this.deps.clock(), updated_by: auth.user.id });
    });
  }

  /** Back from the trash; 409 consultants.email_taken when a live consultant has taken the address meanwhile. */
  async restore(auth: AuthContext, id: string, actor: AuditActor): Promise<ConsultantView> {
    let email = '';
    try {
      return await writeTransaction(this.db, actor, async (trx) => {
        const row = await this.lock(trx, id);
        email = row.email;
        assertThat(row.deleted_at, () => consultantError('consultants.not_deleted'));
        await updateConsultant(trx, id, { deleted_at: null, updated_by: auth.user.id });
        return toView(await this.lock(trx, id));
      });
    } catch (error) {
      if (isUniqueViolation(error, 'uq_consultants_email')) {
        throw consultantError('consultants.email_taken', { email });
      }
      throw error;
    }
  }
}
