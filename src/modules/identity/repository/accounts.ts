import { type Kysely, type NotNull, type Selectable, type Transaction, type Updateable } from 'kysely';
import type { AdminUsers, DB } from '../../../platform/db/schema.ts';
import { nextFailure, type FailureRule } from './failure-count.ts';
import { containsPattern } from '../../../platform/db/errors.ts';
import { fetchPage, type Page } from '../../../platform/http/pagination.ts';

// Every query of admin_users: the accounts, their passwords, lockout counters, reset tokens and TOTP state.

/** The columns a user view is made of, for selects. */
export const USER_COLUMNS = [
  'id',
  'email',
  'first_name',
  'last_name',
  'avatar_url',
  'timezone',
  'language',
  'role',
  'is_active',
  'totp_enabled_at',
  'last_login_at',
  'locked_until',
  'password_changed_at',
  'created_at',
  'updated_at',
  'deleted_at',
  'version',
] as const satisfies readonly (keyof AdminUsers)[];

export type UserRow = Pick<Selectable<AdminUsers>, (typeof USER_COLUMNS)[number]>;
export type AccountUpdate = Updateable<AdminUsers>;
export type AccountInsert = Pick<
  Selectable<AdminUsers>,
  | 'email'
  | 'hashed_password'
  | 'first_name'
  | 'last_name'
  | 'role'
  | 'is_superuser'
  | 'language'
  | 'timezone'
  | 'avatar_url'
  | 'password_changed_at'
  | 'created_by'
  | 'updated_by'
>;

export function findUser(db: Kysely<DB>, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('admin_users').select(USER_COLUMNS).where('id', '=', id).executeTakeFirst();
}

export interface UserFilter {
  q?: string | undefined;
  role?: string | undefined;
  is_active?: boolean | undefined;
  deleted: 'exclude' | 'include' | 'only';
}

export function listUsers<T>(
  db: Kysely<DB>,
  filter: UserFilter,
  page: { page: number; per_page: number },
  map: (row: UserRow) => T,
): Promise<Page<T>> {
  let base = db.selectFrom('admin_users');
  if (filter.deleted === 'exclude') base = base.where('deleted_at', 'is', null);
  if (filter.deleted === 'only') base = base.where('deleted_at', 'is not', null);
  if (filter.role) base = base.where('role', '=', filter.role);
  if (filter.is_active !== undefined) base = base.where('is_active', '=', filter.is_active);
  if (filter.q) {
    const like = containsPattern(filter.q);
    base = base.where((eb) =>
      eb.or([eb('email', 'ilike', like), eb('first_name', 'ilike', like), eb('last_name', 'ilike', like)]),
    );
  }
  return fetchPage(
    base.select(USER_COLUMNS).orderBy('last_name').orderBy('first_name').orderBy('id'),
    base.select((eb) => eb.fn.countAll<number>().as('n')),
    page,
    map,
  );
}

/** The columns of a signed-in user in the spec's view `active_admin_users`: never a password hash or token. */
const ACTIVE_COLUMNS = [
  'id',
  'email',
  'first_name',
  'last_name',
  'role',
  'last_activity_at',
  'active_sessions',
] as const;

export interface ActiveUserRow {
  id: string;
  email: string;
  first_name: string;
  last_name: string;
  role: string;
  last_activity_at: Date;
  active_sessions: number;
}

/**
 * Active, not deleted users with at least one live session (not ended, not expired), from the view
 * `active_admin_users` (which judges expiry by the database's NOW()); most recent activity first.
 */
export function listActiveUsers<T>(
  db: Kysely<DB>,
  page: { page: number; per_page: number },
  map: (row: ActiveUserRow) => T,
): Promise<Page<T>> {
  const base = db.selectFrom('active_admin_users').where('active_sessions', '>', 0);
  return fetchPage(
    base
      .select(ACTIVE_COLUMNS)
      .$narrowType<{ [K in (typeof ACTIVE_COLUMNS)[number]]: NotNull }>()
      .orderBy('last_activity_at', 'desc')
      .orderBy('id'),
    base.select((eb) => eb.fn.countAll<number>().as('n')),
    page,
    map,
  );
}

