import { randomBytes } from 'node:crypto';
import type { Insertable, Kysely } from 'kysely';
import type { Database } from '../../src/platform/db/connection.ts';
import type {
  AdminUsers,
  Bookings,
  Consultants,
  DB,
  Pages,
  WebinarSessions,
  WhitepaperDownloads,
  Whitepapers,
} from '../../src/platform/db/schema.ts';

const NINE_TO_FIVE = [{ start: '09:00', end: '17:00' }];
/** A consultant's working_hours: 09:00–17:00 local time, Monday to Friday. */
export const WEEKDAYS_NINE_TO_FIVE = {
  mon: NINE_TO_FIVE,
  tue: NINE_TO_FIVE,
  wed: NINE_TO_FIVE,
  thu: NINE_TO_FIVE,
  fri: NINE_TO_FIVE,
};

/** Builders of valid rows; each takes overrides. They write with plain inserts (no actor). */
export class Factories {
  constructor(private readonly db: Kysely<DB>) {}

  static for(database: Database): Factories {
    return new Factories(database.db);
  }

  unique(prefix: string): string {
    return `${prefix}-${randomBytes(4).toString('hex')}`;
  }

  async admin(overrides: Partial<Insertable<AdminUsers>> = {}) {
    return this.db
      .insertInto('admin_users')
      .values({
        email: `${this.unique('user')}@example.com`,
        hashed_password: '$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA',
        first_name: 'Ada',
        last_name: 'Lovelace',
        role: 'editor',
        ...overrides,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async page(by: string, overrides: Partial<Insertable<Pages>> = {}) {
    return this.db
      .insertInto('pages')
      .values({
        slug: this.unique('page'),
        title: JSON.stringify({ en: 'About us', de: 'Über uns' }),
        content: JSON.stringify({ en: 'We build reliable systems.', de: 'Wir bauen verlässliche Systeme.' }),
        created_by: by,
        updated_by: by,
        ...overrides,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** A page the public may see: published a day ago, unless `overrides` say otherwise. */
  publishedPage(by: string, overrides: Partial<Insertable<Pages>> = {}) {
    return this.page(by, {
      status: 'published',
      published_at: new Date(Date.now() - 86_400_000),
      ...overrides,
    });
  }

  async consultant(by: string, overrides: Partial<Insertable<Consultants>> = {}) {
    return this.db
      .insertInto('consultants')
      .values({
        first_name: 'Grace',
        last_name: 'Hopper',
        email: `${this.unique('consultant')}@example.com`,
        created_by: by,
        updated_by: by,
        ...overrides,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async booking(consultantId: string, overrides: Partial<Insertable<Bookings>> = {}) {
    return this.db
      .insertInto('bookings')
      .values({
        reference: `VLT-20270101-${randomBytes(2).toString('hex').toUpperCase()}`,
        consultant_id: consultantId,
        datetime: new Date('2027-01-04T09:00:00Z'),
        duration: 60,
        timezone: 'Europe/Berlin',
        client_first_name: 'Max',
        client_last_name: 'Mustermann',
        client_email: 'max@example.com',
        ...overrides,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async webinarSession(by: string, overrides: Partial<Insertable<WebinarSessions>> = {}) {
    const topic = await this.db
      .insertInto('webinar_topics')
      .values({
        title: JSON.stringify({ en: 'AI basics', de: 'KI-Grundlagen' }),
        created_by: by,
        updated_by: by,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const speaker = await this.db
      .insertInto('webinar_speakers')
      .values({
        first_name: 'Alan',
        last_name: 'Turing',
        email: 'alan@example.com',
        created_by: by,
        updated_by: by,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return this.db
      .insertInto('webinar_sessions')
      .values({
        slug: this.unique('webinar'),
        topic_id: topic.id,
        speaker_id: speaker.id,
        datetime: new Date(Date.now() + 7 * 86_400_000),
        duration: 60,
        status: 'published',
        created_by: by,
        updated_by: by,
        ...overrides,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async whitepaper(by: string, overrides: Partial<Insertable<Whitepapers>> = {}) {
    return this.db
      .insertInto('whitepapers')
      .values({
        slug: this.unique('whitepaper'),
        title: JSON.stringify({ en: 'AI readiness', de: 'KI-Reife' }),
        author_name: 'voltAIc Systems',
        publication_date: '2026-10-01',
        file_path: 'whitepapers/ai-readiness.pdf',
        file_size: 1_234_567,
        created_by: by,
        updated_by: by,
        ...overrides,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async download(whitepaperId: string, overrides: Partial<Insertable<WhitepaperDownloads>> = {}) {
    return this.db
      .insertInto('whitepaper_downloads')
      .values({
        whitepaper_id: whitepaperId,
        lead_name: 'Erika Musterfrau',
        lead_email: 'erika@example.com',
        privacy_consent: true,
        ...overrides,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }
}
