import type { Kysely } from 'kysely';
import { SYSTEM_ACTOR, writeTransaction } from './audit/context.ts';
import { recordEvent } from './audit/events.ts';
import { platformError } from './http/errors.ts';
import type { DB } from './db/schema.ts';
import { generatePassword, hashPassword } from './security/passwords.ts';
import {
  clearLockout,
  endSessionsOnPasswordReset,
  findAccountByEmail,
  findLiveUserByEmail,
  firstSuperAdmin,
  hasActiveSuperAdmin,
  insertAdminUser,
  setPasswordBySystem,
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

/** What `magnetiq unlock` found and cleared. */
export interface UnlockReport {
  email: string;
  /** The lock that was cleared, if the account was locked. */
  lockedUntil: Date | null;
  /** The failed sign-ins that were counted. */
  failedAttempts: number;
  isActive: boolean;
}

/**
 * Clears the failed-sign-in count and the lock of the live account with this e-mail (as an admin reactivating
 * it does); undefined when there is none. The lockout columns are bookkeeping: no new version, no audit row.
 */
export async function unlockAdmin(
  db: Kysely<DB>,
  email: string,
  now: Date = new Date(),
): Promise<UnlockReport | undefined> {
  return writeTransaction(db, SYSTEM_ACTOR, async (trx) => {
    const account = await findAccountByEmail(trx, email);
    if (!account) return undefined;
    await clearLockout(trx, account.id);
    return {
      email: account.email,
      lockedUntil: account.locked_until && account.locked_until > now ? account.locked_until : null,
      failedAttempts: account.login_attempts,
      isActive: account.is_active,
    };
  });
}

/** What `magnetiq reset-password` did. */
export interface PasswordResetReport {
  email: string;
  /** Set only when the password was generated: it must be shown to the operator once. */
  generatedPassword?: string;
  sessionsEnded: number;
  /** Whether a lock was cleared with it. */
  wasLocked: boolean;
  /** Two-factor authentication stays as it was: on, when this is true. */
  twoFactorEnabled: boolean;
  isActive: boolean;
}

/**
 * Sets a new password (a missing one is generated and returned to be shown once) for the live account with this
 * e-mail, and in the same transaction unlocks it, voids a reset link still out and ends every session (a stolen
 * one dies), with a PASSWORD_RESET audit event by the system. Two-factor authentication is left as it is.
 * Undefined when there is no such account. The password's policy is the caller's to check.
 */
export async function resetAdminPassword(
  db: Kysely<DB>,
  email: string,
  password: string | undefined,
  now: Date = new Date(),
): Promise<PasswordResetReport | undefined> {
  if (!(await findAccountByEmail(db, email))) return undefined;
  const chosen = password ?? generatePassword();
  // Hashed before the transaction: argon2 takes a while, and on PGlite a transaction holds the one connection.
  const hashed = await hashPassword(chosen);
  return writeTransaction(db, SYSTEM_ACTOR, async (trx) => {
    const account = await findAccountByEmail(trx, email);
    if (!account) return undefined;
    await setPasswordBySystem(trx, account.id, hashed, now);
    const sessionsEnded = await endSessionsOnPasswordReset(trx, account.id, now);
    await recordEvent(trx, SYSTEM_ACTOR, {
      event: 'PASSWORD_RESET',
      subjectUserId: account.id,
      description: 'password set with magnetiq reset-password',
      metadata: { sessions_ended: sessionsEnded, generated: password === undefined },
    });
    return {
      email: account.email,
      ...(password === undefined ? { generatedPassword: chosen } : {}),
      sessionsEnded,
      wasLocked: account.locked_until !== null && account.locked_until > now,
      twoFactorEnabled: account.totp_enabled_at !== null,
      isActive: account.is_active,
    };
  });
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
