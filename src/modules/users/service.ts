import type { Kysely, Transaction, Updateable } from 'kysely';
import type { AuditActor } from '../../platform/audit/context.ts';
import { writeTransaction } from '../../platform/audit/context.ts';
import { recordEvent } from '../../platform/audit/events.ts';
import type { Clock } from '../../platform/clock.ts';
import type { AdminUsers, DB } from '../../platform/db/schema.ts';
import { staleVersion, platformError } from '../../platform/http/errors.ts';
import { fetchPage, type Page } from '../../platform/http/pagination.ts';
import { generatePassword, hashPassword } from '../../platform/security/passwords.ts';
import { can } from '../identity/guard.ts';
import {
  isPermission,
  ROLE_PERMISSIONS,
  roleRank,
  type Permission,
  type Role,
} from '../identity/permissions.ts';
import {
  checkPasswordPolicy,
  INVITATION_HOURS,
  type AuthContext,
  type IdentityService,
} from '../identity/service.ts';
import { toUserView, USER_COLUMNS, type UserView } from '../identity/user-view.ts';
import { containsPattern, isUniqueViolation } from '../../platform/db/errors.ts';
import { userError } from './errors.ts';

export interface UsersDeps {
  db: Kysely<DB>;
  identity: IdentityService;
  clock: Clock;
}

export interface UserListQuery {
  q?: string | undefined;
  role?: Role | undefined;
  is_active?: boolean | undefined;
  deleted?: 'exclude' | 'include' | 'only' | undefined;
  page: number;
  per_page: number;
}

export interface UserCreate {
  email: string;
  first_name: string;
  last_name: string;
  role: Role;
  language?: 'en' | 'de' | undefined;
  timezone?: string | undefined;
  avatar_url?: string | null | undefined;
  /** Omitted: the user gets an invitation mail to choose one. */
  password?: string | undefined;
}

export interface UserPatch {
  version: number;
  email?: string | undefined;
  first_name?: string | undefined;
  last_name?: string | undefined;
  role?: Role | undefined;
  language?: 'en' | 'de' | undefined;
  timezone?: string | undefined;
  avatar_url?: string | null | undefined;
  is_active?: boolean | undefined;
  password?: string | undefined;
}

export type ProfilePatch = Pick<
  UserPatch,
  'version' | 'first_name' | 'last_name' | 'language' | 'timezone' | 'avatar_url'
>;

export interface GrantInput {
  permission: string;
  resource?: string | null | undefined;
  expires_at?: string | null | undefined;
}

const TIME_ZONES = new Set(['UTC', ...Intl.supportedValuesOf('timeZone')]);

export function checkTimeZone(timezone: string | undefined): void {
  if (timezone !== undefined && !TIME_ZONES.has(timezone)) {
    throw platformError('validation.failed', { summary: `timezone "${timezone}" is not an IANA time zone` }, [
      {
        field: 'body.timezone',
        code: 'timezone',
        message: 'must be an IANA time zone such as Europe/Berlin',
      },
    ]);
  }
}

interface Target {
  id: string;
  role: string;
  is_active: boolean;
  deleted_at: Date | null;
  email: string;
  version: number;
}

export class UsersService {
  constructor(private readonly deps: UsersDeps) {}

  private get db() {
    return this.deps.db;
  }

  async list(query: UserListQuery): Promise<Page<UserView>> {
    let base = this.db.selectFrom('admin_users');
    const deleted = query.deleted ?? 'exclude';
    if (deleted === 'exclude') base = base.where('deleted_at', 'is', null);
    if (deleted === 'only') base = base.where('deleted_at', 'is not', null);
    if (query.role) base = base.where('role', '=', query.role);
    if (query.is_active !== undefined) base = base.where('is_active', '=', query.is_active);
    if (query.q) {
      const like = containsPattern(query.q);
      base = base.where((eb) =>
        eb.or([eb('email', 'ilike', like), eb('first_name', 'ilike', like), eb('last_name', 'ilike', like)]),
      );
    }
    return fetchPage(
      base.select(USER_COLUMNS).orderBy('last_name').orderBy('first_name').orderBy('id'),
      base.select((eb) => eb.fn.countAll<number>().as('n')),
      query,
      toUserView,
    );
  }

