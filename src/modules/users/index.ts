import { defineModule } from '../../platform/module.ts';
import { userRoutes } from './routes.ts';
import { grantScopes } from './scopes.ts';
import { UsersService } from './service.ts';

/** Staff accounts, roles and permission grants: the administration face of identity's accounts. */
export const usersModule = defineModule('users', { dependencies: ['identity'] }, (app) => {
  const users = new UsersService({
    db: app.database.db,
    identity: app.identity,
    clock: app.clock,
    // Read when asked: by then every module's routes are registered and in app.accessRules.
    grantScopes: () => grantScopes(app.accessRules),
  });
  userRoutes(app, users);
});
