import { defineModule } from '../../platform/module.ts';
import { healthRoutes } from './routes.ts';

/** Liveness and readiness of the process. */
export const healthModule = defineModule('health', {}, (app) => {
  healthRoutes(app, app.database);
});
