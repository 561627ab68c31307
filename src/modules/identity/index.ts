import { servedOverHttps } from '../../platform/core.ts';
import { scheduleHousekeeping } from '../../platform/jobs/maintenance.ts';
import { defineModule } from '../../platform/module.ts';
import { deleteEndedSessions } from './repository/sessions.ts';
import { deleteForgottenUnknownFailures } from './repository/unknown-addresses.ts';
import { forgetFailuresBefore } from './sign-in.ts';
import { registerGuard } from './guard.ts';
import { authRoutes } from './routes.ts';
import { UserSchema } from './schemas.ts';
import { IdentityService } from './service.ts';

// What other modules may use: the request's signed-in user and permission checks, the permission catalogue,
// the user schema, and (through app.identity) the accounts, sessions and password links.
export { authOf, byIdParam, can } from './guard.ts';
export { checkPasswordPolicy } from './passwords.ts';
export type { AccessRule, ResourceOf, RouteAccess } from './guard.ts';
export { PERMISSIONS, ROLES, ROLE_PERMISSIONS, isPermission, roleRank } from './permissions.ts';
export type { Permission, Role } from './permissions.ts';
export { Email, Language, NewPassword, RoleSchema, UserSchema } from './schemas.ts';
export type { MeView, UserView } from './schemas.ts';
export type { AccountChanges, AccountTarget, ActiveAccount, Grant, NewAccount } from './accounts.ts';
export type { AuthContext, IdentityService, SessionEndReason } from './service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Sign-in, sessions, passwords, two-factor authentication and the staff accounts. */
    identity: IdentityService;
  }
}

/** Sign-in, sessions, two-factor authentication, and the guard that checks every route's access rule. */
export const identityModule = defineModule('identity', { dependencies: ['settings'] }, async (app) => {
  const { config } = app;
  app.addSchema(UserSchema);
  const identity = new IdentityService({
    db: app.database.db,
    clock: app.clock,
    mailer: app.mailer,
    settings: app.settings,
    appSecret: config.appSecret ?? '',
    publicUrl: config.publicUrl,
    accessTokenMinutes: config.accessTokenMinutes,
    sessionDays: config.sessionDays,
  });
  app.decorate('identity', identity);
  registerGuard(app, identity.sessions);
  // Sessions that ended or expired more than 30 days ago go, with their rotated refresh tokens; so do the
  // failed sign-ins at unknown addresses that no longer count.
  scheduleHousekeeping(app.jobs, 'maintenance.sessions', '43 3 * * *', async () => {
    const now = app.clock();
    await deleteEndedSessions(app.database.db, new Date(now.getTime() - 30 * 24 * 3600_000));
    await deleteForgottenUnknownFailures(app.database.db, forgetFailuresBefore(now), now);
  });
  await app.register(authRoutes, {
    identity,
    rateLimit: config.authRateLimit,
    secureCookies: servedOverHttps(app),
  });
});
