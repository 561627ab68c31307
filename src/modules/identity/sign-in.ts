import { writeTransaction, type AuditActor } from '../../platform/audit/context.ts';
import { recordEvent } from '../../platform/audit/events.ts';
import { addMinutes } from '../../platform/clock.ts';
import type { AppError } from '../../platform/http/errors.ts';
import { hashPassword, needsRehash, verifyPassword } from '../../platform/security/passwords.ts';
import type { IdentityDeps } from './deps.ts';
import { authError } from './errors.ts';
import { keyedDigest } from './keyed.ts';
import * as accounts from './repository/accounts.ts';
import type { FailureRule } from './repository/failure-count.ts';
import { useRecoveryCode } from './repository/recovery-codes.ts';
import * as unknownAddresses from './repository/unknown-addresses.ts';
import type { UserView } from './schemas.ts';
import type { IssuedSession, Sessions } from './sessions.ts';
import { looksLikeRecoveryCode, matchingStep, recoveryDigest } from './totp.ts';
import { toUserView } from './user-view.ts';

/** Verified when the e-mail is unknown, so that answer takes as long as a wrong password. */
let dummyHash: Promise<string> | undefined;
function timingDummy(): Promise<string> {
  dummyHash ??= hashPassword('timing-equaliser-not-a-password');
  return dummyHash;
}

type FailureReason = 'password' | 'totp' | 'current_password';

/**
 * A run of failed attempts is forgotten this long after its last failure, for accounts and unknown addresses
 * alike; rows of unknown addresses are pruned after it (it is at least the longest lock the settings allow).
 */
export const FAILURE_MEMORY_HOURS = 24;

/** The time at or before which a last failure no longer counts. */
export function forgetFailuresBefore(now: Date): Date {
  return addMinutes(now, -FAILURE_MEMORY_HOURS * 60);
}

/** The key failed attempts at an address without an account are counted under (never the address itself). */
function addressDigest(appSecret: string, email: string): string {
  return keyedDigest(appSecret, 'login-address', email.trim().toLowerCase());
}

/** Sign-in with password and second factor, and the lockout that counts every failed attempt. */
export class SignIn {
  constructor(
    private readonly deps: IdentityDeps,
    private readonly sessions: Sessions,
  ) {
    // Made now, so that even the first unknown e-mail costs what a known one does.
    void timingDummy();
  }

  private get db() {
    return this.deps.db;
  }

  private now(): Date {
    return this.deps.clock();
  }

  async login(
    input: { email: string; password: string; totpCode?: string | undefined },
    actor: AuditActor,
  ): Promise<{ session: IssuedSession; user: UserView }> {
    const now = this.now();
    const email = input.email.trim().toLowerCase();
    const user = await accounts.findForSignIn(this.db, email);

    if (!user) return this.failUnknownAddress(email, input.password, actor, now);
    const failureActor = { ...actor, userEmail: user.email };
    if (user.locked_until && user.locked_until > now) {
      await recordEvent(this.db, failureActor, {
        event: 'LOGIN_FAILED',
        subjectUserId: user.id,
        metadata: { reason: 'locked' },
      });
      throw lockedError(user.locked_until, now);
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
        if (!(await accounts.markSignedIn(trx, user.id, now, rehash))) {
          return { lockedUntil: (await accounts.lockedUntil(trx, user.id)) ?? now };
        }
        const session = await this.sessions.issue(trx, user.id, actor, now);
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
      throw lockedError(result.lockedUntil, now);
    }
    return result;
  }

  /** The rule a failure happening now is counted by: the lockout settings, and the 24 h after which it is forgotten. */
  private async failureRule(now: Date): Promise<FailureRule> {
    const max = await this.deps.settings.get('security.max_login_attempts');
    const minutes = await this.deps.settings.get('security.lockout_minutes');
    return { now, forgetBefore: forgetFailuresBefore(now), max, lockUntil: addMinutes(now, minutes) };
  }

