import { defineModule } from '../../platform/module.ts';
import { bookingRoutes } from './routes.ts';

/** Bookings: the public booking API, the client's links, the staff API and what each change sets off. */
export const bookingsModule = defineModule(
  'bookings',
  { dependencies: ['settings', 'identity', 'integrations', 'availability'] },
  (app) => {
    bookingRoutes(app, {
      db: app.database.db,
      settings: app.settings,
      configs: app.integrations,
      clock: app.clock,
      appSecret: app.config.appSecret ?? '',
      publicUrl: app.config.publicUrl,
      jobs: app.jobs,
      mailer: app.mailer,
      rateLimit: app.config.bookingRateLimit,
    });
  },
);
