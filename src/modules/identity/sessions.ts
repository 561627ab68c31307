import { randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { writeTransaction, type AuditActor } from '../../platform/audit/context.ts';
import { recordEvent } from '../../platform/audit/events.ts';
import { addMinutes } from '../../platform/clock.ts';
import type { DB } from '../../platform/db/schema.ts';
import { assertThat } from '../../platform/http/errors.ts';
import { iso } from '../../platform/http/schemas.ts';
import type { Locale } from '../../platform/i18n/index.ts';
import { randomToken, safeEqual, sign, tokenDigest } from '../../platform/security/tokens.ts';
import type { IdentityDeps } from './deps.ts';
import { authError } from './errors.ts';
import { keyedHmac } from './keyed.ts';
import { isPermission, ROLE_PERMISSIONS, type Permission, type Role } from './permissions.ts';
import { liveGrantsOf } from './repository/grants.ts';
import * as repo from './repository/sessions.ts';
import type { SessionView } from './schemas.ts';

export type { SessionEndReason } from './repository/sessions.ts';

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

/**
 * The pair a refresh hands out, derived rather than drawn: HMAC-SHA-256 under a key derived from APP_SECRET of
 * a random nonce (stored with the exchanged token's digest) and the refresh token exchanged. Only someone
 * presenting that raw token again gets the same pair (the grace window); nobody can compute a pair from the
 * database alone, and no raw token is stored. Each is 256 bits, base64url, like randomToken().
 */
function successorTokens(
  appSecret: string,
  nonce: string,
  exchanged: string,
): { accessToken: string; refreshToken: string } {
  const derive = (kind: 'access' | 'refresh') =>
    keyedHmac(appSecret, 'refresh-rotation', `${kind}.${nonce}.${exchanged}`).toString('base64url');
  return { accessToken: derive('access'), refreshToken: derive('refresh') };
}

/** Sessions: issued at sign-in, checked on every request, rotated on refresh, ended on many occasions. */
export class Sessions {
  constructor(private readonly deps: IdentityDeps) {}

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

  private lifetimes(now: Date): { accessExpiresAt: Date; expiresAt: Date } {
    return {
      expiresAt: addMinutes(now, this.deps.sessionDays * 24 * 60),
      accessExpiresAt: addMinutes(now, this.deps.accessTokenMinutes),
    };
  }

  async issue(trx: Transaction<DB>, userId: string, actor: AuditActor, now: Date): Promise<IssuedSession> {
    const accessToken = randomToken();
    const refreshToken = randomToken();
    const { expiresAt, accessExpiresAt } = this.lifetimes(now);
    const device = describeDevice(actor.userAgent);
    const sessionId = await repo.insertSession(trx, {
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
    });
    return { sessionId, accessToken, refreshToken, accessExpiresAt, expiresAt };
  }

  /**
   * The caller behind an access token, or why there is none. Checked on every request, so a deactivated user,
   * an ended session or an expired grant stops working at once.
   */
  async authenticate(accessToken: string): Promise<AuthContext | 'expired' | 'invalid'> {
    const now = this.now();
    const row = await repo.sessionByAccessToken(this.db, tokenDigest(accessToken));
    if (!row || !row.is_active || row.deleted_at) return 'invalid';
    if (row.access_expires_at <= now) return 'expired';

    const role = row.role as Role;
    const permissions = new Set<Permission>(ROLE_PERMISSIONS[role]);
    const scoped = new Map<Permission, Set<string>>();
    for (const grant of await liveGrantsOf(this.db, row.id, now)) {
      if (!isPermission(grant.permission)) continue;
      if (grant.resource === null) permissions.add(grant.permission);
      else scoped.set(grant.permission, (scoped.get(grant.permission) ?? new Set()).add(grant.resource));
    }
    const mustEnrolTwoFactor =
      role === 'super_admin' &&
      row.totp_enabled_at === null &&
      (await this.deps.settings.get('security.require_2fa_for_super_admins'));

    // Activity is kept to the minute; a write on every request would be waste.
    if (now.getTime() - row.last_activity_at.getTime() > 60_000) {
      await repo.touchSession(this.db, row.session_id, now);
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
   * whole session ends and both holders must sign in again. Except within `security.refresh_grace_seconds` of
   * the exchange, while the pair it was exchanged for is still current: then it is a second tab that refreshed
   * at the same moment, and it gets that same pair (see successorTokens).
   */
  async refresh(
    refreshToken: string,
    actor: AuditActor,
    /** Cookie sessions: the CSRF header, checked against the session before anything changes. */
    csrf?: string,
  ): Promise<IssuedSession & { userId: string }> {
    const now = this.now();
    const digest = tokenDigest(refreshToken);
    // Read before the transaction: on PGlite a settings read inside it would wait for the transaction.
    const graceSeconds = await this.deps.settings.get('security.refresh_grace_seconds');
    // A reused token ends its session: that must commit, so the error is thrown after the transaction.
    const result = await writeTransaction(this.db, actor, async (trx) => {
      const session = await repo.lockSession(trx, { refreshToken: digest });
      if (!session) {
        const rotated = await repo.rotatedToken(trx, digest);
        if (!rotated) throw authError('auth.invalid_token');
        const again = await this.answerAgain(trx, rotated, refreshToken, { now, graceSeconds, csrf });
        if (again) return again;
        const ended = await this.end(trx, rotated.session_id, 'refresh_reuse');
        if (ended) {
          await recordEvent(trx, actor, {
            event: 'TOKEN_REFRESH_REUSE',
            subjectUserId: ended.user_id,
            metadata: { session_id: rotated.session_id },
          });
        }
        return 'reused' as const;
      }
      assertThat(!session.invalidated_at && session.is_active && !session.deleted_at, () =>
        authError('auth.invalid_token'),
      );
      assertThat(session.expires_at > now, () => authError('auth.session_expired'));
      this.checkCsrf(session.id, csrf);

      const nonce = randomBytes(32).toString('hex');
      const next = successorTokens(this.deps.appSecret, nonce, refreshToken);
      const { expiresAt, accessExpiresAt } = this.lifetimes(now);
      await repo.rotateSession(
        trx,
        session.id,
        { refreshDigest: digest, successorNonce: nonce },
        {
          session_token: tokenDigest(next.accessToken),
          refresh_token: tokenDigest(next.refreshToken),
          access_expires_at: accessExpiresAt,
          expires_at: expiresAt,
        },
        now,
      );
      return { sessionId: session.id, userId: session.user_id, ...next, accessExpiresAt, expiresAt };
    });
    if (result === 'reused') throw authError('auth.refresh_reused');
    return result;
  }

  private checkCsrf(sessionId: string, csrf: string | undefined): void {
    assertThat(csrf === undefined || safeEqual(csrf, this.csrfToken(sessionId)), () =>
      authError('auth.csrf_failed'),
    );
  }

  /**
   * The pair an exchanged refresh token was exchanged for, when it is presented again within the grace window
   * and that pair is still its live session's current one; otherwise undefined (the caller treats it as reuse).
   * The session keeps one pair, which both tabs now hold; the exchanged token's one grace answer is used up.
   */
  private async answerAgain(
    trx: Transaction<DB>,
    rotated: { id: string; session_id: string; rotated_at: Date; successor_nonce: string | null },
    refreshToken: string,
    at: { now: Date; graceSeconds: number; csrf: string | undefined },
  ): Promise<(IssuedSession & { userId: string }) | undefined> {
    const age = at.now.getTime() - rotated.rotated_at.getTime();
    if (at.graceSeconds <= 0 || age > at.graceSeconds * 1000 || !rotated.successor_nonce) return undefined;
    const session = await repo.lockSession(trx, { id: rotated.session_id });
    if (!session || session.invalidated_at || !session.is_active || session.deleted_at) return undefined;
    if (session.expires_at <= at.now) return undefined;
    const pair = successorTokens(this.deps.appSecret, rotated.successor_nonce, refreshToken);
    // Still current only if the session has not been refreshed again since: an older token gets no grace.
    const current =
      safeEqual(tokenDigest(pair.accessToken), session.session_token) &&
      safeEqual(tokenDigest(pair.refreshToken), session.refresh_token ?? '');
    if (!current) return undefined;
    this.checkCsrf(session.id, at.csrf);
    // Once per exchanged token: a further copy within the window is reuse.
    if (!(await repo.takeGraceAnswer(trx, rotated.id, at.now))) return undefined;
    return {
      sessionId: session.id,
      userId: session.user_id,
      ...pair,
      accessExpiresAt: session.access_expires_at,
      expiresAt: session.expires_at,
    };
  }

  /** Ends one live session; returns its owner, or undefined when it was not live. */
  end(db: Kysely<DB>, sessionId: string, reason: repo.SessionEndReason) {
    return repo.endSession(db, sessionId, reason, this.now());
  }

  /** Ends every live session of a user (but `except`); returns how many ended. */
  endAllOf(db: Kysely<DB>, userId: string, reason: repo.SessionEndReason, except?: string): Promise<number> {
    return repo.endUserSessions(db, userId, reason, this.now(), except);
  }

  async logout(auth: AuthContext, actor: AuditActor): Promise<void> {
    await writeTransaction(this.db, actor, async (trx) => {
      await this.end(trx, auth.sessionId, 'logout');
      await recordEvent(trx, actor, { event: 'LOGOUT', subjectUserId: auth.user.id });
    });
  }

  /** The caller's live sessions, the current one marked. */
  async list(auth: AuthContext): Promise<SessionView[]> {
    const rows = await repo.liveSessionsOf(this.db, auth.user.id, this.now());
    return rows.map((r) => ({
      id: r.id,
      ip_address: r.ip_address,
      user_agent: r.user_agent,
      device_info: (r.device_info ?? null) as Record<string, string> | null,
      created_at: iso(r.created_at),
      last_activity_at: iso(r.last_activity_at),
      expires_at: iso(r.expires_at),
      current: r.id === auth.sessionId,
    }));
  }

  async revoke(auth: AuthContext, sessionId: string, actor: AuditActor): Promise<void> {
    await writeTransaction(this.db, actor, async (trx) => {
      const owned = await repo.isLiveSessionOf(trx, sessionId, auth.user.id);
      assertThat(owned, () => authError('auth.session_not_found'));
      await this.end(trx, sessionId, 'revoked');
      await recordEvent(trx, actor, {
        event: 'SESSION_REVOKED',
        subjectUserId: auth.user.id,
        metadata: { session_id: sessionId },
      });
    });
  }

  /** Ends all of the caller's sessions but the current one; returns how many ended. */
  async revokeOthers(auth: AuthContext, actor: AuditActor): Promise<number> {
    return writeTransaction(this.db, actor, async (trx) => {
      const count = await this.endAllOf(trx, auth.user.id, 'revoked', auth.sessionId);
      await recordEvent(trx, actor, {
        event: 'SESSION_REVOKED',
        subjectUserId: auth.user.id,
        metadata: { all_others: true, count },
      });
      return count;
    });
  }
}
