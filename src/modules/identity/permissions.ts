/**
 * The permission catalogue: every permission a route may require. Roles grant default sets; user_permissions
 * add grants (global or scoped to one resource, optionally expiring). A route declaring a permission not listed
 * here makes the app refuse to start.
 */
export const PERMISSIONS = {
  'pages.read': 'Read pages, drafts included',
  'pages.write': 'Create and edit pages',
  'pages.publish': 'Publish, unpublish, schedule and archive pages',
  'media.read': 'Browse the media library',
  'media.write': 'Upload, edit and delete media',
  'consultants.read': 'Read consultant profiles',
  'consultants.manage': 'Create and edit consultant profiles',
  'bookings.read': 'Read bookings',
  'bookings.manage': 'Change, cancel and complete bookings',
  'webinars.read': 'Read webinars and registrations',
  'webinars.manage': 'Create and edit webinars, manage registrations',
  'whitepapers.read': 'Read whitepapers',
  'whitepapers.manage': 'Create and edit whitepapers',
  'leads.read': 'Read leads (downloads, registrations)',
  'leads.export': 'Export leads',
  'translations.read': 'Read translations',
  'translations.write': 'Edit translations',
  'translations.review': 'Review and approve translations',
  'users.read': 'Read the user list',
  'users.manage': 'Create, edit, deactivate and delete users; grant permissions',
  'settings.read': 'Read system settings',
  'settings.manage': 'Change settings; jobs, outbox and integrations',
  'audit.read': 'Read the audit trail',
} as const;

export type Permission = keyof typeof PERMISSIONS;

export const ROLES = ['viewer', 'editor', 'admin', 'super_admin'] as const;
export type Role = (typeof ROLES)[number];

const ALL = Object.keys(PERMISSIONS) as Permission[];

const VIEWER: Permission[] = [
  'pages.read',
  'media.read',
  'consultants.read',
  'bookings.read',
  'webinars.read',
  'whitepapers.read',
  'translations.read',
];

const EDITOR: Permission[] = [
  ...VIEWER,
  'pages.write',
  'pages.publish',
  'media.write',
  'consultants.manage',
  'webinars.manage',
  'whitepapers.manage',
  'translations.write',
  'translations.review',
];

/** What each role may do without any grant. Admins have all, but user routes keep them off super admins. */
export const ROLE_PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  viewer: new Set(VIEWER),
  editor: new Set(EDITOR),
  admin: new Set(ALL),
  super_admin: new Set(ALL),
};

export function isPermission(value: string): value is Permission {
  return Object.hasOwn(PERMISSIONS, value);
}

/** Position in the hierarchy: nobody may give a role above their own. */
export function roleRank(role: Role): number {
  return ROLES.indexOf(role);
}
