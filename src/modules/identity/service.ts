import { sql, type Kysely, type Transaction } from 'kysely';
import type { AuditActor } from '../../platform/audit/context.ts';
import { writeTransaction } from '../../platform/audit/context.ts';
import { recordEvent } from '../../platform/audit/events.ts';
import { addMinutes, type Clock } from '../../platform/clock.ts';
import type { DB } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/http/errors.ts';
import type { Locale } from '../../platform/i18n/index.ts';
import type { Mailer } from '../../platform/mail/mailer.ts';
import { renderMail, type TemplateName } from '../../platform/mail/templates.ts';
import { hashPassword, needsRehash, verifyPassword } from '../../platform/security/passwords.ts';
import { randomToken, safeEqual, sign, tokenDigest } from '../../platform/security/tokens.ts';
import { readSetting } from '../../platform/settings.ts';
import { isPermission, ROLE_PERMISSIONS, type Permission, type Role } from './permissions.ts';
import {
  looksLikeRecoveryCode,
  matchingStep,
  newEnrolment,
  newRecoveryCodes,
  recoveryDigest,
} from './two-factor.ts';
import { toUserView, USER_COLUMNS, type UserView } from './user-view.ts';
import { authError } from './errors.ts';

export interface IdentityDeps {
  db: Kysely<DB>;
  clock: Clock;
  mailer: Mailer;
  appSecret: string;
  publicUrl: string;
  accessTokenMinutes: number;
  sessionDays: number;
}

export interface IssuedSession {
  sessionId: string;
  accessToken: string;
  refreshToken: string;
  accessExpiresAt: Date;
  expiresAt: Date;
}

/** Who is calling, resolved from an access token on every request. */
export interface AuthContext {
  user: { id: string; email: string; role: Role; language: Locale };
  sessionId: string;
  /** Role defaults plus live global grants. */
  permissions: ReadonlySet<Permission>;
  /** Live grants scoped to one resource: permission → resources. */
  scoped: ReadonlyMap<Permission, ReadonlySet<string>>;
  /** A super admin who must enrol in two-factor authentication before anything else. */
  mustEnrolTwoFactor: boolean;
}

export type SessionEndReason =
  | 'logout'
  | 'revoked'
  | 'refresh_reuse'
  | 'password_changed'
  | 'password_reset'
  | 'user_deactivated'
  | 'user_deleted';

const RESET_HOURS = 1;
export const INVITATION_HOURS = 72;
const PASSWORD_MIN = 12;
const PASSWORD_MAX = 128;

/** Verified when the e-mail is unknown, so that answer takes as long as a wrong password. */
let dummyHash: Promise<string> | undefined;
function timingDummy(): Promise<string> {
  dummyHash ??= hashPassword('timing-equaliser-not-a-password');
  return dummyHash;
}

/** The password policy: 12–128 characters, and not the account's e-mail address (or its local part). */
export function checkPasswordPolicy(password: string, email: string): void {
  const lower = password.toLowerCase();
  const address = email.toLowerCase();
  if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) {
    throw authError('auth.password_policy', { min: PASSWORD_MIN, max: PASSWORD_MAX }, [
      { field: 'password', code: 'length', message: `must be ${PASSWORD_MIN} to ${PASSWORD_MAX} characters` },
    ]);
  }
  if (lower === address || lower === address.split('@')[0]) {
    throw authError('auth.password_policy', { min: PASSWORD_MIN, max: PASSWORD_MAX }, [
      { field: 'password', code: 'email', message: 'must not be the e-mail address' },
    ]);
  }
}

function describeDevice(userAgent: string | null | undefined): Record<string, string> | null {
  if (!userAgent) return null;
  // By precedence, not position: Edge and Opera also say Chrome and Safari, Android also says Linux.
  const browser =
    ['Edg', 'OPR', 'Firefox', 'HeadlessChrome', 'Chrome', 'Safari', 'curl'].find((name) =>
      new RegExp(`\\b${name}/[\\d.]+`).test(userAgent),
    ) ?? 'other';
  const os =
    ['Windows', 'Android', 'iPhone', 'iPad', 'Mac OS X', 'Linux'].find((name) => userAgent.includes(name)) ??
    'other';
  return { browser: browser === 'Edg' ? 'Edge' : browser === 'OPR' ? 'Opera' : browser, os };
}

