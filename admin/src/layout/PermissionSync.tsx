// A grant or a withdrawn permission shows on the next navigation: /auth/me is loaded again on each one
// (checkAuth), but react-admin keeps every canAccess answer (the menu's entries, create and edit buttons) in
// its query cache. When the loaded permissions differ from the last ones, those answers are asked again.
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { Me } from '../api/types.ts';
import { currentMe, onMeChange } from '../auth/session.ts';

const accessOf = (me: Me | null) =>
  me ? JSON.stringify([me.user.role, [...me.permissions].sort(), me.scoped_permissions]) : '';

export function PermissionSync() {
  const queryClient = useQueryClient();
  useEffect(() => {
    let last = accessOf(currentMe());
    const stop = onMeChange((me) => {
      const next = accessOf(me);
      if (next === last) return;
      last = next;
      void queryClient.invalidateQueries({ queryKey: ['auth', 'canAccess'] });
    });
    return () => {
      stop();
    };
  }, [queryClient]);
  return null;
}
