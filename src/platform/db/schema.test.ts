import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testEngine } from '../../../test/helpers/db.ts';
import { Factories } from '../../../test/helpers/factories.ts';
import { writeTransaction } from '../audit/context.ts';
import type { Database } from './connection.ts';
import { generateDbTypes } from './typegen.ts';

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.close();
});

// Every index the spec names (idx_*), kept under its name even where a fix changed what it covers.
const SPEC_INDEXES =
  `idx_admin_users_email idx_admin_users_role idx_admin_users_active idx_admin_sessions_user_id
idx_admin_sessions_token idx_admin_sessions_expires idx_user_permissions_user_id idx_user_permissions_permission
idx_pages_slug idx_pages_status idx_pages_published idx_pages_parent idx_pages_search idx_media_files_filename
idx_media_files_mime_type idx_media_files_folder idx_media_files_tags idx_media_files_hash idx_consultants_email
idx_consultants_online idx_consultants_accepting idx_consultants_expertise idx_bookings_reference
idx_bookings_consultant idx_bookings_datetime idx_bookings_status idx_bookings_client_email
idx_webinar_topics_category idx_webinar_topics_tags idx_webinar_speakers_email idx_webinar_speakers_consultant
idx_webinar_sessions_slug idx_webinar_sessions_topic idx_webinar_sessions_speaker idx_webinar_sessions_datetime
idx_webinar_sessions_status idx_webinar_registrations_session idx_webinar_registrations_email
idx_webinar_registrations_status idx_whitepapers_slug idx_whitepapers_status idx_whitepapers_category
idx_whitepapers_tags idx_whitepapers_publication idx_whitepaper_downloads_whitepaper idx_whitepaper_downloads_email
idx_whitepaper_downloads_session idx_whitepaper_downloads_export idx_whitepaper_downloads_created
idx_audit_logs_event_type idx_audit_logs_table idx_audit_logs_user idx_audit_logs_record idx_audit_logs_created
idx_system_settings_key idx_system_settings_category idx_system_settings_public idx_integration_logs_name
idx_integration_logs_status idx_integration_logs_started idx_integration_logs_related
idx_translations_namespace_key idx_translations_language idx_translations_status`.split(/\s+/);

const AUDITED =
  `admin_users user_permissions pages media_files consultants bookings webinar_topics webinar_speakers
webinar_sessions webinar_registrations whitepapers system_settings translations`.split(/\s+/);