export class IdentityService {
  constructor(private readonly deps: IdentityDeps) {
    // Made now, so that even the first unknown e-mail costs what a known one does.
    void timingDummy();
  }

  private get db() {
    return this.deps.db;
  }

  private now(): Date {
    return this.deps.clock();
  }

  /** The CSRF token of a cookie session: bound to the session, verifiable without storage. */
  csrfToken(sessionId: string): string {
    return sign(this.deps.appSecret, `csrf:${sessionId}`);
  }

  get accessTokenSeconds(): number {
    return this.deps.accessTokenMinutes * 60;
  }

  // ----- sign-in -------------------------------------------------------------------------------------------

  async login(
    input: { email: string; password: string; totpCode?: string | undefined },
    actor: AuditActor,
  ): Promise<{ session: IssuedSession; user: UserView }> {
    const now = this.now();
    const email = input.email.trim().toLowerCase();
    const user = await this.db
      .selectFrom('admin_users')
      .select([...USER_COLUMNS, 'hashed_password', 'totp_secret'])
      .where((eb) => eb(eb.fn('lower', ['email']), '=', email))
      .where('deleted_at', 'is', null)
      .executeTakeFirst();

    if (!user) {
      await verifyPassword(await timingDummy(), input.password);
      await recordEvent(this.db, actor, {
        event: 'LOGIN_FAILED',
        metadata: { email, reason: 'unknown_email' },
      });
      throw authError('auth.invalid_credentials');
    }
    const failureActor = { ...actor, userEmail: user.email };
    if (user.locked_until && user.locked_until > now) {
      await recordEvent(this.db, failureActor, {
        event: 'LOGIN_FAILED',
        subjectUserId: user.id,
        metadata: { reason: 'locked' },
      });
      throw this.lockedError(user.locked_until, now);
    }
    if (!(await verifyPassword(user.hashed_password, input.password))) {
      return this.failAttempt(user.id, failureActor, 'password');
    }
    if (!user.is_active) {
      await recordEvent(this.db, failureActor, {
        event: 'LOGIN_FAILED',
        subjectUserId: user.id,
        metadata: { reason: 'inactive' },
      });
      throw authError('auth.account_disabled');
    }
    let usedRecoveryCode = false;
    if (user.totp_enabled_at && user.totp_secret) {
      const code = input.totpCode?.trim();
      if (!code) throw authError('auth.totp_required');
      const accepted = await this.acceptSecondFactor(user.id, user.totp_secret, code, now);
      if (!accepted) return this.failAttempt(user.id, failureActor, 'totp');
      usedRecoveryCode = accepted === 'recovery';
    }

    const rehash = needsRehash(user.hashed_password) ? await hashPassword(input.password) : undefined;
    const result = await writeTransaction(
      this.db,
      { ...actor, userId: user.id, userEmail: user.email },
      async (trx) => {
        // Failed attempts running alongside this one may have locked the account since it was read above; the
        // lock wins, else many guesses sent at once would all be tried although the fifth failure locked.
        const signedIn = await trx
          .updateTable('admin_users')
          .set({
            login_attempts: 0,
            locked_until: null,
            last_login_at: now,
            ...(rehash ? { hashed_password: rehash } : {}),
          })
          .where('id', '=', user.id)
          .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
          .returning('id')
          .executeTakeFirst();
        if (!signedIn) {
          const row = await trx
            .selectFrom('admin_users')
            .select('locked_until')
            .where('id', '=', user.id)
            .executeTakeFirstOrThrow();
          return { lockedUntil: row.locked_until ?? now };
        }
        const session = await this.issueSession(trx, user.id, actor, now);
        const sessionActor = {
          ...actor,
          userId: user.id,
          userEmail: user.email,
          sessionId: session.sessionId,
        };
        await recordEvent(trx, sessionActor, {
          event: 'LOGIN',
          subjectUserId: user.id,
          metadata: { two_factor: Boolean(user.totp_enabled_at), rehashed: Boolean(rehash) },
        });
        if (usedRecoveryCode) {
          await recordEvent(trx, sessionActor, { event: 'RECOVERY_CODE_USED', subjectUserId: user.id });
        }
        return { session, user: toUserView({ ...user, last_login_at: now, locked_until: null }) };
      },
    );
    if (result.lockedUntil) {
      await recordEvent(this.db, failureActor, {
        event: 'LOGIN_FAILED',
        subjectUserId: user.id,
        metadata: { reason: 'locked' },
      });
      throw this.lockedError(result.lockedUntil, now);
    }
    return result;
  }

