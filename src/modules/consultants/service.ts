import { sql, type Kysely, type Selectable, type Transaction, type Updateable } from 'kysely';
import { writeTransaction, type AuditActor } from '../../platform/audit/context.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Consultants, DB } from '../../platform/db/schema.ts';
import { staleVersion, platformError } from '../../platform/http/errors.ts';
import { fetchPage, type Page } from '../../platform/http/pagination.ts';
import type { Locale } from '../../platform/i18n/index.ts';
import type { AuthContext } from '../identity/service.ts';
import { checkTimeZone } from '../users/service.ts';
import { resolveLanguage } from '../public/pages.ts';
import { checkHolidays, checkWorkingHours, type Holiday, type WorkingHours } from './schemas.ts';
import { containsPattern, isUniqueViolation } from '../../platform/db/errors.ts';
import { consultantError } from './errors.ts';

export interface ConsultantsDeps {
  db: Kysely<DB>;
  clock: Clock;
}

export interface Biography {
  en: string;
  de?: string | undefined;
}

export interface ConsultantFields {
  first_name?: string | undefined;
  last_name?: string | undefined;
  title?: string | null | undefined;
  email?: string | undefined;
  phone?: string | null | undefined;
  photo_url?: string | null | undefined;
  photo_media_id?: string | undefined;
  biography?: Biography | null | undefined;
  expertise?: string[] | undefined;
  linkedin_url?: string | null | undefined;
  languages?: ('en' | 'de')[] | undefined;
  timezone?: string | undefined;
  is_online?: boolean | undefined;
  is_accepting_bookings?: boolean | undefined;
  working_hours?: WorkingHours | null | undefined;
  holidays?: Holiday[] | null | undefined;
  google_calendar_id?: string | null | undefined;
  odoo_partner_id?: number | null | undefined;
}

export interface ConsultantCreate extends ConsultantFields {
  first_name: string;
  last_name: string;
  email: string;
}

export interface ConsultantPatch extends ConsultantFields {
  version: number;
}

export interface ConsultantListQuery {
  q?: string | undefined;
  language?: 'en' | 'de' | undefined;
  is_accepting_bookings?: boolean | undefined;
  deleted?: 'exclude' | 'include' | 'only' | undefined;
  page: number;
  per_page: number;
}

export interface ConsultantView {
  id: string;
  first_name: string;
  last_name: string;
  title: string | null;
  email: string;
  phone: string | null;
  photo_url: string | null;
  biography: Biography | null;
  expertise: string[];
  linkedin_url: string | null;
  languages: string[];
  timezone: string;
  is_online: boolean;
  is_accepting_bookings: boolean;
  working_hours: WorkingHours | null;
  holidays: Holiday[] | null;
  google_calendar_id: string | null;
  odoo_partner_id: number | null;
  total_bookings: number;
  average_rating: number | null;
  created_at: string;
  updated_at: string;
  created_by: string;
  updated_by: string;
  deleted_at: string | null;
  version: number;
}

/** What a visitor sees: no contact data, integration ids or schedule internals. */
export interface PublicConsultant {
  id: string;
  first_name: string;
  last_name: string;
  title: string | null;
  photo_url: string | null;
  biography: string | null;
  expertise: string[];
  languages: string[];
  linkedin_url: string | null;
  timezone: string;
  is_online: boolean;
  is_accepting_bookings: boolean;
  average_rating: number | null;
  total_bookings: number;
  fallbacks: string[];
}

const COLUMNS = [
  'id',
  'first_name',
  'last_name',
  'title',
  'email',
  'phone',
  'photo_url',
  'biography',
  'expertise',
  'linkedin_url',
  'languages',
  'timezone',
  'is_online',
  'is_accepting_bookings',
  'working_hours',
  'holidays',
  'google_calendar_id',
  'odoo_partner_id',
  'total_bookings',
  'average_rating',
  'created_at',
  'updated_at',
  'created_by',
  'updated_by',
  'deleted_at',
  'version',
] as const;

const PUBLIC_COLUMNS = [
  'id',
  'first_name',
  'last_name',
  'title',
  'photo_url',
  'biography',
  'expertise',
  'languages',
  'linkedin_url',
  'timezone',
  'is_online',
  'is_accepting_bookings',
  'average_rating',
  'total_bookings',
] as const;