  /**
   * Audits a counted failure (LOGIN_FAILED, and LOCKOUT from the one that reached the limit) and throws 423 when
   * it locked: the same for an account (`subjectUserId`) and for an address without one (`email`), so the two
   * answer alike.
   */
  private async recordFailure(
    actor: AuditActor,
    who: { subjectUserId: string } | { email: string },
    reason: string,
    counted: { attempts: number; locked_until: Date | null },
    now: Date,
  ): Promise<void> {
    const subject = 'subjectUserId' in who ? { subjectUserId: who.subjectUserId } : {};
    const address = 'email' in who ? { email: who.email } : {};
    const { attempts, locked_until: until } = counted;
    await recordEvent(this.db, actor, {
      event: 'LOGIN_FAILED',
      ...subject,
      metadata: { ...address, reason, attempts },
    });
    if (!until) return;
    await recordEvent(this.db, actor, {
      event: 'LOCKOUT',
      ...subject,
      metadata: {
        ...address,
        ...('email' in who ? { unknown_email: true } : {}),
        attempts,
        until: until.toISOString(),
      },
    });
    throw lockedError(until, now);
  }

  /**
   * An address no live account has, answered as a known address with a wrong password is: refused while it is
   * locked (without a password check, as a locked account is), else a password verification against a dummy
   * hash (so it costs the same time), the failure counted under the keyed digest of the address by the same
   * rules and settings, and 423 auth.locked from the attempt that reaches the limit on. Nothing in the answer
   * tells the two apart.
   */
  private async failUnknownAddress(
    email: string,
    password: string,
    actor: AuditActor,
    now: Date,
  ): Promise<never> {
    const digest = addressDigest(this.deps.appSecret, email);
    const lockedUntil = await unknownAddresses.lockedUntilOf(this.db, digest);
    if (lockedUntil && lockedUntil > now) {
      await recordEvent(this.db, actor, {
        event: 'LOGIN_FAILED',
        metadata: { email, reason: 'locked', unknown_email: true },
      });
      throw lockedError(lockedUntil, now);
    }
    await verifyPassword(await timingDummy(), password);
    const counted = await unknownAddresses.countUnknownFailure(this.db, digest, await this.failureRule(now));
    await this.recordFailure(actor, { email }, 'unknown_email', counted, now);
    throw authError('auth.invalid_credentials');
  }

  /** Counts a failed attempt atomically; the attempt that reaches the limit locks the account. */
  private async failAttempt(userId: string, actor: AuditActor, reason: FailureReason): Promise<never> {
    const now = this.now();
    const counted = await accounts.countFailedAttempt(this.db, userId, await this.failureRule(now));
    await this.recordFailure(actor, { subjectUserId: userId }, reason, counted, now);
    if (reason === 'current_password') throw authError('auth.password_incorrect');
    throw authError(reason === 'totp' ? 'auth.totp_invalid' : 'auth.invalid_credentials');
  }

  /**
   * Checks the password a signed-in user confirms a change with. A wrong one counts as a failed attempt and a
   * locked account is refused, so a stolen session cannot be used to guess the password without a limit.
   */
  async checkCurrentPassword(userId: string, password: string, actor: AuditActor) {
    const now = this.now();
    const user = await accounts.passwordStateOf(this.db, userId);
    if (user.locked_until && user.locked_until > now) throw lockedError(user.locked_until, now);
    if (!(await verifyPassword(user.hashed_password, password))) {
      return this.failAttempt(userId, actor, 'current_password');
    }
    // The right password ends a run of failures, as a sign-in does.
    if (user.login_attempts > 0) await accounts.resetAttempts(this.db, userId);
    return { email: user.email, totpEnabled: user.totp_enabled_at !== null };
  }

  /** A TOTP code (each time step once) or an unused recovery code. */
  private async acceptSecondFactor(
    userId: string,
    sealed: string,
    code: string,
    now: Date,
  ): Promise<'totp' | 'recovery' | false> {
    const step = matchingStep(this.deps.appSecret, sealed, code, now);
    if (step !== null) return (await accounts.claimTotpStep(this.db, userId, step)) ? 'totp' : false;
    if (looksLikeRecoveryCode(code)) {
      return (await useRecoveryCode(this.db, userId, recoveryDigest(this.deps.appSecret, code), now))
        ? 'recovery'
        : false;
    }
    return false;
  }
}

function lockedError(until: Date, now: Date): AppError {
  const minutes = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000));
  return authError('auth.locked', { minutes, until: until.toISOString() });
}
