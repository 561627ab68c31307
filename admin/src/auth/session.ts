// Who is signed in: the answer of GET /auth/me (user, permissions, scoped permissions, 2FA state), loaded on
// every navigation (react-admin's checkAuth) so that a grant or a revoked session shows without a reload.
import { api } from '../api/http.ts';
import type { Me } from '../api/types.ts';

let current: Me | null = null;
let loading: Promise<Me> | null = null;
const listeners = new Set<(me: Me | null) => void>();

function set(me: Me | null): Me | null {
  current = me;
  for (const listener of listeners) listener(me);
  return me;
}

/** The signed-in user as last loaded (null before the first load or after sign-out). */
export function currentMe(): Me | null {
  return current;
}

/** Loads /auth/me again (concurrent callers share one request). */
export function loadMe(): Promise<Me> {
  loading ??= api<Me>('GET', '/auth/me')
    .then((me) => {
      set(me);
      return me;
    })
    .finally(() => {
      loading = null;
    });
  return loading;
}

export function forgetMe(): void {
  set(null);
}

/** Replaces the user part after the profile changed (PATCH /auth/me answers the new user). */
export function updateMeUser(user: Me['user']): void {
  if (current) set({ ...current, user });
}

export function onMeChange(listener: (me: Me | null) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Whether the user holds a permission: globally, or (with anyScope) for at least one resource. */
export function holds(me: Me | null, permission: string, anyScope = true): boolean {
  if (!me) return false;
  if (me.permissions.includes(permission)) return true;
  return anyScope && me.scoped_permissions.some((grant) => grant.permission === permission);
}