type Row = Pick<Selectable<Consultants>, (typeof COLUMNS)[number]>;
type PublicRow = Pick<Selectable<Consultants>, (typeof PUBLIC_COLUMNS)[number]>;

const JSON_FIELDS = new Set(['biography', 'working_hours', 'holidays']);

/** The photo path the media library serves a file under. */
const MEDIA_PHOTO =
  /^\/api\/v1\/media\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/file$/i;

export const mediaPhotoUrl = (id: string) => `/api/v1/media/${id}/file`;

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const rating = (value: string | number | null) => (value === null ? null : Number(value));

function toView(row: Row): ConsultantView {
  return {
    ...row,
    biography: row.biography as unknown as Biography | null,
    working_hours: row.working_hours as unknown as WorkingHours | null,
    holidays: row.holidays as unknown as Holiday[] | null,
    average_rating: rating(row.average_rating),
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    deleted_at: iso(row.deleted_at),
  };
}

function toPublic(row: PublicRow, lang: Locale): PublicConsultant {
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

function isEmailViolation(error: unknown): boolean {
  return isUniqueViolation(error, 'uq_consultants_email');
}

/** Checks that need no database: time zone, schedule order, holiday ranges, one photo source. */
function checkFields(fields: ConsultantFields): void {
  checkTimeZone(fields.timezone);
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

  async list(query: ConsultantListQuery): Promise<Page<ConsultantView>> {
    let base = this.db.selectFrom('consultants');
    const deleted = query.deleted ?? 'exclude';
    if (deleted === 'exclude') base = base.where('deleted_at', 'is', null);
    if (deleted === 'only') base = base.where('deleted_at', 'is not', null);
    if (query.language) base = base.where(sql<boolean>`${query.language} = ANY(languages)`);
    if (query.is_accepting_bookings !== undefined)
      base = base.where('is_accepting_bookings', '=', query.is_accepting_bookings);
    if (query.q) {
      const like = containsPattern(query.q.trim());
      base = base.where((eb) =>
        eb.or([
          eb('email', 'ilike', like),
          eb('first_name', 'ilike', like),
          eb('last_name', 'ilike', like),
          sql<boolean>`(first_name || ' ' || last_name) ILIKE ${like}`,
          sql<boolean>`EXISTS (SELECT 1 FROM unnest(expertise) AS e(tag) WHERE e.tag ILIKE ${like})`,
        ]),
      );
    }
    return fetchPage(
      base.select(COLUMNS).orderBy('last_name').orderBy('first_name').orderBy('id'),
      base.select((eb) => eb.fn.countAll<number>().as('n')),
      query,
      toView,
    );
  }

  async get(id: string): Promise<ConsultantView> {
    const row = await this.db
      .selectFrom('consultants')
      .select(COLUMNS)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw consultantError('consultants.not_found');
    return toView(row);
  }

  // ----- public reading --------------------------------------------------------------------------------------

  async listPublic(query: {
    lang: Locale;
    language?: 'en' | 'de' | undefined;
    page: number;
    per_page: number;
  }): Promise<Page<PublicConsultant>> {
    let base = this.db.selectFrom('consultants').where('deleted_at', 'is', null);
    if (query.language) base = base.where(sql<boolean>`${query.language} = ANY(languages)`);
    return fetchPage(
      base.select(PUBLIC_COLUMNS).orderBy('last_name').orderBy('first_name').orderBy('id'),
      base.select((eb) => eb.fn.countAll<number>().as('n')),
      query,
      (row) => toPublic(row, query.lang),
    );
  }

  async getPublic(id: string, lang: Locale): Promise<PublicConsultant> {
    const row = await this.db
      .selectFrom('consultants')
      .select(PUBLIC_COLUMNS)
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (!row) throw consultantError('consultants.not_found');
    return toPublic(row, lang);
  }

  // ----- writing ---------------------------------------------------------------------------------------------

  private async lock(trx: Transaction<DB>, id: string): Promise<Row> {
    const row = await trx
      .selectFrom('consultants')
      .select(COLUMNS)
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw consultantError('consultants.not_found');
    return row;
  }

  private async lockLive(trx: Transaction<DB>, id: string, version: number | undefined): Promise<Row> {
    const row = await this.lock(trx, id);
    if (row.deleted_at) throw consultantError('consultants.not_found');
    if (version !== undefined && row.version !== version) throw staleVersion(row.version);
    return row;
  }

  /** A photo from the library must be a live image; its URL is the media file route. */
  private async checkPhotoMedia(trx: Transaction<DB>, mediaId: string, field: string): Promise<void> {
    const media = await trx
      .selectFrom('media_files')
      .select(['mime_type'])
      .where('id', '=', mediaId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (!media || !media.mime_type.startsWith('image/')) {
      throw consultantError('consultants.photo_invalid', { id: mediaId }, [
        {
          field,
          code: media ? 'not_image' : 'media_not_found',
          message: media ? 'is not an image' : 'no live media file',
        },
      ]);
    }
  }

  /** The columns a create or patch sets; the photo resolved; JSON values serialized. */
  private async columnsOf(trx: Transaction<DB>, fields: ConsultantFields): Promise<Updateable<Consultants>> {
    const changes: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(fields)) {
      if (value === undefined || key === 'version' || key === 'photo_media_id') continue;
      if (JSON_FIELDS.has(key) && value !== null) changes[key] = JSON.stringify(value);
      else changes[key] = value;
    }
    if (fields.photo_media_id !== undefined) {
      await this.checkPhotoMedia(trx, fields.photo_media_id, 'photo_media_id');
      changes['photo_url'] = mediaPhotoUrl(fields.photo_media_id.toLowerCase());
    } else if (typeof fields.photo_url === 'string') {
      const media = MEDIA_PHOTO.exec(fields.photo_url);
      if (media?.[1]) await this.checkPhotoMedia(trx, media[1], 'photo_url');
    }
    if (typeof changes['email'] === 'string') changes['email'] = changes['email'].trim();
    return changes;
  }

  private async withEmailCheck<T>(email: string | undefined, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (isEmailViolation(error)) throw consultantError('consultants.email_taken', { email: email ?? '' });
      throw error;
    }
  }

  async create(auth: AuthContext, input: ConsultantCreate, actor: AuditActor): Promise<ConsultantView> {
    checkFields(input);
    return this.withEmailCheck(input.email, () =>
      writeTransaction(this.db, actor, async (trx) => {
        const columns = await this.columnsOf(trx, input);
        const row = await trx
          .insertInto('consultants')
          .values({
            ...(columns as object),
            first_name: input.first_name,
            last_name: input.last_name,
            email: input.email.trim(),
            created_by: auth.user.id,
            updated_by: auth.user.id,
          })
          .returning(COLUMNS)
          .executeTakeFirstOrThrow();
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
          await trx
            .updateTable('consultants')
            .set({ ...changes, updated_by: auth.user.id })
            .where('id', '=', id)
            .execute();
        }
        return toView(await this.lock(trx, id));
      }),
    );
  }

  /** Soft delete: into the trash, restorable; the slots API stops offering times. */
  async remove(auth: AuthContext, id: string, version: number | undefined, actor: AuditActor): Promise<void> {
    await writeTransaction(this.db, actor, async (trx) => {
      await this.lockLive(trx, id, version);
      await trx
        .updateTable('consultants')
        .set({ deleted_at: this.deps.clock(), updated_by: auth.user.id })
        .where('id', '=', id)
        .execute();
    });
  }

  /** Back from the trash; 409 consultants.email_taken when a live consultant has taken the address meanwhile. */
  async restore(auth: AuthContext, id: string, actor: AuditActor): Promise<ConsultantView> {
    let email = '';
    try {
      return await writeTransaction(this.db, actor, async (trx) => {
        const row = await this.lock(trx, id);
        email = row.email;
        if (!row.deleted_at) throw consultantError('consultants.not_deleted');
        await trx
          .updateTable('consultants')
          .set({ deleted_at: null, updated_by: auth.user.id })
          .where('id', '=', id)
          .execute();
        return toView(await this.lock(trx, id));
      });
    } catch (error) {
      if (isEmailViolation(error)) throw consultantError('consultants.email_taken', { email });
      throw error;
    }
  }
}
