import type { Kysely, Transaction } from 'kysely';
import { writeTransaction, type AuditActor } from '../../platform/audit/context.ts';
import { recordEvent } from '../../platform/audit/events.ts';
import type { Clock } from '../../platform/clock.ts';
import { isUniqueViolation } from '../../platform/db/errors.ts';
import type { DB } from '../../platform/db/schema.ts';
import { assertThat, platformError, staleVersion } from '../../platform/http/errors.ts';
import type { Page } from '../../platform/http/pagination.ts';
import { isTimeZone } from '../../platform/time-zone.ts';
import {
  can,
  isPermission,
  PERMISSIONS,
  ROLE_PERMISSIONS,
  ROLES,
  roleRank,
  type AccountTarget,
  type ActiveAccount,
  type AuthContext,
  type IdentityService,
  type Permission,
  type Role,
  type UserView,
} from '../identity/index.ts';
import { userError } from './errors.ts';
import { scopedResource, type GrantScopes } from './scopes.ts';
import type {
  ActiveUserQuery,
  GrantInput,
  GrantView,
  PermissionCatalogue,
  ProfilePatch,
  UserCreate,
  UserListQuery,
  UserPatch,
} from './schemas.ts';

export interface UsersDeps {
  /** Transactions are opened on it; the accounts are read and written through identity. */
  db: Kysely<DB>;
  identity: IdentityService;
  clock: Clock;
  /** What a grant may be limited to (the routes' rules are read when a grant is given). */
  grantScopes: () => GrantScopes;
}

/** Refuses a time zone this runtime does not know (the schema checks only its length). */
function checkTimeZone(timezone: string | undefined): void {
  if (timezone !== undefined && !isTimeZone(timezone)) {
    throw platformError('validation.failed', { summary: `timezone "${timezone}" is not an IANA time zone` }, [
      {
        field: 'body.timezone',
        code: 'timezone',
        message: 'must be an IANA time zone such as Europe/Berlin',
      },
    ]);
  }
}

/**
 * Staff administration: who may create, change, deactivate, delete and restore whom, and grant what. The
 * accounts themselves are identity's; this module decides and asks it to write.
 */
export class UsersService {
  constructor(private readonly deps: UsersDeps) {}

  private get accounts() {
    return this.deps.identity.accounts;
  }

  private get db() {
    return this.deps.db;
  }

  permissionCatalogue(): PermissionCatalogue {
    return {
      permissions: Object.entries(PERMISSIONS).map(([name, description]) => ({ name, description })),
      roles: Object.fromEntries(ROLES.map((role) => [role, [...ROLE_PERMISSIONS[role]].sort()])),
      scopable: Object.fromEntries([...this.deps.grantScopes()].map(([p, kinds]) => [p, [...kinds]])),
    };
  }

  list(query: UserListQuery): Promise<Page<UserView>> {
    const { page, per_page, ...filter } = query;
    return this.accounts.list(filter, { page, per_page });
  }

  /** Who is signed in now, most recent activity first. */
  active(query: ActiveUserQuery): Promise<Page<ActiveAccount>> {
    return this.accounts.active(query);
  }

  async get(id: string): Promise<UserView> {
    const user = await this.accounts.find(id);
    assertThat(user, () => userError('users.not_found'));
    return user;
  }

  /** Nobody gives a role above their own; only super admins touch super admins. */
  private checkRole(auth: AuthContext, role: Role): void {
    if (roleRank(role) > roleRank(auth.user.role)) throw userError('users.role_too_high', { role });
  }

  private checkMayManage(auth: AuthContext, target: AccountTarget): void {
    if (target.role === 'super_admin' && auth.user.role !== 'super_admin') {
      throw userError('users.super_admin_protected');
    }
    // A user granted users.manage must not take over (password, e-mail) or demote an account above their role.
    if (roleRank(target.role) > roleRank(auth.user.role)) {
      throw userError('users.outranks_you', { role: target.role });
    }
  }

  private async lockTarget(trx: Transaction<DB>, id: string): Promise<AccountTarget> {
    const target = await this.accounts.lockForChange(trx, id);
    assertThat(target, () => userError('users.not_found'));
    return target;
  }

  /** The target, locked, not deleted, and one the caller may manage. */
  private async lockManageable(trx: Transaction<DB>, auth: AuthContext, id: string): Promise<AccountTarget> {
    const target = await this.lockTarget(trx, id);
    assertThat(!target.deleted_at, () => userError('users.not_found'));
    this.checkMayManage(auth, target);
    return target;
  }

