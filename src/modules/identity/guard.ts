import type { FastifyInstance, FastifyRequest } from 'fastify';
import { safeEqual } from '../../platform/security/tokens.ts';
import { authError } from './errors.ts';
import { isPermission, type Permission } from './permissions.ts';
import { CSRF_HEADER } from './schemas.ts';
import type { AuthContext, Sessions } from './sessions.ts';

export { CSRF_HEADER };

/**
 * Who may call a route. Every route under /api/v1 and /health declares one in `config.access`:
 * - 'public': anyone, no session needed;
 * - 'authenticated': any signed-in user (their own profile, sessions, two-factor);
 * - { permission }: a signed-in user holding the permission, through their role or a live grant. With
 *   `resource`, a grant scoped to the resource the request is about also counts.
 */
export type RouteAccess = 'public' | 'authenticated' | { permission: Permission; resource?: ResourceOf };

/**
 * The resource a request is about, as grants name it (`page:<uuid>`); undefined when it names none. `kind`, when
 * set, says which kind of resource the route is about, so a grant can be checked before it is given.
 */
export type ResourceOf = ((request: FastifyRequest) => string | undefined) & { readonly kind?: string };

/**
 * The rule of a route about one `kind` of resource named by its `:id` path parameter: a grant scoped to
 * `<kind>:<id>` counts there, e.g. `{ permission: 'pages.write', resource: byIdParam('page') }`.
 */
export function byIdParam(kind: string): ResourceOf & { readonly kind: string } {
  const resource = (request: FastifyRequest): string | undefined => {
    const { id } = request.params as { id?: unknown };
    // The guard runs before validation: a malformed id names a resource no grant is scoped to.
    return typeof id === 'string' && id !== '' ? `${kind}:${id.toLowerCase()}` : undefined;
  };
  return Object.assign(resource, { kind });
}

/** A registered route and its rule, for the access-matrix test and for inspection. */
export interface AccessRule {
  method: string;
  url: string;
  access: RouteAccess | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route registered after the guard, with its access rule. */
    accessRules: AccessRule[];
  }
  interface FastifyContextConfig {
    access?: RouteAccess;
    /** Reachable by a super admin who still has to enrol in two-factor authentication. */
    duringEnrolment?: boolean;
  }
  interface FastifyRequest {
    /** The signed-in caller; set by the guard on every route that is not public. */
    auth: AuthContext | null;
  }
}

export const COOKIE = { access: 'mq_access', refresh: 'mq_refresh', csrf: 'mq_csrf' } as const;
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Whether `auth` may do `permission`, globally or on `resource`. */
export function can(auth: AuthContext, permission: Permission, resource?: string): boolean {
  if (auth.permissions.has(permission)) return true;
  return resource !== undefined && (auth.scoped.get(permission)?.has(resource) ?? false);
}

/** The request's access token: the Authorization header first, else the admin UI's cookie. */
export function credentials(request: FastifyRequest): { token?: string; via: 'bearer' | 'cookie' } {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) throw authError('auth.invalid_token');
    return { token: match[1], via: 'bearer' };
  }
  const cookie = request.cookies[COOKIE.access];
  return cookie ? { token: cookie, via: 'cookie' } : { via: 'cookie' };
}

export function registerGuard(app: FastifyInstance, sessions: Sessions): void {
  const rules: AccessRule[] = [];
  app.decorate('accessRules', rules);
  app.addHook('onRoute', (route) => {
    const access = route.config?.access;
    for (const method of [route.method].flat()) rules.push({ method, url: route.url, access });
    const permission: string | undefined = typeof access === 'object' ? access.permission : undefined;
    if (permission !== undefined && !isPermission(permission)) {
      throw new Error(
        `route ${route.url} requires "${permission}", which is not in the permission catalogue`,
      );
    }
  });

  app.decorateRequest('auth', null);
  app.addHook('onRequest', async (request) => {
    const { access, duringEnrolment } = request.routeOptions.config;
    if (!access || access === 'public') return;

    const { token, via } = credentials(request);
    if (!token) throw authError('auth.required');
    const auth = await sessions.authenticate(token);
    if (auth === 'expired') throw authError('auth.token_expired');
    if (auth === 'invalid') throw authError('auth.invalid_token');
    // A cookie travels with cross-site requests; the CSRF header, readable only by our own pages, does not.
    if (via === 'cookie' && UNSAFE.has(request.method)) {
      const given = request.headers[CSRF_HEADER];
      if (typeof given !== 'string' || !safeEqual(given, sessions.csrfToken(auth.sessionId))) {
        throw authError('auth.csrf_failed');
      }
    }
    request.auth = auth;
    request.actor = {
      ...request.actor,
      userId: auth.user.id,
      userEmail: auth.user.email,
      sessionId: auth.sessionId,
    };

    if (auth.mustEnrolTwoFactor && !duringEnrolment) {
      throw authError('auth.two_factor_enrolment_required');
    }
    if (typeof access === 'object' && !can(auth, access.permission, access.resource?.(request))) {
      throw authError('auth.forbidden', { permission: access.permission });
    }
  });
}

/** The signed-in caller of a route that is not public (the guard has run). */
export function authOf(request: FastifyRequest): AuthContext {
  if (!request.auth) throw authError('auth.required');
  return request.auth;
}
