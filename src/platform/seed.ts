import { sql, type Kysely } from 'kysely';
import { SYSTEM_ACTOR, writeTransaction } from './audit/context.ts';
import { platformError } from './http/errors.ts';
import type { DB } from './db/schema.ts';
import { generatePassword, hashPassword } from './security/passwords.ts';
import { SETTINGS_CHANNEL } from './settings.ts';
import { SETTINGS_CATALOGUE } from '../settings-catalogue.ts';

export interface FirstAdmin {
  email: string;
  /** Set only when the password was generated: it must be shown to the operator once. */
  generatedPassword?: string;
}

export interface AdminInput {
  email: string;
  password?: string | undefined;
  firstName?: string;
  lastName?: string;
  role?: 'super_admin' | 'admin' | 'editor' | 'viewer';
}

/** Creates an admin user; a missing password is generated and returned so it can be shown once. */
export async function createAdmin(db: Kysely<DB>, input: AdminInput): Promise<FirstAdmin & { id: string }> {
  const password = input.password ?? generatePassword();
  const role = input.role ?? 'super_admin';
  const hashed = await hashPassword(password);
  const row = await writeTransaction(db, SYSTEM_ACTOR, (trx) =>
    trx
      .insertInto('admin_users')
      .values({
        email: input.email.toLowerCase(),
        hashed_password: hashed,
        first_name: input.firstName ?? 'System',
        last_name: input.lastName ?? 'Administrator',
        role,
        is_superuser: role === 'super_admin',
        password_changed_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow(),
  );
  return {
    id: row.id,
    email: input.email.toLowerCase(),
    ...(input.password ? {} : { generatedPassword: password }),
  };
}

/** The live (not deleted) user with this e-mail, in any spelling. */
export function findLiveUserByEmail(db: Kysely<DB>, email: string) {
  return db
    .selectFrom('admin_users')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

export interface EssentialsReport {
  settingsCreated: number;
  /** Present when this run created the first super admin. */
  firstAdmin?: FirstAdmin;
}

/**
 * Idempotent: settings that exist keep their values (their description, flags and rules follow the code); a
 * super admin is created only when none is active.
 */
export async function seedEssentials(
  db: Kysely<DB>,
  admin: { email: string; password: string | undefined },
): Promise<EssentialsReport> {
  const inserted = await writeTransaction(db, SYSTEM_ACTOR, async (trx) => {
    // Running instances drop their cached settings (new rules, descriptions) when this commits.
    await sql`SELECT pg_notify(${SETTINGS_CHANNEL}, '*')`.execute(trx);
    return (
      trx
        .insertInto('system_settings')
        .values(
          SETTINGS_CATALOGUE.map((s) => ({
            key: s.key,
            value: JSON.stringify(s.value),
            default_value: JSON.stringify(s.value),
            data_type: s.data_type,
            category: s.category,
            description: s.description.en,
            is_public: s.is_public ?? false,
            is_sensitive: s.is_sensitive ?? false,
            validation_rules: s.validation_rules === undefined ? null : JSON.stringify(s.validation_rules),
          })),
        )
        // An existing setting keeps its value; what describes it follows the code.
        .onConflict((oc) =>
          oc.column('key').doUpdateSet((eb) => ({
            data_type: eb.ref('excluded.data_type'),
            category: eb.ref('excluded.category'),
            description: eb.ref('excluded.description'),
            is_public: eb.ref('excluded.is_public'),
            is_sensitive: eb.ref('excluded.is_sensitive'),
            validation_rules: eb.ref('excluded.validation_rules'),
            default_value: eb.ref('excluded.default_value'),
          })),
        )
        // xmax is 0 only on a row this statement inserted.
        .returning(sql<boolean>`xmax = 0`.as('inserted'))
        .execute()
    );
  });
  const report: EssentialsReport = { settingsCreated: inserted.filter((row) => row.inserted).length };
  const superAdmin = await db
    .selectFrom('admin_users')
    .select('id')
    .where('role', '=', 'super_admin')
    .where('is_active', '=', true)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!superAdmin) {
    if (await findLiveUserByEmail(db, admin.email))
      throw platformError('setup.admin_email_taken', { email: admin.email });
    const created = await createAdmin(db, admin);
    report.firstAdmin = {
      email: created.email,
      ...(created.generatedPassword ? { generatedPassword: created.generatedPassword } : {}),
    };
  }
  return report;
}
