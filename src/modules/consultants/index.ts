import { defineModule } from '../../platform/module.ts';
import { consultantRoutes } from './routes.ts';

/** Consultants: staff CRUD and the public profiles. */
export const consultantsModule = defineModule('consultants', { dependencies: ['identity'] }, (app) => {
  consultantRoutes(app, { db: app.database.db, clock: app.clock });
});
