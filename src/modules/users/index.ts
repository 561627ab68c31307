import { defineModule } from '../../platform/module.ts';
import { userRoutes } from './routes.ts';

/** Staff accounts, roles and permission grants. */
export const usersModule = defineModule('users', { dependencies: ['identity'] }, (app) => {
  userRoutes(app, { db: app.database.db, identity: app.identity, clock: app.clock });
});
