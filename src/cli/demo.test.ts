import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../test/fixture.ts';
import { SYSTEM_ACTOR, writeTransaction } from '../platform/audit/context.ts';
import type { Database } from '../platform/db/connection.ts';
import { firstSuperAdmin, seedEssentials } from '../platform/seed.ts';
import { seedDemo } from './demo.ts';
import { DEMO_TABLES, JSON_COLUMNS } from './repository.ts';

// `magnetiq seed --demo` as the CLI runs it (in the first super admin's name, in one audited transaction), on
// the engine of the run: PGlite, or the PostgreSQL server when TEST_DATABASE_URL is set.
const NOW = new Date('2026-11-20T08:00:00Z');

async function seed(database: Database) {
  const actor = await firstSuperAdmin(database.db);
  return writeTransaction(database.db, { ...SYSTEM_ACTOR, userId: actor.id, userEmail: actor.email }, (trx) =>
    seedDemo(trx, actor.id, NOW),
  );
}

let firstRun: Awaited<ReturnType<typeof seed>> | undefined;
const t = useTestApp({
  now: NOW,
  async before(database) {
    await seedEssentials(database.db, { email: 'owner@example.com', password: 'a long enough password' });
    firstRun = await seed(database);
  },
});

interface Listed<T> {
  items: T[];
}

describe(`the demo seed on ${t.engine}`, () => {
  it('writes every demo table, and a second run creates nothing', async () => {
    expect(firstRun?.created).toEqual({
      pages: 6,
      consultants: 3,
      webinar_topics: 3,
      webinar_speakers: 2,
      webinar_sessions: 3,
      whitepapers: 2,
    });
    const again = await seed(t.database);
    expect(again.created).toEqual(Object.fromEntries(DEMO_TABLES.map((table) => [table, 0])));
  });

  it('knows every json and jsonb column of its tables (they are sent as JSON text)', async () => {
    const rows = await t.database.session((session) =>
      session.query<{ table_name: string; column_name: string }>(
        `SELECT table_name, column_name FROM information_schema.columns
          WHERE table_schema = 'public' AND data_type IN ('json', 'jsonb') AND table_name = ANY($1)
          ORDER BY table_name, column_name`,
        [[...DEMO_TABLES]],
      ),
    );
    const fromSchema = Object.fromEntries(
      DEMO_TABLES.map((table) => [
        table,
        rows.filter((r) => r.table_name === table).map((r) => r.column_name),
      ]),
    );
    const declared = Object.fromEntries(DEMO_TABLES.map((table) => [table, [...JSON_COLUMNS[table]].sort()]));
    expect(declared).toEqual(fromSchema);
  });

  it('publishes bilingual pages whose blocks the pages API accepts as they are', async () => {
    const home = await t.call(undefined, 'GET', '/api/v1/public/pages/home?lang=de');
    expect(home.statusCode).toBe(200);
    expect(home.json()).toMatchObject({
      title: 'Startseite',
      blocks: [
        { type: 'hero', heading: 'KI, die für Ihr Unternehmen arbeitet' },
        { type: 'features', items: [{ title: 'Strategie' }, {}, {}] },
      ],
    });
    const team = await t.call(undefined, 'GET', '/api/v1/public/pages/team?lang=en');
    expect(team.json()).toMatchObject({ path: '/about/team', blocks: [{ type: 'consultant_list' }] });

    const { session } = await t.as('admin');
    const list = await t.call(session, 'GET', '/api/v1/pages?per_page=50');
    const listed = list.json<Listed<{ id: string; slug: string }>>().items;
    expect(listed.map((p) => p.slug).sort()).toEqual([
      'about',
      'contact',
      'home',
      'privacy',
      'services',
      'team',
    ]);
    // The list answers summaries: the blocks come with each page.
    for (const { id } of listed) {
      const page = (await t.call(session, 'GET', `/api/v1/pages/${id}`)).json<{
        id: string;
        slug: string;
        version: number;
        blocks: unknown[];
      }>();
      const saved = await t.call(session, 'PATCH', `/api/v1/pages/${page.id}`, {
        version: page.version,
        blocks: page.blocks,
      });
      expect(saved.statusCode, `${page.slug}: ${saved.body}`).toBe(200);
    }
  });

  it('gives consultants working hours the consultants API accepts and the slots API books from', async () => {
    const { session } = await t.as('admin');
    const list = await t.call(session, 'GET', '/api/v1/consultants?per_page=50');
    const consultants =
      list.json<Listed<{ id: string; email: string; version: number; working_hours: unknown }>>().items;
    expect(consultants).toHaveLength(3);
    for (const consultant of consultants) {
      const saved = await t.call(session, 'PATCH', `/api/v1/consultants/${consultant.id}`, {
        version: consultant.version,
        working_hours: consultant.working_hours,
      });
      expect(saved.statusCode, `${consultant.email}: ${saved.body}`).toBe(200);
    }

    const lena = consultants.find((c) => c.email === 'lena.hoffmann@voltaic.systems');
    // Tuesday 1 December 2026: 09:00-12:00 and 13:00-17:00 in Berlin, an hour from every half hour.
    const slots = await t.call(
      undefined,
      'GET',
      `/api/v1/public/consultants/${lena?.id ?? ''}/slots?from=2026-12-01&to=2026-12-01&duration=60&tz=Europe/Berlin`,
    );
    expect(slots.statusCode).toBe(200);
    const starts = slots
      .json<{ slots: { start_local: string }[] }>()
      .slots.map((s) => s.start_local.slice(11, 16));
    expect(starts).toEqual([
      '09:00',
      '09:30',
      '10:00',
      '10:30',
      '11:00',
      '13:00',
      '13:30',
      '14:00',
      '14:30',
      '15:00',
      '15:30',
      '16:00',
    ]);
  });
});
