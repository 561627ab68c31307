import type { Kysely } from 'kysely';
import { writeTransaction, type AuditActor } from '../../platform/audit/context.ts';
import { recordEvent } from '../../platform/audit/events.ts';
import type { DB } from '../../platform/db/schema.ts';
import { assertThat } from '../../platform/http/errors.ts';
import type { IdentityDeps } from './deps.ts';
import { authError, enrolmentCodeInvalid } from './errors.ts';
import * as accounts from './repository/accounts.ts';
import * as recoveryCodes from './repository/recovery-codes.ts';
import type { TwoFactorSetup } from './schemas.ts';
import type { AuthContext } from './sessions.ts';
import type { SignIn } from './sign-in.ts';
import { matchingStep, newEnrolment, newRecoveryCodes, recoveryDigest } from './totp.ts';

/** Two-factor authentication: enrolment, recovery codes, switching it off. */
export class TwoFactor {
  constructor(
    private readonly deps: IdentityDeps,
    private readonly signIn: SignIn,
  ) {}

  private get db() {
    return this.deps.db;
  }

  private now(): Date {
    return this.deps.clock();
  }

  /**
   * Starts enrolment after the current password is confirmed (a wrong one counts as a failed attempt), so a
   * stolen session cannot tie the account to the thief's authenticator.
   */
  async start(auth: AuthContext, password: string, actor: AuditActor): Promise<TwoFactorSetup> {
    const user = await this.signIn.checkCurrentPassword(auth.user.id, password, actor);
    assertThat(!user.totpEnabled, () => authError('auth.totp_already_enabled'));
    const enrolment = await newEnrolment(this.deps.appSecret, user.email);
    await writeTransaction(this.db, actor, (trx) =>
      accounts.storeTotpSecret(trx, auth.user.id, enrolment.sealed),
    );
    return { secret: enrolment.secret, otpauth_uri: enrolment.otpauthUri, qr_svg: enrolment.qrSvg };
  }

  /** Switches it on with a code from the app; answers the recovery codes (shown this once). */
  async confirm(auth: AuthContext, code: string, actor: AuditActor): Promise<string[]> {
    const now = this.now();
    const user = await accounts.totpStateOf(this.db, auth.user.id);
    assertThat(!user.totp_enabled_at, () => authError('auth.totp_already_enabled'));
    const sealed = user.totp_secret;
    assertThat(sealed, () => authError('auth.totp_not_started'));
    const step = matchingStep(this.deps.appSecret, sealed, code, now);
    if (step === null) throw enrolmentCodeInvalid();
    const codes = newRecoveryCodes();
    await writeTransaction(this.db, actor, async (trx) => {
      // Two confirmations at once: only the one that switches it on hands out (and stores) recovery codes.
      const enabled = await accounts.enableTotp(trx, auth.user.id, sealed, step, now);
      assertThat(enabled, () => authError('auth.totp_already_enabled'));
      await recoveryCodes.replaceRecoveryCodes(trx, auth.user.id, this.recoveryDigests(codes), now);
      await recordEvent(trx, actor, { event: 'TWO_FACTOR_ENABLED', subjectUserId: auth.user.id });
    });
    return codes;
  }

  async disable(auth: AuthContext, password: string, actor: AuditActor): Promise<void> {
    const user = await this.signIn.checkCurrentPassword(auth.user.id, password, actor);
    assertThat(user.totpEnabled, () => authError('auth.totp_not_enabled'));
    await writeTransaction(this.db, actor, async (trx) => {
      await this.clear(trx, auth.user.id, auth.user.id);
      await recordEvent(trx, actor, { event: 'TWO_FACTOR_DISABLED', subjectUserId: auth.user.id });
    });
  }

  /** Removes a user's second factor (their own choice, or an admin's help after a lost device). */
  async clear(db: Kysely<DB>, userId: string, by: string): Promise<void> {
    await accounts.clearTotp(db, userId, by);
    await recoveryCodes.deleteRecoveryCodes(db, userId);
  }

  async regenerateRecoveryCodes(auth: AuthContext, password: string, actor: AuditActor): Promise<string[]> {
    const user = await this.signIn.checkCurrentPassword(auth.user.id, password, actor);
    assertThat(user.totpEnabled, () => authError('auth.totp_not_enabled'));
    const codes = newRecoveryCodes();
    await writeTransaction(this.db, actor, (trx) =>
      recoveryCodes.replaceRecoveryCodes(trx, auth.user.id, this.recoveryDigests(codes), this.now()),
    );
    return codes;
  }

  private recoveryDigests(codes: string[]): string[] {
    return codes.map((code) => recoveryDigest(this.deps.appSecret, code));
  }

  remainingRecoveryCodes(userId: string): Promise<number> {
    return recoveryCodes.countUnusedRecoveryCodes(this.db, userId);
  }
}
