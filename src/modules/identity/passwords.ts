import type { Kysely } from 'kysely';
import { writeTransaction, type AuditActor } from '../../platform/audit/context.ts';
import { recordEvent } from '../../platform/audit/events.ts';
import { addMinutes } from '../../platform/clock.ts';
import type { DB } from '../../platform/db/schema.ts';
import { assertThat } from '../../platform/http/errors.ts';
import type { Locale } from '../../platform/i18n/index.ts';
import { renderMail, type TemplateName } from '../../platform/mail/templates.ts';
import { generatePassword, hashPassword } from '../../platform/security/passwords.ts';
import { randomToken, tokenDigest } from '../../platform/security/tokens.ts';
import type { IdentityDeps } from './deps.ts';
import { authError } from './errors.ts';
import { passwordChangedMail } from './mail.ts';
import * as accounts from './repository/accounts.ts';
import type { AuthContext, Sessions } from './sessions.ts';
import type { SignIn } from './sign-in.ts';

const RESET_HOURS = 1;
export const INVITATION_HOURS = 72;
const PASSWORD_MIN = 12;
const PASSWORD_MAX = 128;

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

/** Whom a password link goes to. */
export interface LinkRecipient {
  id: string;
  email: string;
  first_name: string;
  language: string;
}

/** Changing one's password, reset links (and invitations, which are reset links that last longer). */
export class Passwords {
  constructor(
    private readonly deps: IdentityDeps,
    private readonly sessions: Sessions,
    private readonly signIn: SignIn,
  ) {}

  private get db() {
    return this.deps.db;
  }

  private now(): Date {
    return this.deps.clock();
  }

  /** The hash of a password someone sets for an account (policy checked); none given: a random one. */
  async hashFor(password: string | undefined, email: string): Promise<string> {
    if (password !== undefined) checkPasswordPolicy(password, email);
    return hashPassword(password ?? generatePassword(32));
  }

  async change(
    auth: AuthContext,
    input: { currentPassword: string; newPassword: string },
    actor: AuditActor,
  ): Promise<void> {
    const user = await this.signIn.checkCurrentPassword(auth.user.id, input.currentPassword, actor);
    checkPasswordPolicy(input.newPassword, user.email);
    const hashed = await hashPassword(input.newPassword);
    await writeTransaction(this.db, actor, async (trx) => {
      await accounts.setPassword(trx, auth.user.id, hashed, this.now(), auth.user.id);
      const ended = await this.sessions.endAllOf(trx, auth.user.id, 'password_changed', auth.sessionId);
      await recordEvent(trx, actor, {
        event: 'PASSWORD_CHANGED',
        subjectUserId: auth.user.id,
        metadata: { other_sessions_ended: ended },
      });
    });
  }

  /** Mails a new user a link to choose their password (inside the transaction that creates them). */
  invite(db: Kysely<DB>, user: LinkRecipient, inviter: string): Promise<void> {
    return this.mailLink(db, user, 'invitation', INVITATION_HOURS, { inviter });
  }

  /** Stores a single-use token's digest and mails the link. */
  private async mailLink(
    db: Kysely<DB>,
    user: LinkRecipient,
    template: TemplateName,
    hours: number,
    params: Record<string, string> = {},
  ): Promise<void> {
    const token = randomToken();
    await accounts.storeResetToken(db, user.id, tokenDigest(token), addMinutes(this.now(), hours * 60));
    const locale: Locale = user.language === 'de' ? 'de' : 'en';
    const link = `${this.deps.publicUrl}/admin/reset-password?token=${encodeURIComponent(token)}`;
    const mail = renderMail(template, locale, { name: user.first_name, hours, ...params }, link);
    await this.deps.mailer.send({ to: user.email, language: locale, template, ...mail }, db);
  }

  /** Always succeeds from the caller's view: whether the address exists is not revealed. */
  async requestReset(email: string, actor: AuditActor): Promise<void> {
    const now = this.now();
    const user = await accounts.findResetRecipient(this.db, email);
    if (!user) return;
    // One mail a minute per account at most: the limit stops mail-bombing someone through this form.
    const issuedAt = user.password_reset_expires_at
      ? addMinutes(user.password_reset_expires_at, -RESET_HOURS * 60)
      : undefined;
    // A longer link (an invitation, 72 h) gives an issue time in the future: it does not hold a reset back.
    if (issuedAt && issuedAt <= now && now.getTime() - issuedAt.getTime() < 60_000) return;
    await writeTransaction(this.db, actor, async (trx) => {
      await this.mailLink(trx, user, 'password_reset', RESET_HOURS);
      await recordEvent(trx, actor, { event: 'PASSWORD_RESET_REQUESTED', subjectUserId: user.id });
    });
  }

  /**
   * Sets a new password with a reset token (once, before it expires), ends every session and mails the owner
   * a notice. A reset leaves two-factor authentication as it was; the answer says whether it is on.
   */
  async confirmReset(
    token: string,
    password: string,
    actor: AuditActor,
  ): Promise<{ twoFactorEnabled: boolean }> {
    const now = this.now();
    const digest = tokenDigest(token);
    const user = await accounts.findByResetToken(this.db, digest, now);
    assertThat(user, () => authError('auth.reset_token_invalid'));
    checkPasswordPolicy(password, user.email);
    const hashed = await hashPassword(password);
    const twoFactorEnabled = user.totp_enabled_at !== null;
    const userActor = { ...actor, userId: user.id, userEmail: user.email };
    await writeTransaction(this.db, userActor, async (trx) => {
      const consumed = await accounts.consumeResetToken(trx, user.id, digest, hashed, now);
      assertThat(consumed, () => authError('auth.reset_token_invalid'));
      const ended = await this.sessions.endAllOf(trx, user.id, 'password_reset');
      await recordEvent(trx, userActor, {
        event: 'PASSWORD_RESET',
        subjectUserId: user.id,
        metadata: { sessions_ended: ended },
      });
      const notice = passwordChangedMail({
        email: user.email,
        firstName: user.first_name,
        language: user.language,
        timezone: user.timezone,
        at: now,
        twoFactorEnabled,
      });
      await this.deps.mailer.send(notice, trx);
    });
    return { twoFactorEnabled };
  }
}
