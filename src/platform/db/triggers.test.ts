import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, pgError, testEngine } from '../../../test/helpers/db.ts';
import { Factories } from '../../../test/helpers/factories.ts';
import { writeTransaction, type AuditActor } from '../audit/context.ts';
import type { Database } from './connection.ts';

let database: Database;
let make: Factories;
let adminId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  make = Factories.for(database);
  adminId = (await make.admin({ role: 'super_admin' })).id;
});
afterAll(async () => {
  await database.close();
});

function auditRows(table: string, recordId: string) {
  return database.db
    .selectFrom('audit_logs')
    .selectAll()
    .where('table_name', '=', table)
    .where('record_id', '=', recordId)
    .orderBy('created_at')
    .execute();
}

describe(`triggers on ${testEngine()}`, () => {
  it('moves updated_at and the version on a real change, and neither on a no-op update', async () => {
    const page = await make.page(adminId);
    const publish = () =>
      database.db
        .updateTable('pages')
        .set({ status: 'published' })
        .where('id', '=', page.id)
        .returningAll()
        .executeTakeFirstOrThrow();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const updated = await publish();
    expect(updated.updated_at.getTime()).toBeGreaterThan(page.updated_at.getTime());
    expect(updated.version).toBe(page.version + 1);

    const same = await publish();
    expect(same.version).toBe(updated.version);
    expect(same.updated_at).toEqual(updated.updated_at);
  });

  it('bumps whitepapers.version_number and leaves the edition (version) alone', async () => {
    const paper = await make.whitepaper(adminId);
    const updated = await database.db
      .updateTable('whitepapers')
      .set({ is_featured: true })
      .where('id', '=', paper.id)
      .returning(['version', 'version_number'])
      .executeTakeFirstOrThrow();
    expect(updated).toEqual({ version: '1.0', version_number: 2 });
  });

  it('moves updated_at on every table that has the column', async () => {
    const { rows } = await sql<{ table_name: string }>`
      SELECT c.table_name FROM information_schema.columns c
      JOIN information_schema.tables t USING (table_schema, table_name)
      WHERE c.table_schema = 'public' AND c.column_name = 'updated_at' AND t.table_type = 'BASE TABLE'`.execute(
      database.db,
    );
    const { rows: triggers } = await sql<{ table_name: string }>`
      SELECT event_object_table AS table_name FROM information_schema.triggers
      WHERE trigger_name = 'update_' || event_object_table || '_updated_at'`.execute(database.db);
    expect(new Set(triggers.map((t) => t.table_name))).toEqual(new Set(rows.map((r) => r.table_name)));
    expect(rows).toHaveLength(12);
  });

  it('writes an audit row with old and new values, changed fields and the actor the app passed', async () => {
    const page = await make.page(adminId);
    const actor: AuditActor = {
      userId: adminId,
      userEmail: 'ada@example.com',
      sessionId: randomUUID(),
      ip: '203.0.113.7',
      userAgent: 'vitest',
      requestId: randomUUID(),
    };
    await writeTransaction(database.db, actor, (trx) =>
      trx
        .updateTable('pages')
        .set({ slug: `${page.slug}-renamed`, sort_order: 3 })
        .where('id', '=', page.id)
        .execute(),
    );
    const rows = await auditRows('pages', page.id);
    expect(rows.map((r) => r.event_type)).toEqual(['INSERT', 'UPDATE']);
    const update = rows[1];
    expect(update).toMatchObject({
      user_id: actor.userId,
      user_email: actor.userEmail,
      session_id: actor.sessionId,
      ip_address: actor.ip,
      user_agent: actor.userAgent,
      request_id: actor.requestId,
      changed_fields: ['slug', 'sort_order'],
    });
    expect(update?.old_values).toMatchObject({ slug: page.slug, sort_order: 0 });
    expect(update?.new_values).toMatchObject({ slug: `${page.slug}-renamed`, sort_order: 3 });
    expect(update?.new_values).not.toHaveProperty('search_vector');
    // The insert was made outside any request: no actor.
    expect(rows[0]?.user_id).toBeNull();
  });

  it('records soft deletes and restores as such, and a no-op update not at all', async () => {
    const consultant = await make.consultant(adminId);
    const now = new Date();
    await database.db
      .updateTable('consultants')
      .set({ deleted_at: now })
      .where('id', '=', consultant.id)
      .execute();
    await database.db
      .updateTable('consultants')
      .set({ deleted_at: now })
      .where('id', '=', consultant.id)
      .execute();
    await database.db
      .updateTable('consultants')
      .set({ deleted_at: null })
      .where('id', '=', consultant.id)
      .execute();
    await database.db.deleteFrom('consultants').where('id', '=', consultant.id).execute();
    const rows = await auditRows('consultants', consultant.id);
    expect(rows.map((r) => r.event_type)).toEqual(['INSERT', 'SOFT_DELETE', 'RESTORE', 'DELETE']);
    expect(rows[3]?.new_values).toBeNull();
  });

  it('neither bumps the version nor audits a change to bookkeeping columns alone (sign-ins, locks, TOTP steps)', async () => {
    const user = await make.admin();
    await database.db
      .updateTable('admin_users')
      .set({
        last_login_at: new Date(),
        login_attempts: 3,
        locked_until: new Date(Date.now() + 60_000),
        password_reset_token: 'b'.repeat(64),
        password_reset_expires_at: new Date(Date.now() + 3_600_000),
        totp_last_step: 12345,
      })
      .where('id', '=', user.id)
      .execute();
    const after = await database.db
      .selectFrom('admin_users')
      .select(['version', 'login_attempts'])
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(after).toEqual({ version: user.version, login_attempts: 3 });
    expect((await auditRows('admin_users', user.id)).map((r) => r.event_type)).toEqual(['INSERT']);

    await database.db
      .updateTable('admin_users')
      .set({ first_name: 'Augusta' })
      .where('id', '=', user.id)
      .execute();
    const rows = await auditRows('admin_users', user.id);
    expect(rows.map((r) => r.event_type)).toEqual(['INSERT', 'UPDATE']);
    expect(rows[1]?.changed_fields).toEqual(['first_name']);
  });

  it('keeps secrets out of the audit trail but still says they changed', async () => {
    const user = await make.admin();
    await database.db
      .updateTable('admin_users')
      .set({ hashed_password: '$argon2id$new', password_reset_token: 'a'.repeat(64) })
      .where('id', '=', user.id)
      .execute();
    await database.db
      .insertInto('system_settings')
      .values({ key: 'smtp.password', value: JSON.stringify('hunter2'), is_sensitive: true })
      .execute();
    const [, update] = await auditRows('admin_users', user.id);
    // The reset token is also a bookkeeping column: listed neither as a change nor in the values.
    expect(update?.changed_fields).toEqual(['hashed_password']);
    const trail = JSON.stringify(
      await database.db.selectFrom('audit_logs').select(['old_values', 'new_values']).execute(),
    );
    expect(trail).not.toContain('$argon2id');
    expect(trail).not.toContain('a'.repeat(64));
    expect(trail).not.toContain('hunter2');
  });

  it('refuses two overlapping confirmed bookings of one consultant, and allows back-to-back or cancelled ones', async () => {
    const consultant = await make.consultant(adminId);
    const first = await make.booking(consultant.id, {
      datetime: new Date('2027-03-01T09:00:00Z'),
      duration: 60,
    });
    expect(first.ends_at).toEqual(new Date('2027-03-01T10:00:00Z'));
    expect(
      await pgError(
        make.booking(consultant.id, { datetime: new Date('2027-03-01T09:30:00Z'), duration: 30 }),
      ),
    ).toEqual({ code: '23P01', constraint: 'ex_bookings_no_overlap' });
    // Back-to-back is fine, and so is the same slot with another consultant.
    await make.booking(consultant.id, { datetime: new Date('2027-03-01T10:00:00Z'), duration: 30 });
    const other = await make.consultant(adminId);
    await make.booking(other.id, { datetime: new Date('2027-03-01T09:00:00Z'), duration: 60 });
    // Once the first is cancelled its slot is free again.
    await database.db
      .updateTable('bookings')
      .set({ status: 'cancelled' })
      .where('id', '=', first.id)
      .execute();
    await make.booking(consultant.id, { datetime: new Date('2027-03-01T09:00:00Z'), duration: 60 });
    // Moving a booking onto another is refused too.
    const later = await make.booking(consultant.id, {
      datetime: new Date('2027-03-01T12:00:00Z'),
      duration: 30,
    });
    expect(
      await pgError(
        database.db
          .updateTable('bookings')
          .set({ datetime: new Date('2027-03-01T09:15:00Z') })
          .where('id', '=', later.id)
          .execute(),
      ),
    ).toEqual({ code: '23P01', constraint: 'ex_bookings_no_overlap' });
  });

  it("lets a soft-deleted page's slug be used again, but not a live one", async () => {
    const page = await make.page(adminId, { slug: 'reusable' });
    expect(await pgError(make.page(adminId, { slug: 'reusable' }))).toEqual({
      code: '23505',
      constraint: 'uq_pages_slug',
    });
    await database.db
      .updateTable('pages')
      .set({ deleted_at: new Date() })
      .where('id', '=', page.id)
      .execute();
    await expect(make.page(adminId, { slug: 'reusable' })).resolves.toMatchObject({ slug: 'reusable' });
  });

  it('compares e-mails case-insensitively among live users', async () => {
    await make.admin({ email: 'Case@Example.com' });
    expect(await pgError(make.admin({ email: 'case@example.COM' }))).toEqual({
      code: '23505',
      constraint: 'uq_admin_users_email',
    });
  });

  it('refuses a repeat download of a whitepaper by the same e-mail within an hour', async () => {
    const paper = await make.whitepaper(adminId);
    const at = new Date('2026-11-01T10:00:00Z');
    await make.download(paper.id, { lead_email: 'lead@example.com', created_at: at });
    expect(
      await pgError(
        make.download(paper.id, {
          lead_email: 'LEAD@example.com',
          created_at: new Date('2026-11-01T10:59:00Z'),
        }),
      ),
    ).toEqual({ code: '23P01', constraint: 'ex_whitepaper_downloads_hourly' });
    await make.download(paper.id, {
      lead_email: 'lead@example.com',
      created_at: new Date('2026-11-01T11:00:00Z'),
    });
  });

  it('stores a global permission grant (no resource) only once', async () => {
    const user = await make.admin();
    const grant = { user_id: user.id, permission: 'pages.publish' };
    await database.db.insertInto('user_permissions').values(grant).execute();
    expect(await pgError(database.db.insertInto('user_permissions').values(grant).execute())).toEqual({
      code: '23505',
      constraint: 'uq_user_permissions_grant',
    });
  });

  it('refuses raw tokens: only SHA-256 digests may be stored', async () => {
    const user = await make.admin();
    const session = {
      user_id: user.id,
      session_token: 'raw-bearer-token',
      expires_at: new Date(Date.now() + 3_600_000),
      access_expires_at: new Date(Date.now() + 600_000),
    };
    expect(await pgError(database.db.insertInto('admin_sessions').values(session).execute())).toEqual({
      code: '23514',
      constraint: 'ck_admin_sessions_token_hashed',
    });
  });
});

