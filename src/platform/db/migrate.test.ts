import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, testEngine } from '../../../test/helpers/db.ts';
import type { Database } from './connection.ts';
import { checksum, migrate, readMigrations } from './migrate.ts';

const SPEC_TABLES = [
  'admin_users',
  'admin_sessions',
  'user_permissions',
  'pages',
  'media_files',
  'consultants',
  'bookings',
  'webinar_topics',
  'webinar_speakers',
  'webinar_sessions',
  'webinar_registrations',
  'whitepapers',
  'whitepaper_downloads',
  'audit_logs',
  'system_settings',
  'integration_logs',
  'translations',
];
/** Tables beyond the spec (see the comments of their migrations). */
const ADDED_TABLES = [
  'admin_session_rotated_tokens',
  'admin_recovery_codes',
  'mail_outbox',
  'booking_idempotency_keys',
  'unknown_login_attempts',
  'page_search_tokens',
];
const SPEC_VIEWS = ['active_admin_users', 'upcoming_webinars', 'lead_generation_summary'];

async function relations(database: Database, kinds: string[]): Promise<string[]> {
  const { rows } = await sql<{ relname: string }>`
    SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind = ANY(${kinds}) AND NOT c.relispartition
    ORDER BY c.relname`.execute(database.db);
  return rows.map((r) => r.relname);
}

const opened: Database[] = [];
async function emptyDatabase(): Promise<Database> {
  const database = await createTestDatabase({ empty: true });
  opened.push(database);
  return database;
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((d) => d.close()));
});

describe(`migrations on ${testEngine()}`, () => {
  it('create all 17 spec tables, our additions and 3 views on an empty database, and a second run changes nothing', async () => {
    const database = await emptyDatabase();
    const first = await migrate(database);
    expect(first.applied).toHaveLength(readMigrations().length);

    expect(await relations(database, ['r', 'p'])).toEqual(
      [...SPEC_TABLES, ...ADDED_TABLES, 'schema_migrations'].sort(),
    );
    expect(await relations(database, ['v'])).toEqual([...SPEC_VIEWS].sort());

    const second = await migrate(database);
    expect(second).toEqual({ applied: [], alreadyApplied: first.applied.length });
  });

  it('reports progress, one line per migration', async () => {
    const database = await emptyDatabase();
    const lines: string[] = [];
    await migrate(database, { onProgress: (line) => lines.push(line) });
    expect(lines[0]).toMatch(/^\[1\/\d+\] applying 0001_foundation$/);
    expect(lines).toHaveLength(readMigrations().length);
  });

  it('refuses to run when a landed migration was edited, and names it', async () => {
    const database = await emptyDatabase();
    await migrate(database);
    const files = readMigrations();
    const edited = files.map((f) =>
      f.version === 2 ? { ...f, sql: `${f.sql}\n-- edited`, checksum: checksum(`${f.sql}\n-- edited`) } : f,
    );
    await expect(migrate(database, { files: edited })).rejects.toMatchObject({
      code: 'migrations.changed',
      message: expect.stringContaining('Migration 2 (identity) was changed') as unknown,
    });
  });

  it('refuses to run when a landed migration file is missing', async () => {
    const database = await emptyDatabase();
    await migrate(database);
    const all = readMigrations();
    const files = all.filter((f) => f.version !== all.length);
    await expect(migrate(database, { files })).rejects.toMatchObject({ code: 'migrations.missing' });
  });

  it('rolls a failing migration back whole and records nothing of it', async () => {
    const database = await emptyDatabase();
    const files = readMigrations();
    const broken = {
      version: files.length + 1,
      name: 'broken',
      sql: 'CREATE TABLE half_done (id INT); SELECT no_such_function();',
      checksum: checksum('broken'),
    };
    await expect(migrate(database, { files: [...files, broken] })).rejects.toThrow(/broken failed/);
    expect(await relations(database, ['r'])).not.toContain('half_done');
    const { rows } = await sql<{ n: number }>`SELECT COUNT(*) AS n FROM schema_migrations`.execute(
      database.db,
    );
    expect(rows[0]?.n).toBe(files.length);
  });

  it('applies each migration once when two runners start together', async () => {
    const database = await emptyDatabase();
    // On a server each runner has its own connection; the advisory lock makes the second wait and find nothing.
    const reports = await Promise.all([migrate(database), migrate(database)]);
    const applied = reports.map((r) => r.applied.length).sort((a, b) => a - b);
    expect(applied).toEqual([0, readMigrations().length]);
  });
});
