import type { Kysely } from 'kysely';
import { SYSTEM_ACTOR, writeTransaction } from './audit/context.ts';
import { platformError } from './http/errors.ts';
import type { DB } from './db/schema.ts';
import { generatePassword, hashPassword } from './security/passwords.ts';
import {
  findLiveUserByEmail,
  firstSuperAdmin,
  hasActiveSuperAdmin,
  insertAdminUser,
} from './seed/repository.ts';
import { announceSettingsChanged, upsertSettings } from './settings/repository.ts';
import { SETTINGS_CATALOGUE } from '../settings-catalogue.ts';

export { findLiveUserByEmail, firstSuperAdmin };

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
  const id = await writeTransaction(db, SYSTEM_ACTOR, (trx) =>
    insertAdminUser(trx, {
      email: input.email.toLowerCase(),
      hashed_password: hashed,
      first_name: input.firstName ?? 'System',
      last_name: input.lastName ?? 'Administrator',
      role,
      is_superuser: role === 'super_admin',
      password_changed_at: new Date(),
    }),
  );
  return {
    id,
    email: input.email.toLowerCase(),
    ...(input.password ? {} : { generatedPassword: password }),
  };
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
  const settingsCreated = await writeTransaction(db, SYSTEM_ACTOR, async (trx) => {
    // Running instances drop their cached settings (new rules, descriptions) when this commits.
    await announceSettingsChanged(trx, '*');
    return upsertSettings(
      trx,
      SETTINGS_CATALOGUE.map((s) => ({
        key: s.key,
        value: s.value,
        data_type: s.data_type,
        category: s.category,
        description: s.description.en,
        is_public: s.is_public ?? false,
        is_sensitive: s.is_sensitive ?? false,
        validation_rules: s.validation_rules ?? null,
      })),
    );
  });
  const report: EssentialsReport = { settingsCreated };
  if (!(await hasActiveSuperAdmin(db))) {
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