  /**
   * Refuses a change that would leave no active super admin. The super admins' rows are locked first, so two
   * admins demoting the last two super admins at the same moment cannot both succeed.
   */
  private async keepOneSuperAdmin(trx: Transaction<DB>, target: AccountTarget): Promise<void> {
    if (target.role !== 'super_admin' || !target.is_active || target.deleted_at) return;
    const others = await this.accounts.otherActiveSuperAdmins(trx, target.id);
    assertThat(others > 0, () => userError('users.last_super_admin'));
  }

  async create(auth: AuthContext, input: UserCreate, actor: AuditActor): Promise<UserView> {
    this.checkRole(auth, input.role);
    checkTimeZone(input.timezone);
    const { password, ...fields } = input;
    const passwordHash = await this.deps.identity.passwords.hashFor(password, input.email);
    try {
      return await writeTransaction(this.db, actor, async (trx) => {
        const user = await this.accounts.create(
          trx,
          { ...fields, passwordHash, passwordChosen: password !== undefined },
          auth.user.id,
        );
        if (password === undefined) {
          await this.deps.identity.passwords.invite(trx, user, auth.user.email);
        }
        return user;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw userError('users.email_taken', { email: input.email });
      throw error;
    }
  }

  async update(auth: AuthContext, id: string, patch: UserPatch, actor: AuditActor): Promise<UserView> {
    checkTimeZone(patch.timezone);
    const self = id === auth.user.id;
    // One's own password changes through POST /auth/password, which asks for the current one.
    if (self && (patch.role !== undefined || patch.is_active === false || patch.password !== undefined)) {
      throw userError('users.not_yourself');
    }
    if (patch.role) this.checkRole(auth, patch.role);
    const { version, password, ...changes } = patch;
    const passwordHash = password === undefined ? undefined : await this.hashFor(id, password, patch.email);
    try {
      return await writeTransaction(this.db, actor, async (trx) => {
        const target = await this.lockManageable(trx, auth, id);
        if (target.version !== version) throw staleVersion(target.version);
        const demoted = patch.role !== undefined && patch.role !== 'super_admin';
        if (demoted || patch.is_active === false) await this.keepOneSuperAdmin(trx, target);
        const user = await this.accounts.update(
          trx,
          id,
          // Activating also lifts a lock, as POST /activate does.
          { ...changes, passwordHash, unlock: patch.is_active === true && !target.is_active },
          auth.user.id,
        );
        const sessions = this.deps.identity.sessions;
        if (patch.is_active === false && target.is_active) {
          await sessions.endAllOf(trx, id, 'user_deactivated');
        }
        if (passwordHash !== undefined) await sessions.endAllOf(trx, id, 'password_changed');
        return user;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw userError('users.email_taken', { email: patch.email ?? '' });
      throw error;
    }
  }

  private async hashFor(id: string, password: string, email: string | undefined): Promise<string> {
    const address = email ?? (await this.accounts.find(id))?.email ?? '';
    return this.deps.identity.passwords.hashFor(password, address);
  }

  /** The caller's own profile: names, language, time zone and avatar, nothing that grants anything. */
  async updateProfile(auth: AuthContext, patch: ProfilePatch, actor: AuditActor): Promise<UserView> {
    const { version, first_name, last_name, language, timezone, avatar_url } = patch;
    return this.update(
      auth,
      auth.user.id,
      { version, first_name, last_name, language, timezone, avatar_url },
      actor,
    );
  }

  async setActive(auth: AuthContext, id: string, active: boolean, actor: AuditActor): Promise<UserView> {
    if (id === auth.user.id && !active) throw userError('users.not_yourself');
    return writeTransaction(this.db, actor, async (trx) => {
      const target = await this.lockManageable(trx, auth, id);
      if (!active) await this.keepOneSuperAdmin(trx, target);
      const user = await this.accounts.update(trx, id, { is_active: active, unlock: active }, auth.user.id);
      if (!active) await this.deps.identity.sessions.endAllOf(trx, id, 'user_deactivated');
      return user;
    });
  }

  async remove(auth: AuthContext, id: string, version: number | undefined, actor: AuditActor): Promise<void> {
    if (id === auth.user.id) throw userError('users.not_yourself');
    await writeTransaction(this.db, actor, async (trx) => {
      const target = await this.lockManageable(trx, auth, id);
      if (version !== undefined && version !== target.version) throw staleVersion(target.version);
      await this.keepOneSuperAdmin(trx, target);
      await this.accounts.update(trx, id, { deleted: true }, auth.user.id);
      await this.deps.identity.sessions.endAllOf(trx, id, 'user_deleted');
    });
  }

  async restore(auth: AuthContext, id: string, actor: AuditActor): Promise<UserView> {
    let email = '';
    try {
      return await writeTransaction(this.db, actor, async (trx) => {
        const target = await this.lockTarget(trx, id);
        email = target.email;
        assertThat(target.deleted_at, () => userError('users.not_deleted'));
        this.checkMayManage(auth, target);
        return this.accounts.update(trx, id, { deleted: false }, auth.user.id);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw userError('users.email_taken', { email });
      throw error;
    }
  }

  // ----- permission grants ---------------------------------------------------------------------------------

  async grants(id: string): Promise<GrantView[]> {
    await this.get(id);
    const now = this.deps.clock();
    const grants = await this.accounts.grantsOf(id);
    return grants.map((g) => ({
      id: g.id,
      permission: g.permission,
      resource: g.resource,
      granted_by: g.granted_by,
      granted_at: g.granted_at.toISOString(),
      expires_at: g.expires_at?.toISOString() ?? null,
      active: g.expires_at === null || g.expires_at > now,
    }));
  }

  /** Grants (or renews) a permission. Nobody grants what they do not hold globally themselves. */
  async grant(auth: AuthContext, id: string, input: GrantInput, actor: AuditActor): Promise<GrantView[]> {
    if (!isPermission(input.permission)) {
      throw userError('users.unknown_permission', { permission: input.permission });
    }
    const permission: Permission = input.permission;
    // Else a temporary grant of users.manage could be renewed by its holder without an end.
    if (id === auth.user.id) throw userError('users.not_yourself');
    if (!can(auth, permission)) throw userError('users.permission_not_held', { permission });
    // A grant limited to one resource must be one some route honours, else it would do nothing.
    const resource =
      input.resource != null ? scopedResource(permission, input.resource, this.deps.grantScopes()) : null;
    const now = this.deps.clock();
    const expiresAt = input.expires_at ? new Date(input.expires_at) : null;
    if (expiresAt && expiresAt <= now) throw userError('users.grant_expiry_past');
    await writeTransaction(this.db, actor, async (trx) => {
      await this.lockManageable(trx, auth, id);
      await this.checkGrantLasts(trx, auth, permission, expiresAt, now);
      await this.accounts.putGrant(trx, {
        userId: id,
        permission,
        resource,
        by: auth.user.id,
        at: now,
        expiresAt,
      });
    });
    return this.grants(id);
  }

  /**
   * Someone who holds a permission only through an expiring grant cannot pass it on for longer than they hold
   * it: a grant to a second account would otherwise outlive the first one's end.
   */
  private async checkGrantLasts(
    trx: Transaction<DB>,
    auth: AuthContext,
    permission: Permission,
    expiresAt: Date | null,
    now: Date,
  ): Promise<void> {
    if (ROLE_PERMISSIONS[auth.user.role].has(permission)) return;
    const ends = await this.accounts.liveGlobalGrantEnds(trx, auth.user.id, permission, now);
    if (ends.length === 0) throw userError('users.permission_not_held', { permission });
    if (ends.some((end) => end === null)) return;
    const until = new Date(Math.max(...ends.map((end) => end?.getTime() ?? 0)));
    if (expiresAt === null || expiresAt > until) {
      throw userError('users.grant_outlives_yours', { permission, until: until.toISOString() });
    }
  }

  async revokeGrant(auth: AuthContext, id: string, grantId: string, actor: AuditActor): Promise<void> {
    await writeTransaction(this.db, actor, async (trx) => {
      await this.lockManageable(trx, auth, id);
      const removed = await this.accounts.revokeGrant(trx, id, grantId);
      assertThat(removed, () => userError('users.grant_not_found'));
    });
  }

  /** A super admin's help after a lost authenticator: the user signs in with the password alone again. */
  async resetTwoFactor(auth: AuthContext, id: string, actor: AuditActor): Promise<UserView> {
    // One's own second factor goes off through POST /auth/2fa/disable, which asks for the password.
    if (id === auth.user.id) throw userError('users.not_yourself');
    await writeTransaction(this.db, actor, async (trx) => {
      await this.lockManageable(trx, auth, id);
      await this.deps.identity.twoFactor.clear(trx, id, auth.user.id);
      await recordEvent(trx, actor, {
        event: 'TWO_FACTOR_DISABLED',
        subjectUserId: id,
        metadata: { by_admin: true },
      });
    });
    return this.get(id);
  }
}
