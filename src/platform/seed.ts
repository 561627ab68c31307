import type { Kysely } from 'kysely';
import { SYSTEM_ACTOR, writeTransaction } from './audit/context.ts';
import { AppError } from './http/errors.ts';
import type { DB, JsonValue } from './db/schema.ts';
import { generatePassword, hashPassword } from './security/passwords.ts';

interface SettingSeed {
  key: string;
  value: JsonValue;
  data_type: 'string' | 'number' | 'boolean' | 'json' | 'array';
  category: string;
  description: string;
  is_public?: boolean;
}

/** The spec's settings, and the security numbers the identity module reads. Existing values are kept. */
export const ESSENTIAL_SETTINGS: SettingSeed[] = [
  {
    key: 'site_title',
    value: { en: 'voltAIc Systems', de: 'voltAIc Systems' },
    data_type: 'json',
    category: 'general',
    description: 'Site title',
    is_public: true,
  },
  {
    key: 'contact_email',
    value: 'info@voltaic.systems',
    data_type: 'string',
    category: 'general',
    description: 'Primary contact email',
    is_public: true,
  },
  {
    key: 'timezone',
    value: 'Europe/Berlin',
    data_type: 'string',
    category: 'general',
    description: 'Default timezone',
    is_public: true,
  },
  {
    key: 'languages',
    value: ['en', 'de'],
    data_type: 'array',
    category: 'localization',
    description: 'Supported languages',
    is_public: true,
  },
  {
    key: 'security.max_login_attempts',
    value: 5,
    data_type: 'number',
    category: 'security',
    description: 'Failed logins in a row that lock an account',
  },
  {
    key: 'security.lockout_minutes',
    value: 15,
    data_type: 'number',
    category: 'security',
    description: 'How long a locked account stays locked',
  },
  {
    key: 'security.require_2fa_for_super_admins',
    value: false,
    data_type: 'boolean',
    category: 'security',
    description: 'Super admins must enrol in two-factor authentication before they can do anything else',
  },
];

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

/** Idempotent: settings that exist keep their values; a super admin is created only when none is active. */
export async function seedEssentials(
  db: Kysely<DB>,
  admin: { email: string; password: string | undefined },
): Promise<EssentialsReport> {
  const inserted = await writeTransaction(db, SYSTEM_ACTOR, (trx) =>
    trx
      .insertInto('system_settings')
      .values(
        ESSENTIAL_SETTINGS.map((s) => ({
          key: s.key,
          value: JSON.stringify(s.value),
          default_value: JSON.stringify(s.value),
          data_type: s.data_type,
          category: s.category,
          description: s.description,
          is_public: s.is_public ?? false,
        })),
      )
      .onConflict((oc) => oc.column('key').doNothing())
      .returning('id')
      .execute(),
  );
  const report: EssentialsReport = { settingsCreated: inserted.length };
  const superAdmin = await db
    .selectFrom('admin_users')
    .select('id')
    .where('role', '=', 'super_admin')
    .where('is_active', '=', true)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!superAdmin) {
    if (await findLiveUserByEmail(db, admin.email))
      throw new AppError('setup.admin_email_taken', 500, { email: admin.email });
    const created = await createAdmin(db, admin);
    report.firstAdmin = {
      email: created.email,
      ...(created.generatedPassword ? { generatedPassword: created.generatedPassword } : {}),
    };
  }
  return report;
}