  async get(id: string): Promise<UserView> {
    const row = await this.db
      .selectFrom('admin_users')
      .select(USER_COLUMNS)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw userError('users.not_found');
    return toUserView(row);
  }

  /** Nobody gives a role above their own; only super admins touch super admins. */
  private checkRole(auth: AuthContext, role: Role): void {
    if (roleRank(role) > roleRank(auth.user.role)) throw userError('users.role_too_high', { role });
  }

  private checkMayManage(auth: AuthContext, target: { role: string }): void {
    if (target.role === 'super_admin' && auth.user.role !== 'super_admin') {
      throw userError('users.super_admin_protected');
    }
    // A user granted users.manage must not take over (password, e-mail) or demote an account above their role.
    if (roleRank(target.role as Role) > roleRank(auth.user.role)) {
      throw userError('users.outranks_you', { role: target.role });
    }
  }

  private async lockTarget(trx: Transaction<DB>, id: string): Promise<Target> {
    const target = await trx
      .selectFrom('admin_users')
      .select(['id', 'role', 'is_active', 'deleted_at', 'email', 'version'])
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!target) throw userError('users.not_found');
    return target;
  }

  /**
   * Refuses a change that would leave no active super admin. The super admins' rows are locked first, so two
   * admins demoting the last two super admins at the same moment cannot both succeed.
   */
  private async keepOneSuperAdmin(trx: Transaction<DB>, target: Target): Promise<void> {
    if (target.role !== 'super_admin' || !target.is_active || target.deleted_at) return;
    const others = await trx
      .selectFrom('admin_users')
      .select('id')
      .where('role', '=', 'super_admin')
      .where('is_active', '=', true)
      .where('deleted_at', 'is', null)
      .where('id', '<>', target.id)
      .forUpdate()
      .execute();
    if (others.length === 0) throw userError('users.last_super_admin');
  }

  async create(auth: AuthContext, input: UserCreate, actor: AuditActor): Promise<UserView> {
    this.checkRole(auth, input.role);
    checkTimeZone(input.timezone);
    if (input.password !== undefined) checkPasswordPolicy(input.password, input.email);
    const hashed = await hashPassword(input.password ?? generatePassword(32));
    try {
      return await writeTransaction(this.db, actor, async (trx) => {
        const row = await trx
          .insertInto('admin_users')
          .values({
            email: input.email.trim().toLowerCase(),
            hashed_password: hashed,
            first_name: input.first_name,
            last_name: input.last_name,
            role: input.role,
            is_superuser: input.role === 'super_admin',
            language: input.language ?? 'en',
            timezone: input.timezone ?? 'UTC',
            avatar_url: input.avatar_url ?? null,
            password_changed_at: input.password === undefined ? null : this.deps.clock(),
            created_by: auth.user.id,
            updated_by: auth.user.id,
          })
          .returning([...USER_COLUMNS, 'language'])
          .executeTakeFirstOrThrow();
        if (input.password === undefined) {
          await this.deps.identity.mailPasswordLink(trx, row, 'invitation', INVITATION_HOURS, {
            inviter: auth.user.email,
          });
        }
        return toUserView(row);
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
    const hashed = patch.password === undefined ? undefined : await this.hashFor(id, patch);
    try {
      return await writeTransaction(this.db, actor, async (trx) => {
        const target = await this.lockTarget(trx, id);
        if (target.deleted_at) throw userError('users.not_found');
        this.checkMayManage(auth, target);
        if (target.version !== patch.version) throw staleVersion(target.version);
        const demoted = patch.role !== undefined && patch.role !== 'super_admin';
        if (demoted || patch.is_active === false) await this.keepOneSuperAdmin(trx, target);

        const changes: Updateable<AdminUsers> = {};
        if (patch.email !== undefined) changes.email = patch.email.trim().toLowerCase();
        if (patch.first_name !== undefined) changes.first_name = patch.first_name;
        if (patch.last_name !== undefined) changes.last_name = patch.last_name;
        if (patch.language !== undefined) changes.language = patch.language;
        if (patch.timezone !== undefined) changes.timezone = patch.timezone;
        if (patch.avatar_url !== undefined) changes.avatar_url = patch.avatar_url;
        if (patch.role !== undefined) {
          changes.role = patch.role;
          changes.is_superuser = patch.role === 'super_admin';
        }
        if (patch.is_active !== undefined) changes.is_active = patch.is_active;
        // Activating also lifts a lock, as POST /activate does.
        if (patch.is_active === true && !target.is_active)
          Object.assign(changes, { login_attempts: 0, locked_until: null });
        if (hashed !== undefined) {
          changes.hashed_password = hashed;
          changes.password_changed_at = this.deps.clock();
        }
        // Nothing to change (only the version sent): no write, no new version, no audit row.
        if (Object.keys(changes).length === 0) {
          const current = await trx
            .selectFrom('admin_users')
            .select(USER_COLUMNS)
            .where('id', '=', id)
            .executeTakeFirstOrThrow();
          return toUserView(current);
        }
        changes.updated_by = auth.user.id;
        const row = await trx
          .updateTable('admin_users')
          .set(changes)
          .where('id', '=', id)
          .returning(USER_COLUMNS)
          .executeTakeFirstOrThrow();
        if (patch.is_active === false && target.is_active) {
          await this.deps.identity.endUserSessions(trx, id, 'user_deactivated');
        }
        if (hashed !== undefined) await this.deps.identity.endUserSessions(trx, id, 'password_changed');
        return toUserView(row);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw userError('users.email_taken', { email: patch.email ?? '' });
      throw error;
    }
  }

  private async hashFor(id: string, patch: UserPatch): Promise<string> {
    const email =
      patch.email ??
      (await this.db.selectFrom('admin_users').select('email').where('id', '=', id).executeTakeFirst())
        ?.email ??
      '';
    checkPasswordPolicy(patch.password ?? '', email);
    return hashPassword(patch.password ?? '');
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
      const target = await this.lockTarget(trx, id);
      if (target.deleted_at) throw userError('users.not_found');
      this.checkMayManage(auth, target);
      if (!active) await this.keepOneSuperAdmin(trx, target);
      const row = await trx
        .updateTable('admin_users')
        .set({
          is_active: active,
          updated_by: auth.user.id,
          ...(active ? { login_attempts: 0, locked_until: null } : {}),
        })
        .where('id', '=', id)
        .returning(USER_COLUMNS)
        .executeTakeFirstOrThrow();
      if (!active) await this.deps.identity.endUserSessions(trx, id, 'user_deactivated');
      return toUserView(row);
    });
  }

  async remove(auth: AuthContext, id: string, version: number | undefined, actor: AuditActor): Promise<void> {
    if (id === auth.user.id) throw userError('users.not_yourself');
    await writeTransaction(this.db, actor, async (trx) => {
      const target = await this.lockTarget(trx, id);
      if (target.deleted_at) throw userError('users.not_found');
      this.checkMayManage(auth, target);
      if (version !== undefined && version !== target.version) throw staleVersion(target.version);
      await this.keepOneSuperAdmin(trx, target);
      await trx
        .updateTable('admin_users')
        .set({ deleted_at: this.deps.clock(), updated_by: auth.user.id })
        .where('id', '=', id)
        .execute();
      await this.deps.identity.endUserSessions(trx, id, 'user_deleted');
    });
  }

  async restore(auth: AuthContext, id: string, actor: AuditActor): Promise<UserView> {
    let email = '';
    try {
      return await writeTransaction(this.db, actor, async (trx) => {
        const target = await this.lockTarget(trx, id);
        email = target.email;
        if (!target.deleted_at) throw userError('users.not_deleted');
        this.checkMayManage(auth, target);
        const row = await trx
          .updateTable('admin_users')
          .set({ deleted_at: null, updated_by: auth.user.id })
          .where('id', '=', id)
          .returning(USER_COLUMNS)
          .executeTakeFirstOrThrow();
        return toUserView(row);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw userError('users.email_taken', { email });
      throw error;
    }
  }

  // ----- permission grants ---------------------------------------------------------------------------------

  async grants(id: string) {
    await this.get(id);
    const now = this.deps.clock();
    const rows = await this.db
      .selectFrom('user_permissions')
      .selectAll()
      .where('user_id', '=', id)
      .orderBy('permission')
      .orderBy('resource')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      permission: r.permission,
      resource: r.resource,
      granted_by: r.granted_by,
      granted_at: r.granted_at.toISOString(),
      expires_at: r.expires_at?.toISOString() ?? null,
      active: r.expires_at === null || r.expires_at > now,
    }));
  }

  /** Grants (or renews) a permission. Nobody grants what they do not hold globally themselves. */
  async grant(auth: AuthContext, id: string, input: GrantInput, actor: AuditActor) {
    if (!isPermission(input.permission)) {
      throw userError('users.unknown_permission', { permission: input.permission });
    }
    const permission: Permission = input.permission;
    // Else a temporary grant of users.manage could be renewed by its holder without an end.
    if (id === auth.user.id) throw userError('users.not_yourself');
    if (!can(auth, permission)) throw userError('users.permission_not_held', { permission });
    const now = this.deps.clock();
    const expiresAt = input.expires_at ? new Date(input.expires_at) : null;
    if (expiresAt && expiresAt <= now) throw userError('users.grant_expiry_past');
    const resource = input.resource ?? null;
    await writeTransaction(this.db, actor, async (trx) => {
      const target = await this.lockTarget(trx, id);
      if (target.deleted_at) throw userError('users.not_found');
      this.checkMayManage(auth, target);
      await this.checkGrantLasts(trx, auth, permission, expiresAt, now);
      // The unique index treats a NULL resource as one value; look the grant up the same way.
      const existing = await trx
        .selectFrom('user_permissions')
        .select('id')
        .where('user_id', '=', id)
        .where('permission', '=', permission)
        .where((eb) => (resource === null ? eb('resource', 'is', null) : eb('resource', '=', resource)))
        .executeTakeFirst();
      if (existing) {
        await trx
          .updateTable('user_permissions')
          .set({ granted_by: auth.user.id, granted_at: now, expires_at: expiresAt })
          .where('id', '=', existing.id)
          .execute();
      } else {
        await trx
          .insertInto('user_permissions')
          .values({
            user_id: id,
            permission,
            resource,
            granted_by: auth.user.id,
            granted_at: now,
            expires_at: expiresAt,
          })
          .execute();
      }
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
    const own = await trx
      .selectFrom('user_permissions')
      .select('expires_at')
      .where('user_id', '=', auth.user.id)
      .where('permission', '=', permission)
      .where('resource', 'is', null)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
      .execute();
    if (own.length === 0) throw userError('users.permission_not_held', { permission });
    if (own.some((g) => g.expires_at === null)) return;
    const until = new Date(Math.max(...own.map((g) => g.expires_at?.getTime() ?? 0)));
    if (expiresAt === null || expiresAt > until) {
      throw userError('users.grant_outlives_yours', { permission, until: until.toISOString() });
    }
  }

  async revokeGrant(auth: AuthContext, id: string, grantId: string, actor: AuditActor): Promise<void> {
    await writeTransaction(this.db, actor, async (trx) => {
      const target = await this.lockTarget(trx, id);
      if (target.deleted_at) throw userError('users.not_found');
      this.checkMayManage(auth, target);
      const removed = await trx
        .deleteFrom('user_permissions')
        .where('id', '=', grantId)
        .where('user_id', '=', id)
        .executeTakeFirst();
      if (removed.numDeletedRows === 0n) throw userError('users.grant_not_found');
    });
  }

  /** A super admin's help after a lost authenticator: the user signs in with the password alone again. */
  async resetTwoFactor(auth: AuthContext, id: string, actor: AuditActor): Promise<UserView> {
    // One's own second factor goes off through POST /auth/2fa/disable, which asks for the password.
    if (id === auth.user.id) throw userError('users.not_yourself');
    await writeTransaction(this.db, actor, async (trx) => {
      const target = await this.lockTarget(trx, id);
      if (target.deleted_at) throw userError('users.not_found');
      this.checkMayManage(auth, target);
      await this.deps.identity.clearTwoFactor(trx, id, auth.user.id);
      await recordEvent(trx, actor, {
        event: 'TWO_FACTOR_DISABLED',
        subjectUserId: id,
        metadata: { by_admin: true },
      });
    });
    return this.get(id);
  }
}