describe(`audit log partitions on ${testEngine()}`, () => {
  it('has this month and the next three, and moves rows out of the default partition when one is created', async () => {
    const { rows } = await sql<{ name: string }>`
      SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'audit_logs'::regclass ORDER BY 1`.execute(database.db);
    expect(rows.map((r) => r.name)).toContain('audit_logs_default');
    expect(rows.filter((r) => /^audit_logs_y\d{4}m\d{2}$/.test(r.name)).length).toBeGreaterThanOrEqual(4);

    // A row far in the future lands in the default partition...
    const future = new Date();
    future.setUTCMonth(future.getUTCMonth() + 6);
    await database.db.insertInto('audit_logs').values({ event_type: 'TEST', created_at: future }).execute();
    const inDefault = await sql<{ n: number }>`SELECT COUNT(*) AS n FROM audit_logs_default`.execute(
      database.db,
    );
    expect(inDefault.rows[0]?.n).toBe(1);
    // ...and moves into its month's partition once partitions reach that far.
    const created = await sql<{ n: number }>`SELECT ensure_audit_log_partitions(7) AS n`.execute(database.db);
    expect(created.rows[0]?.n).toBeGreaterThanOrEqual(3);
    const after = await sql<{ n: number }>`SELECT COUNT(*) AS n FROM audit_logs_default`.execute(database.db);
    expect(after.rows[0]?.n).toBe(0);
    const total = await sql<{
      n: number;
    }>`SELECT COUNT(*) AS n FROM audit_logs WHERE event_type = 'TEST'`.execute(database.db);
    expect(total.rows[0]?.n).toBe(1);
  });
});