describe(`schema on ${testEngine()}`, () => {
  it('matches the committed TypeScript types (run `npm run db:types` after a migration)', async () => {
    const committed = readFileSync(new URL('./schema.ts', import.meta.url), 'utf8');
    expect(await generateDbTypes(database)).toBe(committed);
  });

  it('has every index the spec names', async () => {
    const { rows } = await sql<{ indexname: string }>`
      SELECT indexname FROM pg_indexes WHERE schemaname = 'public'`.execute(database.db);
    const present = new Set(rows.map((r) => r.indexname));
    expect(SPEC_INDEXES.filter((name) => !present.has(name))).toEqual([]);
  });

  it('audits exactly the critical tables', async () => {
    const { rows } = await sql<{ table: string }>`
      SELECT DISTINCT event_object_table AS table FROM information_schema.triggers
      WHERE trigger_name LIKE 'audit\\_%' ORDER BY 1`.execute(database.db);
    expect(rows.map((r) => r.table)).toEqual([...AUDITED].sort());
  });

  it('searches pages in English and German, title weighted above content', async () => {
    const by = (await Factories.for(database).admin()).id;
    const make = Factories.for(database);
    await make.page(by, {
      slug: 'search-title',
      title: JSON.stringify({ en: 'Manufacturing insights', de: 'Einblicke in die Fertigung' }),
      content: JSON.stringify({ en: 'Other words', de: 'Andere Wörter' }),
    });
    await make.page(by, {
      slug: 'search-body',
      title: JSON.stringify({ en: 'Other', de: 'Anderes' }),
      content: JSON.stringify({ en: 'We talk about manufacturing here', de: 'Wir reden über Häuser' }),
    });
    const search = (config: 'english' | 'german', q: string) =>
      sql<{ slug: string }>`
        SELECT slug FROM pages WHERE search_vector @@ plainto_tsquery(${config}::regconfig, ${q})
        ORDER BY ts_rank(search_vector, plainto_tsquery(${config}::regconfig, ${q})) DESC`
        .execute(database.db)
        .then((r) => r.rows.map((row) => row.slug));
    expect(await search('english', 'manufacture')).toEqual(['search-title', 'search-body']);
    // German stemming: "Haus" finds "Häuser".
    expect(await search('german', 'Haus')).toEqual(['search-body']);
  });

  it('serves the three views', async () => {
    const by = (await Factories.for(database).admin()).id;
    const session = await Factories.for(database).webinarSession(by);
    await database.db
      .insertInto('webinar_registrations')
      .values({
        session_id: session.id,
        first_name: 'A',
        last_name: 'B',
        email: 'a@example.com',
        privacy_consent: true,
      })
      .execute();
    const upcoming = await database.db
      .selectFrom('upcoming_webinars')
      .select(['slug', 'registration_count', 'speaker_name'])
      .where('id', '=', session.id)
      .executeTakeFirstOrThrow();
    expect(upcoming).toEqual({ slug: session.slug, registration_count: 1, speaker_name: 'Alan Turing' });

    // Two live sessions: the user is listed once (the spec's view listed them twice).
    for (const token of ['a', 'b']) {
      await database.db
        .insertInto('admin_sessions')
        .values({
          user_id: by,
          session_token: token.repeat(64),
          expires_at: new Date(Date.now() + 3_600_000),
          access_expires_at: new Date(Date.now() + 600_000),
        })
        .execute();
    }
    const active = await database.db
      .selectFrom('active_admin_users')
      .selectAll()
      .where('id', '=', by)
      .execute();
    expect(active).toHaveLength(1);
    expect(active[0]?.active_sessions).toBe(2);

    const paper = await Factories.for(database).whitepaper(by);
    await Factories.for(database).download(paper.id);
    const summary = await database.db.selectFrom('lead_generation_summary').selectAll().execute();
    expect(summary[0]).toMatchObject({ total_downloads: 1, unique_leads: 1, pending_exports: 1 });
  });
});

describe(`concurrency on ${testEngine()}`, () => {
  it('never lets one request’s statements land in another’s transaction', async () => {
    const make = Factories.for(database);
    const by = (await make.admin()).id;
    const pages = await Promise.all(Array.from({ length: 12 }, () => make.page(by)));
    // Twelve writers at once, each with its own actor; each yields between its statements.
    await Promise.all(
      pages.map((page, i) =>
        writeTransaction(
          database.db,
          { requestId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}` },
          async (trx) => {
            await new Promise((resolve) => setTimeout(resolve, 12 - i));
            await trx
              .updateTable('pages')
              .set({ sort_order: i + 1 })
              .where('id', '=', page.id)
              .execute();
            await new Promise((resolve) => setTimeout(resolve, i));
            if (i % 3 === 0) throw new Error('this one rolls back');
          },
        ).catch(() => undefined),
      ),
    );
    const rows = await database.db
      .selectFrom('audit_logs')
      .select(['record_id', 'request_id'])
      .where('event_type', '=', 'UPDATE')
      .where(
        'record_id',
        'in',
        pages.map((p) => p.id),
      )
      .execute();
    // Rolled-back writers left nothing; every other row carries its own writer's request id.
    expect(rows).toHaveLength(8);
    for (const row of rows) {
      const i = pages.findIndex((p) => p.id === row.record_id);
      expect(row.request_id).toBe(`00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    }
    const orders = await database.db
      .selectFrom('pages')
      .select(['id', 'sort_order'])
      .where(
        'id',
        'in',
        pages.map((p) => p.id),
      )
      .execute();
    for (const row of orders) {
      const i = pages.findIndex((p) => p.id === row.id);
      expect(row.sort_order).toBe(i % 3 === 0 ? 0 : i + 1);
    }
  });
});
