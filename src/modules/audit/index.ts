import { defineModule } from '../../platform/module.ts';
import { auditRoutes } from './routes.ts';

/** The audit trail, read by staff. */
export const auditModule = defineModule('audit', { dependencies: ['identity'] }, (app) => {
  auditRoutes(app, app.database.db);
});
