// The signed-in user as the users and profile screens read it: re-rendered whenever /auth/me is loaded again
// (every navigation), so a changed role, grant or 2FA state shows at once.
import { useSyncExternalStore } from 'react';
import type { Me, Schemas } from '../../api/types.ts';
import { currentMe, holds, onMeChange } from '../../auth/session.ts';

export type Role = Schemas['User']['role'];

/** The roles from least to most: nobody gives a role above their own. */
export const ROLES: readonly Role[] = ['viewer', 'editor', 'admin', 'super_admin'];

export function roleRank(role: Role): number {
  return ROLES.indexOf(role);
}

function subscribe(listener: () => void): () => void {
  const stop = onMeChange(listener);
  return () => {
    stop();
  };
}

export function useMe(): Me | null {
  return useSyncExternalStore(subscribe, currentMe);
}

/** Whether the signed-in user holds `permission` everywhere (not only for some resources). */
export function useHolds(permission: string): boolean {
  const me = useMe();
  return holds(me, permission, false);
}
