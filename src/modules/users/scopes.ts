import type { ErrorDetail } from '../../platform/http/errors.ts';
import type { AccessRule, Permission } from '../identity/index.ts';
import { userError } from './errors.ts';

/**
 * What a grant may be limited to, from the guard's rules: per permission that some route honours scoped to one
 * resource (a rule with `resource`), the kinds of resource those routes are about (`page`, `media`, …; a grant
 * names one as `<kind>:<id>`). A permission missing here is checked per resource by no route: a grant of it
 * limited to one resource would do nothing. An empty list: the routes declare no kind, any resource name goes.
 */
export type GrantScopes = ReadonlyMap<Permission, readonly string[]>;

export function grantScopes(rules: readonly AccessRule[]): GrantScopes {
  const scopes = new Map<Permission, Set<string>>();
  for (const { access } of rules) {
    if (typeof access !== 'object' || !access.resource) continue;
    const kinds = scopes.get(access.permission) ?? new Set<string>();
    if (access.resource.kind !== undefined) kinds.add(access.resource.kind);
    scopes.set(access.permission, kinds);
  }
  return new Map(
    [...scopes]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([permission, kinds]) => [permission, [...kinds].sort()] as const),
  );
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const named = (kinds: readonly string[]) => kinds.map((kind) => `${kind}:<id>`).join(', ');

/**
 * The resource a grant of `permission` is limited to, as the routes name it (`page:<uuid>`, lowercase); refuses
 * a permission no route checks per resource (listing those that some route does) and a resource of another
 * kind or with an id that is no UUID (the ids of every kind byIdParam is used for).
 */
export function scopedResource(permission: Permission, resource: string, scopes: GrantScopes): string {
  const kinds = scopes.get(permission);
  if (!kinds) {
    const details: ErrorDetail[] = [...scopes].map(([scopable, of]) => ({
      field: 'body.permission',
      code: 'scopable',
      message: of.length > 0 ? `${scopable}: ${named(of)}` : scopable,
    }));
    throw userError(
      'users.grant_not_scopable',
      { permission, scopable: [...scopes.keys()].join(', ') || '—' },
      details,
    );
  }
  if (kinds.length === 0) return resource;
  const colon = resource.indexOf(':');
  const kind = resource.slice(0, colon);
  const id = resource.slice(colon + 1);
  if (colon < 0 || !kinds.includes(kind) || !UUID.test(id)) {
    const expected = named(kinds);
    throw userError('users.grant_resource_invalid', { permission, resource, expected }, [
      { field: 'body.resource', code: 'format', message: `must be ${expected} (a UUID)` },
    ]);
  }
  return `${kind}:${id.toLowerCase()}`;
}
