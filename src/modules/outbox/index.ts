import { defineModule } from '../../platform/module.ts';
import { outboxRoutes } from './routes.ts';

/** The mail the product has sent or kept. */
export const outboxModule = defineModule('outbox', { dependencies: ['identity'] }, (app) => {
  outboxRoutes(app, app.database.db);
});