  private lockedError(until: Date, now: Date): AppError {
    const minutes = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000));
    return authError('auth.locked', { minutes, until: until.toISOString() });
  }

  /** Counts a failed attempt atomically; the attempt that reaches the limit locks the account. */
  private async failAttempt(
    userId: string,
    actor: AuditActor,
    reason: 'password' | 'totp' | 'current_password',
  ): Promise<never> {
    const now = this.now();
    const max = await readSetting(this.db, 'security.max_login_attempts', 5);
    const minutes = await readSetting(this.db, 'security.lockout_minutes', 15);
    const lockUntil = addMinutes(now, minutes);
    // A lock that has run out starts the count again.
    const attempts = sql<number>`CASE WHEN locked_until IS NOT NULL AND locked_until <= ${now}
      THEN 1 ELSE login_attempts + 1 END`;
    const row = await this.db
      .updateTable('admin_users')
      .set({
        login_attempts: attempts,
        locked_until: sql<Date | null>`CASE WHEN ${attempts} >= ${max} THEN ${lockUntil}::timestamptz ELSE NULL END`,
      })
      .where('id', '=', userId)
      .returning(['login_attempts', 'locked_until'])
      .executeTakeFirstOrThrow();
    await recordEvent(this.db, actor, {
      event: 'LOGIN_FAILED',
      subjectUserId: userId,
      metadata: { reason, attempts: row.login_attempts },
    });
    if (row.locked_until) {
      await recordEvent(this.db, actor, {
        event: 'LOCKOUT',
        subjectUserId: userId,
        metadata: { attempts: row.login_attempts, until: row.locked_until.toISOString() },
      });
      throw this.lockedError(row.locked_until, now);
    }
    if (reason === 'current_password') throw authError('auth.password_incorrect');
    throw authError(reason === 'totp' ? 'auth.totp_invalid' : 'auth.invalid_credentials');
  }

  /**
   * Checks the password a signed-in user confirms a change with. A wrong one counts as a failed attempt and a
   * locked account is refused, so a stolen session cannot be used to guess the password without a limit.
   */
  private async checkCurrentPassword(userId: string, password: string, actor: AuditActor) {
    const now = this.now();
    const user = await this.db
      .selectFrom('admin_users')
      .select(['hashed_password', 'email', 'totp_enabled_at', 'locked_until', 'login_attempts'])
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
    if (user.locked_until && user.locked_until > now) throw this.lockedError(user.locked_until, now);
    if (!(await verifyPassword(user.hashed_password, password))) {
      return this.failAttempt(userId, actor, 'current_password');
    }
    // The right password ends a run of failures, as a sign-in does.
    if (user.login_attempts > 0) {
      await this.db.updateTable('admin_users').set({ login_attempts: 0 }).where('id', '=', userId).execute();
    }
    return user;
  }

  /** A TOTP code (each time step once) or an unused recovery code. */
  private async acceptSecondFactor(
    userId: string,
    sealed: string,
    code: string,
    now: Date,
  ): Promise<'totp' | 'recovery' | false> {
    const step = matchingStep(this.deps.appSecret, sealed, code, now);
    if (step !== null) {
      const claimed = await this.db
        .updateTable('admin_users')
        .set({ totp_last_step: step })
        .where('id', '=', userId)
        .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
        .executeTakeFirst();
      return claimed.numUpdatedRows > 0n ? 'totp' : false;
    }
    if (looksLikeRecoveryCode(code)) {
      const used = await this.db
        .updateTable('admin_recovery_codes')
        .set({ used_at: now })
        .where('user_id', '=', userId)
        .where('code_hash', '=', recoveryDigest(code))
        .where('used_at', 'is', null)
        .executeTakeFirst();
      return used.numUpdatedRows > 0n ? 'recovery' : false;
    }
    return false;
  }

  // ----- sessions ------------------------------------------------------------------------------------------

  private async issueSession(
    trx: Transaction<DB>,
    userId: string,
    actor: AuditActor,
    now: Date,
  ): Promise<IssuedSession> {
    const accessToken = randomToken();
    const refreshToken = randomToken();
    const expiresAt = addMinutes(now, this.deps.sessionDays * 24 * 60);
    const accessExpiresAt = addMinutes(now, this.deps.accessTokenMinutes);
    const device = describeDevice(actor.userAgent);
    const row = await trx
      .insertInto('admin_sessions')
      .values({
        user_id: userId,
        session_token: tokenDigest(accessToken),
        refresh_token: tokenDigest(refreshToken),
        ip_address: actor.ip ?? null,
        user_agent: actor.userAgent?.slice(0, 1000) ?? null,
        device_info: device ? JSON.stringify(device) : null,
        created_at: now,
        last_activity_at: now,
        expires_at: expiresAt,
        access_expires_at: accessExpiresAt < expiresAt ? accessExpiresAt : expiresAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { sessionId: row.id, accessToken, refreshToken, accessExpiresAt, expiresAt };
  }

  /**
   * The caller behind an access token, or why there is none. Checked on every request, so a deactivated user,
   * an ended session or an expired grant stops working at once.
   */
  async authenticate(accessToken: string): Promise<AuthContext | 'expired' | 'invalid'> {
    const now = this.now();
    const row = await this.db
      .selectFrom('admin_sessions as s')
      .innerJoin('admin_users as u', 'u.id', 's.user_id')
      .select([
        's.id as session_id',
        's.access_expires_at',
        's.last_activity_at',
        'u.id',
        'u.email',
        'u.role',
        'u.language',
        'u.is_active',
        'u.deleted_at',
        'u.totp_enabled_at',
      ])
      .where('s.session_token', '=', tokenDigest(accessToken))
      .where('s.invalidated_at', 'is', null)
      .executeTakeFirst();
    if (!row || !row.is_active || row.deleted_at) return 'invalid';
    if (row.access_expires_at <= now) return 'expired';

    const role = row.role as Role;
    const permissions = new Set<Permission>(ROLE_PERMISSIONS[role]);
    const scoped = new Map<Permission, Set<string>>();
    const grants = await this.db
      .selectFrom('user_permissions')
      .select(['permission', 'resource'])
      .where('user_id', '=', row.id)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
      .execute();
    for (const grant of grants) {
      if (!isPermission(grant.permission)) continue;
      if (grant.resource === null) permissions.add(grant.permission);
      else scoped.set(grant.permission, (scoped.get(grant.permission) ?? new Set()).add(grant.resource));
    }
    const mustEnrolTwoFactor =
      role === 'super_admin' &&
      row.totp_enabled_at === null &&
      (await readSetting(this.db, 'security.require_2fa_for_super_admins', false));

    // Activity is kept to the minute; a write on every request would be waste.
    if (now.getTime() - row.last_activity_at.getTime() > 60_000) {
      await this.db
        .updateTable('admin_sessions')
        .set({ last_activity_at: now })
        .where('id', '=', row.session_id)
        .execute();
    }
    return {
      user: { id: row.id, email: row.email, role, language: row.language === 'de' ? 'de' : 'en' },
      sessionId: row.session_id,
      permissions,
      scoped,
      mustEnrolTwoFactor,
    };
  }

  /**
   * Exchanges a refresh token for a new pair. A token that was already exchanged means it was copied: the
   * whole session ends and both holders must sign in again.
   */
  async refresh(
    refreshToken: string,
    actor: AuditActor,
    /** Cookie sessions: the CSRF header, checked against the session before anything changes. */
    csrf?: string,
  ): Promise<IssuedSession & { userId: string }> {
    const now = this.now();
    const digest = tokenDigest(refreshToken);
    // A reused token ends its session: that must commit, so the error is thrown after the transaction.
    const result = await writeTransaction(this.db, actor, async (trx) => {
      const session = await trx
        .selectFrom('admin_sessions as s')
        .innerJoin('admin_users as u', 'u.id', 's.user_id')
        .select([
          's.id',
          's.user_id',
          's.expires_at',
          's.invalidated_at',
          'u.is_active',
          'u.deleted_at',
          'u.email',
        ])
        .where('s.refresh_token', '=', digest)
        .forUpdate('s')
        .executeTakeFirst();
      if (!session) {
        const reused = await trx
          .selectFrom('admin_session_rotated_tokens')
          .select('session_id')
          .where('token_hash', '=', digest)
          .executeTakeFirst();
        if (reused) {
          const ended = await this.endSession(trx, reused.session_id, 'refresh_reuse');
          if (ended) {
            await recordEvent(trx, actor, {
              event: 'TOKEN_REFRESH_REUSE',
              subjectUserId: ended.user_id,
              metadata: { session_id: reused.session_id },
            });
          }
          return 'reused' as const;
        }
        throw authError('auth.invalid_token');
      }
      if (session.invalidated_at || !session.is_active || session.deleted_at) {
        throw authError('auth.invalid_token');
      }
      if (session.expires_at <= now) throw authError('auth.session_expired');
      if (csrf !== undefined && !safeEqual(csrf, this.csrfToken(session.id))) {
        throw authError('auth.csrf_failed');
      }

      const accessToken = randomToken();
      const nextRefresh = randomToken();
      const expiresAt = addMinutes(now, this.deps.sessionDays * 24 * 60);
      const accessExpiresAt = addMinutes(now, this.deps.accessTokenMinutes);
      await trx
        .insertInto('admin_session_rotated_tokens')
        .values({ token_hash: digest, session_id: session.id, rotated_at: now })
        .execute();
      await trx
        .updateTable('admin_sessions')
        .set({
          session_token: tokenDigest(accessToken),
          refresh_token: tokenDigest(nextRefresh),
          access_expires_at: accessExpiresAt,
          expires_at: expiresAt,
          last_activity_at: now,
        })
        .where('id', '=', session.id)
        .execute();
      return {
        sessionId: session.id,
        userId: session.user_id,
        accessToken,
        refreshToken: nextRefresh,
        accessExpiresAt,
        expiresAt,
      };
    });
    if (result === 'reused') throw authError('auth.refresh_reused');
    return result;
  }

  /** Ends one live session; returns its owner, or undefined when it was not live. */
  async endSession(trx: Kysely<DB>, sessionId: string, reason: SessionEndReason) {
    return trx
      .updateTable('admin_sessions')
      .set({ invalidated_at: this.now(), invalidated_reason: reason })
      .where('id', '=', sessionId)
      .where('invalidated_at', 'is', null)
      .returning('user_id')
      .executeTakeFirst();
  }

  /** Ends every live session of a user (but `except`); returns how many ended. */
  async endUserSessions(
    trx: Kysely<DB>,
    userId: string,
    reason: SessionEndReason,
    except?: string,
  ): Promise<number> {
    let query = trx
      .updateTable('admin_sessions')
      .set({ invalidated_at: this.now(), invalidated_reason: reason })
      .where('user_id', '=', userId)
      .where('invalidated_at', 'is', null);
    if (except) query = query.where('id', '<>', except);
    const result = await query.executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async logout(auth: AuthContext, actor: AuditActor): Promise<void> {
    await writeTransaction(this.db, actor, async (trx) => {
      await this.endSession(trx, auth.sessionId, 'logout');
      await recordEvent(trx, actor, { event: 'LOGOUT', subjectUserId: auth.user.id });
    });
  }

  async listSessions(userId: string, currentSessionId: string) {
    const now = this.now();
    const rows = await this.db
      .selectFrom('admin_sessions')
      .select([
        'id',
        'ip_address',
        'user_agent',
        'device_info',
        'created_at',
        'last_activity_at',
        'expires_at',
      ])
      .where('user_id', '=', userId)
      .where('invalidated_at', 'is', null)
      .where('expires_at', '>', now)
      .orderBy('last_activity_at', 'desc')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      ip_address: r.ip_address,
      user_agent: r.user_agent,
      device_info: (r.device_info ?? null) as Record<string, string> | null,
      created_at: r.created_at.toISOString(),
      last_activity_at: r.last_activity_at.toISOString(),
      expires_at: r.expires_at.toISOString(),
      current: r.id === currentSessionId,
    }));
  }

  async revokeSession(auth: AuthContext, sessionId: string, actor: AuditActor): Promise<void> {
    await writeTransaction(this.db, actor, async (trx) => {
      const owned = await trx
        .selectFrom('admin_sessions')
        .select('id')
        .where('id', '=', sessionId)
        .where('user_id', '=', auth.user.id)
        .where('invalidated_at', 'is', null)
        .executeTakeFirst();
      if (!owned) throw authError('auth.session_not_found');
      await this.endSession(trx, sessionId, 'revoked');
      await recordEvent(trx, actor, {
        event: 'SESSION_REVOKED',
        subjectUserId: auth.user.id,
        metadata: { session_id: sessionId },
      });
    });
  }

  /** Ends all of the caller's sessions but the current one; returns how many ended. */
  async revokeOtherSessions(auth: AuthContext, actor: AuditActor): Promise<number> {
    return writeTransaction(this.db, actor, async (trx) => {
      const count = await this.endUserSessions(trx, auth.user.id, 'revoked', auth.sessionId);
      await recordEvent(trx, actor, {
        event: 'SESSION_REVOKED',
        subjectUserId: auth.user.id,
        metadata: { all_others: true, count },
      });
      return count;
    });
  }

  // ----- passwords -----------------------------------------------------------------------------------------

  async changePassword(
    auth: AuthContext,
    input: { currentPassword: string; newPassword: string },
    actor: AuditActor,
  ): Promise<void> {
    const user = await this.checkCurrentPassword(auth.user.id, input.currentPassword, actor);
    checkPasswordPolicy(input.newPassword, user.email);
    const hashed = await hashPassword(input.newPassword);
    await writeTransaction(this.db, actor, async (trx) => {
      await trx
        .updateTable('admin_users')
        .set({ hashed_password: hashed, password_changed_at: this.now(), updated_by: auth.user.id })
        .where('id', '=', auth.user.id)
        .execute();
      const ended = await this.endUserSessions(trx, auth.user.id, 'password_changed', auth.sessionId);
      await recordEvent(trx, actor, {
        event: 'PASSWORD_CHANGED',
        subjectUserId: auth.user.id,
        metadata: { other_sessions_ended: ended },
      });
    });
  }

  /**
   * Stores a single-use token's digest and mails the link. Used by reset requests and by invitations of users
   * created without a password.
   */
  async mailPasswordLink(
    db: Kysely<DB>,
    user: { id: string; email: string; first_name: string; language: string },
    template: TemplateName,
    hours: number,
    params: Record<string, string> = {},
  ): Promise<void> {
    const token = randomToken();
    await db
      .updateTable('admin_users')
      .set({
        password_reset_token: tokenDigest(token),
        password_reset_expires_at: addMinutes(this.now(), hours * 60),
      })
      .where('id', '=', user.id)
      .execute();
    const locale: Locale = user.language === 'de' ? 'de' : 'en';
    const link = `${this.deps.publicUrl}/admin/reset-password?token=${encodeURIComponent(token)}`;
    const mail = renderMail(template, locale, { name: user.first_name, hours, ...params }, link);
    await this.deps.mailer.send({ to: user.email, language: locale, template, ...mail }, db);
  }

  /** Always succeeds from the caller's view: whether the address exists is not revealed. */
  async requestPasswordReset(email: string, actor: AuditActor): Promise<void> {
    const now = this.now();
    const user = await this.db
      .selectFrom('admin_users')
      .select(['id', 'email', 'first_name', 'language', 'password_reset_expires_at'])
      .where((eb) => eb(eb.fn('lower', ['email']), '=', email.trim().toLowerCase()))
      .where('deleted_at', 'is', null)
      .where('is_active', '=', true)
      .executeTakeFirst();
    if (!user) return;
    // One mail a minute per account at most: the limit stops mail-bombing someone through this form.
    const issuedAt = user.password_reset_expires_at
      ? addMinutes(user.password_reset_expires_at, -RESET_HOURS * 60)
      : undefined;
    // A longer link (an invitation, 72 h) gives an issue time in the future: it does not hold a reset back.
    if (issuedAt && issuedAt <= now && now.getTime() - issuedAt.getTime() < 60_000) return;
    await writeTransaction(this.db, actor, async (trx) => {
      await this.mailPasswordLink(trx, user, 'password_reset', RESET_HOURS);
      await recordEvent(trx, actor, { event: 'PASSWORD_RESET_REQUESTED', subjectUserId: user.id });
    });
  }

  /** Sets a new password with a reset token (once, before it expires) and ends every session. */
  async confirmPasswordReset(token: string, password: string, actor: AuditActor): Promise<void> {
    const now = this.now();
    const digest = tokenDigest(token);
    const user = await this.db
      .selectFrom('admin_users')
      .select(['id', 'email'])
      .where('password_reset_token', '=', digest)
      .where('password_reset_expires_at', '>', now)
      .where('deleted_at', 'is', null)
      .where('is_active', '=', true)
      .executeTakeFirst();
    if (!user) throw authError('auth.reset_token_invalid');
    checkPasswordPolicy(password, user.email);
    const hashed = await hashPassword(password);
    await writeTransaction(this.db, { ...actor, userId: user.id, userEmail: user.email }, async (trx) => {
      // The token is consumed by the same statement that checks it: two uses cannot both win.
      const consumed = await trx
        .updateTable('admin_users')
        .set({
          hashed_password: hashed,
          password_changed_at: now,
          password_reset_token: null,
          password_reset_expires_at: null,
          login_attempts: 0,
          locked_until: null,
          updated_by: user.id,
        })
        .where('id', '=', user.id)
        .where('password_reset_token', '=', digest)
        .executeTakeFirst();
      if (consumed.numUpdatedRows === 0n) throw authError('auth.reset_token_invalid');
      const ended = await this.endUserSessions(trx, user.id, 'password_reset');
      await recordEvent(
        trx,
        { ...actor, userId: user.id, userEmail: user.email },
        {
          event: 'PASSWORD_RESET',
          subjectUserId: user.id,
          metadata: { sessions_ended: ended },
        },
      );
    });
  }

  // ----- two-factor ----------------------------------------------------------------------------------------

  async startTwoFactor(auth: AuthContext, actor: AuditActor) {
    const user = await this.db
      .selectFrom('admin_users')
      .select(['email', 'totp_enabled_at'])
      .where('id', '=', auth.user.id)
      .executeTakeFirstOrThrow();
    if (user.totp_enabled_at) throw authError('auth.totp_already_enabled');
    const enrolment = await newEnrolment(this.deps.appSecret, user.email);
    await writeTransaction(this.db, actor, (trx) =>
      trx
        .updateTable('admin_users')
        .set({ totp_secret: enrolment.sealed, totp_last_step: null })
        .where('id', '=', auth.user.id)
        .execute(),
    );
    return { secret: enrolment.secret, otpauth_uri: enrolment.otpauthUri, qr_svg: enrolment.qrSvg };
  }

  async confirmTwoFactor(auth: AuthContext, code: string, actor: AuditActor): Promise<string[]> {
    const now = this.now();
    const user = await this.db
      .selectFrom('admin_users')
      .select(['totp_secret', 'totp_enabled_at'])
      .where('id', '=', auth.user.id)
      .executeTakeFirstOrThrow();
    if (user.totp_enabled_at) throw authError('auth.totp_already_enabled');
    if (!user.totp_secret) throw authError('auth.totp_not_started');
    const step = matchingStep(this.deps.appSecret, user.totp_secret, code, now);
    if (step === null) throw authError('auth.totp_invalid');
    const codes = newRecoveryCodes();
    await writeTransaction(this.db, actor, async (trx) => {
      // Two confirmations at once: only the one that switches it on hands out (and stores) recovery codes.
      const enabled = await trx
        .updateTable('admin_users')
        .set({ totp_enabled_at: now, totp_last_step: step, updated_by: auth.user.id })
        .where('id', '=', auth.user.id)
        .where('totp_enabled_at', 'is', null)
        .where('totp_secret', '=', user.totp_secret)
        .executeTakeFirst();
      if (enabled.numUpdatedRows === 0n) throw authError('auth.totp_already_enabled');
      await this.replaceRecoveryCodes(trx, auth.user.id, codes, now);
      await recordEvent(trx, actor, { event: 'TWO_FACTOR_ENABLED', subjectUserId: auth.user.id });
    });
    return codes;
  }

  private async replaceRecoveryCodes(trx: Transaction<DB>, userId: string, codes: string[], now: Date) {
    await trx.deleteFrom('admin_recovery_codes').where('user_id', '=', userId).execute();
    await trx
      .insertInto('admin_recovery_codes')
      .values(codes.map((c) => ({ user_id: userId, code_hash: recoveryDigest(c), created_at: now })))
      .execute();
  }

  async disableTwoFactor(auth: AuthContext, password: string, actor: AuditActor): Promise<void> {
    const user = await this.checkCurrentPassword(auth.user.id, password, actor);
    if (!user.totp_enabled_at) throw authError('auth.totp_not_enabled');
    await writeTransaction(this.db, actor, async (trx) => {
      await this.clearTwoFactor(trx, auth.user.id, auth.user.id);
      await recordEvent(trx, actor, { event: 'TWO_FACTOR_DISABLED', subjectUserId: auth.user.id });
    });
  }

  /** Removes a user's second factor (their own choice, or an admin's help after a lost device). */
  async clearTwoFactor(trx: Transaction<DB>, userId: string, by: string): Promise<void> {
    await trx
      .updateTable('admin_users')
      .set({ totp_secret: null, totp_enabled_at: null, totp_last_step: null, updated_by: by })
      .where('id', '=', userId)
      .execute();
    await trx.deleteFrom('admin_recovery_codes').where('user_id', '=', userId).execute();
  }

  async regenerateRecoveryCodes(auth: AuthContext, password: string, actor: AuditActor): Promise<string[]> {
    const user = await this.checkCurrentPassword(auth.user.id, password, actor);
    if (!user.totp_enabled_at) throw authError('auth.totp_not_enabled');
    const codes = newRecoveryCodes();
    await writeTransaction(this.db, actor, (trx) =>
      this.replaceRecoveryCodes(trx, auth.user.id, codes, this.now()),
    );
    return codes;
  }

  async remainingRecoveryCodes(userId: string): Promise<number> {
    const row = await this.db
      .selectFrom('admin_recovery_codes')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .where('used_at', 'is', null)
      .executeTakeFirstOrThrow();
    return row.n;
  }

  async me(userId: string): Promise<UserView> {
    const row = await this.db
      .selectFrom('admin_users')
      .select(USER_COLUMNS)
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
    return toUserView(row);
  }
}
