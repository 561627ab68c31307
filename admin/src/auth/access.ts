// What each screen needs: react-admin asks canAccess({resource, action}) before it shows a menu entry, a list,
// a create or an edit button. The server stays the authority (a 403 it answers is shown as such); this only
// keeps people from screens they cannot use.
import type { Me } from '../api/types.ts';
import { holds } from './session.ts';

interface ResourceAccess {
  read: string;
  write: string;
}

const ACCESS: Record<string, ResourceAccess> = {
  pages: { read: 'pages.read', write: 'pages.write' },
  media: { read: 'media.read', write: 'media.write' },
  consultants: { read: 'consultants.read', write: 'consultants.manage' },
  bookings: { read: 'bookings.read', write: 'bookings.manage' },
  users: { read: 'users.read', write: 'users.manage' },
  settings: { read: 'settings.read', write: 'settings.manage' },
  'audit-logs': { read: 'audit.read', write: 'audit.read' },
  jobs: { read: 'settings.manage', write: 'settings.manage' },
  'integration-logs': { read: 'settings.manage', write: 'settings.manage' },
  outbox: { read: 'settings.manage', write: 'settings.manage' },
};

const READ_ACTIONS = new Set(['list', 'show', 'export']);

/** Whether `me` may use `action` on `resource` (unknown resources: yes; the server decides). */
export function canAccessResource(me: Me | null, resource: string, action: string): boolean {
  const access = ACCESS[resource];
  if (!access) return me !== null;
  return holds(me, READ_ACTIONS.has(action) ? access.read : access.write);
}
