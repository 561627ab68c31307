import { defineModule } from '../../platform/module.ts';
import { availabilityRoutes } from './routes.ts';
import { Availability, type Schedule } from './service.ts';
import { AvailabilitySnapshot } from './snapshot.ts';

// What other modules may use: the slots of a consultant (app.availability), the time arithmetic of the engine,
// and the errors and shapes of the slots API.
export { dateOf, dayNumber, formatLocal, localDate, localDay, localToUtc, type Interval } from './engine.ts';
export { availabilityError } from './errors.ts';
export {
  DURATIONS,
  SlotsAnswerSchema,
  SlotsQuerySchema,
  type SlotsAnswer,
  type SlotsQuery,
} from './schemas.ts';
export type { Availability, BookedTimes, SlotsOptions } from './service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** A consultant's bookable times; the bookings module registers the times its bookings take. */
    availability: Availability;
  }
}

/** A consultant's bookable times (working hours, holidays, bookings, Google busy times). */
export const availabilityModule = defineModule(
  'availability',
  { dependencies: ['settings', 'integrations', 'consultants'] },
  async (app) => {
    const snapshot = new AvailabilitySnapshot<Schedule>(app.database);
    await snapshot.start();
    app.addHook('onClose', () => snapshot.stop());
    const availability = new Availability({
      db: app.database.db,
      snapshot,
      settings: app.settings,
      configs: app.integrations,
      clock: app.clock,
    });
    app.decorate('availability', availability);
    availabilityRoutes(app, availability, { rateLimit: app.config.slotsRateLimit });
  },
);