/** The account a change is about, locked until the transaction ends. */
export function lockUser(trx: Transaction<DB>, id: string) {
  return trx
    .selectFrom('admin_users')
    .select(['id', 'role', 'is_active', 'deleted_at', 'email', 'version'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/** The other active super admins, locked, so two demotions at once cannot both see one left. */
export async function lockOtherActiveSuperAdmins(trx: Transaction<DB>, id: string): Promise<number> {
  const rows = await trx
    .selectFrom('admin_users')
    .select('id')
    .where('role', '=', 'super_admin')
    .where('is_active', '=', true)
    .where('deleted_at', 'is', null)
    .where('id', '<>', id)
    .forUpdate()
    .execute();
  return rows.length;
}

export function insertUser(db: Kysely<DB>, values: AccountInsert): Promise<UserRow> {
  return db.insertInto('admin_users').values(values).returning(USER_COLUMNS).executeTakeFirstOrThrow();
}

export function updateUser(db: Kysely<DB>, id: string, changes: AccountUpdate): Promise<UserRow> {
  return db
    .updateTable('admin_users')
    .set(changes)
    .where('id', '=', id)
    .returning(USER_COLUMNS)
    .executeTakeFirstOrThrow();
}

// ----- sign-in and lockout -------------------------------------------------------------------------------

export function findForSignIn(db: Kysely<DB>, email: string) {
  return db
    .selectFrom('admin_users')
    .select([...USER_COLUMNS, 'hashed_password', 'totp_secret'])
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.trim().toLowerCase()))
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

/**
 * Records a sign-in unless the account is locked now: failed attempts running alongside may have locked it
 * since it was read. Answers whether it was recorded.
 */
export async function markSignedIn(
  trx: Transaction<DB>,
  id: string,
  now: Date,
  rehash: string | undefined,
): Promise<boolean> {
  const row = await trx
    .updateTable('admin_users')
    .set({
      login_attempts: 0,
      locked_until: null,
      last_login_at: now,
      ...(rehash ? { hashed_password: rehash } : {}),
    })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function lockedUntil(db: Kysely<DB>, id: string): Promise<Date | null> {
  const row = await db
    .selectFrom('admin_users')
    .select('locked_until')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return row.locked_until;
}

/**
 * Counts a failed attempt in one statement (concurrent failures all count); the attempt that reaches `max`
 * locks the account until `lockUntil`. A lock that has run out, or a last failure at or before `forgetBefore`,
 * starts the count again (the rule of failure-count.ts, which unknown addresses are counted by too).
 */
export function countFailedAttempt(
  db: Kysely<DB>,
  id: string,
  rule: FailureRule,
): Promise<{ attempts: number; locked_until: Date | null }> {
  const next = nextFailure(
    { attempts: 'login_attempts', lockedUntil: 'locked_until', lastFailedAt: 'last_failed_login_at' },
    rule,
  );
  return db
    .updateTable('admin_users')
    .set({ login_attempts: next.attempts, locked_until: next.lockedUntil, last_failed_login_at: rule.now })
    .where('id', '=', id)
    .returning(['login_attempts as attempts', 'locked_until'])
    .executeTakeFirstOrThrow();
}

/** What checking a signed-in user's password needs. */
export function passwordStateOf(db: Kysely<DB>, id: string) {
  return db
    .selectFrom('admin_users')
    .select(['hashed_password', 'email', 'totp_enabled_at', 'locked_until', 'login_attempts'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

export async function resetAttempts(db: Kysely<DB>, id: string): Promise<void> {
  await db.updateTable('admin_users').set({ login_attempts: 0 }).where('id', '=', id).execute();
}

export async function setPassword(
  db: Kysely<DB>,
  id: string,
  hashed: string,
  now: Date,
  by: string,
): Promise<void> {
  await db
    .updateTable('admin_users')
    .set({ hashed_password: hashed, password_changed_at: now, updated_by: by })
    .where('id', '=', id)
    .execute();
}

export function emailOf(db: Kysely<DB>, id: string) {
  return db.selectFrom('admin_users').select('email').where('id', '=', id).executeTakeFirst();
}

// ----- password reset tokens -----------------------------------------------------------------------------

export async function storeResetToken(
  db: Kysely<DB>,
  id: string,
  digest: string,
  expiresAt: Date,
): Promise<void> {
  await db
    .updateTable('admin_users')
    .set({ password_reset_token: digest, password_reset_expires_at: expiresAt })
    .where('id', '=', id)
    .execute();
}

/** An active, not deleted account by e-mail, with what a reset mail needs. */
export function findResetRecipient(db: Kysely<DB>, email: string) {
  return db
    .selectFrom('admin_users')
    .select(['id', 'email', 'first_name', 'language', 'password_reset_expires_at'])
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.trim().toLowerCase()))
    .where('deleted_at', 'is', null)
    .where('is_active', '=', true)
    .executeTakeFirst();
}

export function findByResetToken(db: Kysely<DB>, digest: string, now: Date) {
  return db
    .selectFrom('admin_users')
    .select(['id', 'email', 'first_name', 'language', 'timezone', 'totp_enabled_at'])
    .where('password_reset_token', '=', digest)
    .where('password_reset_expires_at', '>', now)
    .where('deleted_at', 'is', null)
    .where('is_active', '=', true)
    .executeTakeFirst();
}

/**
 * Sets the password with a reset token, consuming the token in the same statement that checks it (two uses
 * cannot both win); a lock ends too. Answers whether the token was still there.
 */
export async function consumeResetToken(
  db: Kysely<DB>,
  id: string,
  digest: string,
  hashed: string,
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('admin_users')
    .set({
      hashed_password: hashed,
      password_changed_at: now,
      password_reset_token: null,
      password_reset_expires_at: null,
      login_attempts: 0,
      locked_until: null,
      updated_by: id,
    })
    .where('id', '=', id)
    .where('password_reset_token', '=', digest)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

// ----- TOTP ----------------------------------------------------------------------------------------------

export function totpStateOf(db: Kysely<DB>, id: string) {
  return db
    .selectFrom('admin_users')
    .select(['email', 'totp_secret', 'totp_enabled_at'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

/** Takes a TOTP time step, if it is later than the last one used: each code works once. */
export async function claimTotpStep(db: Kysely<DB>, id: string, step: number): Promise<boolean> {
  const result = await db
    .updateTable('admin_users')
    .set({ totp_last_step: step })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function storeTotpSecret(db: Kysely<DB>, id: string, sealed: string): Promise<void> {
  await db
    .updateTable('admin_users')
    .set({ totp_secret: sealed, totp_last_step: null })
    .where('id', '=', id)
    .execute();
}

/** Switches TOTP on, unless it is on already or the secret changed since it was read. */
export async function enableTotp(
  db: Kysely<DB>,
  id: string,
  sealed: string,
  step: number,
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('admin_users')
    .set({ totp_enabled_at: now, totp_last_step: step, updated_by: id })
    .where('id', '=', id)
    .where('totp_enabled_at', 'is', null)
    .where('totp_secret', '=', sealed)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function clearTotp(db: Kysely<DB>, id: string, by: string): Promise<void> {
  await db
    .updateTable('admin_users')
    .set({ totp_secret: null, totp_enabled_at: null, totp_last_step: null, updated_by: by })
    .where('id', '=', id)
    .execute();
}
