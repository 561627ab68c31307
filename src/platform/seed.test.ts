import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testEngine } from '../../test/helpers/db.ts';
import type { Database } from './db/connection.ts';
import { needsRehash, verifyPassword } from './security/passwords.ts';
import { seedEssentials } from './seed.ts';
import { SETTINGS_CATALOGUE } from '../settings-catalogue.ts';

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.close();
});

describe(`seeding essentials on ${testEngine()}`, () => {
  it('creates the settings and a super admin with a real argon2id hash, once', async () => {
    const first = await seedEssentials(database.db, {
      email: 'Boss@Example.com',
      password: 'a long enough password',
    });
    expect(first).toEqual({
      settingsCreated: SETTINGS_CATALOGUE.length,
      firstAdmin: { email: 'boss@example.com' },
    });
    const admin = await database.db
      .selectFrom('admin_users')
      .selectAll()
      .where('email', '=', 'boss@example.com')
      .executeTakeFirstOrThrow();
    expect(admin).toMatchObject({ role: 'super_admin', is_superuser: true, is_active: true });
    expect(admin.hashed_password).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(admin.hashed_password, 'a long enough password')).toBe(true);
    expect(await verifyPassword(admin.hashed_password, 'wrong')).toBe(false);

    const second = await seedEssentials(database.db, { email: 'other@example.com', password: undefined });
    expect(second).toEqual({ settingsCreated: 0 });
    const title = await database.db
      .selectFrom('system_settings')
      .select('value')
      .where('key', '=', 'site_title')
      .executeTakeFirstOrThrow();
    expect(title.value).toEqual({ en: 'voltAIc Systems', de: 'voltAIc Systems' });
  });

  it('generates a password when none is configured, and returns it to be shown once', async () => {
    await database.db.updateTable('admin_users').set({ deleted_at: new Date() }).execute();
    const report = await seedEssentials(database.db, { email: 'new@example.com', password: undefined });
    expect(report.firstAdmin?.generatedPassword).toMatch(/^[A-Za-z2-9]{24}$/);
  });
});

describe(`seeding without an active super admin on ${testEngine()}`, () => {
  it('says clearly when ADMIN_EMAIL belongs to another user', async () => {
    await database.db.updateTable('admin_users').set({ deleted_at: new Date() }).execute();
    await database.db
      .insertInto('admin_users')
      .values({
        email: 'taken@example.com',
        hashed_password: 'x',
        first_name: 'T',
        last_name: 'U',
        role: 'viewer',
      })
      .execute();
    await expect(
      seedEssentials(database.db, { email: 'Taken@example.com', password: undefined }),
    ).rejects.toMatchObject({
      code: 'setup.admin_email_taken',
      message: expect.stringContaining('Taken@example.com (ADMIN_EMAIL) belongs to another user') as unknown,
    });
  });
});

describe('password hashes', () => {
  it("still verify the spec's bcrypt format, and ask to be upgraded", async () => {
    const hash = bcrypt.hashSync('legacy password', 4);
    expect(await verifyPassword(hash, 'legacy password')).toBe(true);
    expect(await verifyPassword(hash, 'nope')).toBe(false);
    expect(needsRehash(hash)).toBe(true);
    expect(await verifyPassword('$2b$12$encrypted_password_hash', 'anything')).toBe(false);
  });
});
