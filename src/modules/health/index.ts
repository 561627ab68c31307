import { defineModule } from '../../platform/module.ts';
import { healthRoutes } from './routes.ts';
import { HealthService } from './service.ts';

/** Liveness and readiness of the process. */
export const healthModule = defineModule('health', {}, (app) => {
  healthRoutes(app, new HealthService(app.database));
});
