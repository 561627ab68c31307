import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { Page } from '../../platform/http/pagination.ts';
import type { IdentityDeps } from './deps.ts';
import type { Permission, Role } from './permissions.ts';
import * as repo from './repository/accounts.ts';
import * as grants from './repository/grants.ts';
import { iso } from '../../platform/http/schemas.ts';
import type { UserView } from './schemas.ts';
import { toUserView } from './user-view.ts';

/** An account a change is about, as locked for it. */
export interface AccountTarget {
  id: string;
  role: Role;
  is_active: boolean;
  deleted_at: Date | null;
  email: string;
  version: number;
}

export interface AccountFilter {
  q?: string | undefined;
  role?: Role | undefined;
  is_active?: boolean | undefined;
  deleted?: 'exclude' | 'include' | 'only' | undefined;
}

export interface NewAccount {
  email: string;
  first_name: string;
  last_name: string;
  role: Role;
  language?: 'en' | 'de' | undefined;
  timezone?: string | undefined;
  avatar_url?: string | null | undefined;
  /** From Passwords.hashFor. */
  passwordHash: string;
  /** False when the password is a random one and the user will choose theirs through an invitation. */
  passwordChosen: boolean;
}

export interface AccountChanges {
  email?: string | undefined;
  first_name?: string | undefined;
  last_name?: string | undefined;
  language?: 'en' | 'de' | undefined;
  timezone?: string | undefined;
  avatar_url?: string | null | undefined;
  role?: Role | undefined;
  is_active?: boolean | undefined;
  /** Ends a lock and the count of failed sign-ins. */
  unlock?: boolean | undefined;
  /** From Passwords.hashFor. */
  passwordHash?: string | undefined;
  /** true: soft-deleted now; false: restored. */
  deleted?: boolean | undefined;
}

/** A user signed in now: their latest activity over their live sessions, and how many they have. */
export interface ActiveAccount {
  id: string;
  email: string;
  first_name: string;
  last_name: string;
  role: Role;
  last_activity_at: string;
  active_sessions: number;
}

/** A permission granted beyond a role. */
export interface Grant {
  id: string;
  permission: string;
  resource: string | null;
  granted_by: string | null;
  granted_at: Date;
  expires_at: Date | null;
}

/**
 * The staff accounts and their permission grants, for the module that administers them (users): reads, and
 * writes inside the transaction its caller opened (the rules about who may change whom are the caller's).
 */
export class Accounts {
  constructor(private readonly deps: IdentityDeps) {}

  list(filter: AccountFilter, page: { page: number; per_page: number }): Promise<Page<UserView>> {
    return repo.listUsers(
      this.deps.db,
      { ...filter, deleted: filter.deleted ?? 'exclude' },
      page,
      toUserView,
    );
  }

  /** Who is signed in now (active, not deleted, a live session), most recent activity first. */
  active(page: { page: number; per_page: number }): Promise<Page<ActiveAccount>> {
    return repo.listActiveUsers(this.deps.db, page, (row) => ({
      id: row.id,
      email: row.email,
      first_name: row.first_name,
      last_name: row.last_name,
      role: row.role as Role,
      last_activity_at: iso(row.last_activity_at),
      active_sessions: row.active_sessions,
    }));
  }

  /** A user, deleted ones too. */
  async find(id: string, db: Kysely<DB> = this.deps.db): Promise<UserView | undefined> {
    const row = await repo.findUser(db, id);
    return row && toUserView(row);
  }

  /** Locks the account for the rest of the transaction. */
  async lockForChange(trx: Transaction<DB>, id: string): Promise<AccountTarget | undefined> {
    const row = await repo.lockUser(trx, id);
    return row && { ...row, role: row.role as Role };
  }

  /** How many other active super admins there are, locking them so that two demotions cannot both pass. */
  otherActiveSuperAdmins(trx: Transaction<DB>, id: string): Promise<number> {
    return repo.lockOtherActiveSuperAdmins(trx, id);
  }

  async create(db: Kysely<DB>, input: NewAccount, by: string): Promise<UserView> {
    const row = await repo.insertUser(db, {
      email: input.email.trim().toLowerCase(),
      hashed_password: input.passwordHash,
      first_name: input.first_name,
      last_name: input.last_name,
      role: input.role,
      is_superuser: input.role === 'super_admin',
      language: input.language ?? 'en',
      timezone: input.timezone ?? 'UTC',
      avatar_url: input.avatar_url ?? null,
      password_changed_at: input.passwordChosen ? this.deps.clock() : null,
      created_by: by,
      updated_by: by,
    });
    return toUserView(row);
  }

  /** Applies the changes; with nothing to change, nothing is written (no new version, no audit row). */
  async update(db: Kysely<DB>, id: string, changes: AccountChanges, by: string): Promise<UserView> {
    const set: repo.AccountUpdate = {};
    if (changes.email !== undefined) set.email = changes.email.trim().toLowerCase();
    if (changes.first_name !== undefined) set.first_name = changes.first_name;
    if (changes.last_name !== undefined) set.last_name = changes.last_name;
    if (changes.language !== undefined) set.language = changes.language;
    if (changes.timezone !== undefined) set.timezone = changes.timezone;
    if (changes.avatar_url !== undefined) set.avatar_url = changes.avatar_url;
    if (changes.role !== undefined) {
      set.role = changes.role;
      set.is_superuser = changes.role === 'super_admin';
    }
    if (changes.is_active !== undefined) set.is_active = changes.is_active;
    if (changes.unlock) Object.assign(set, { login_attempts: 0, locked_until: null });
    if (changes.passwordHash !== undefined) {
      set.hashed_password = changes.passwordHash;
      set.password_changed_at = this.deps.clock();
    }
    if (changes.deleted !== undefined) set.deleted_at = changes.deleted ? this.deps.clock() : null;
    if (Object.keys(set).length === 0) {
      const current = await repo.findUser(db, id);
      if (!current) throw new Error(`admin user ${id} is gone`);
      return toUserView(current);
    }
    set.updated_by = by;
    return toUserView(await repo.updateUser(db, id, set));
  }

  grantsOf(userId: string): Promise<Grant[]> {
    return grants.grantsOf(this.deps.db, userId);
  }

  /** Grants a permission (on a resource, null: everywhere), or renews the grant there is. */
  putGrant(
    trx: Transaction<DB>,
    grant: {
      userId: string;
      permission: Permission;
      resource: string | null;
      by: string;
      at: Date;
      expiresAt: Date | null;
    },
  ): Promise<void> {
    return grants.putGrant(trx, {
      user_id: grant.userId,
      permission: grant.permission,
      resource: grant.resource,
      granted_by: grant.by,
      granted_at: grant.at,
      expires_at: grant.expiresAt,
    });
  }

  /** When a user's live global grants of `permission` end (null: never). */
  liveGlobalGrantEnds(db: Kysely<DB>, userId: string, permission: Permission, now: Date) {
    return grants.liveGlobalGrantEnds(db, userId, permission, now);
  }

  /** Answers whether the user had that grant. */
  revokeGrant(db: Kysely<DB>, userId: string, grantId: string): Promise<boolean> {
    return grants.deleteGrant(db, userId, grantId);
  }
}
