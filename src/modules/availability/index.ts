import { defineModule } from '../../platform/module.ts';
import { availabilityRoutes } from './routes.ts';

/** A consultant's bookable times (working hours, holidays, bookings, Google busy times). */
export const availabilityModule = defineModule(
  'availability',
  { dependencies: ['settings', 'integrations'] },
  (app) => {
    availabilityRoutes(app, {
      db: app.database.db,
      settings: app.settings,
      configs: app.integrations,
      clock: app.clock,
      rateLimit: app.config.slotsRateLimit,
    });
  },
);
