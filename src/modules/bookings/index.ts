import { scheduleHousekeeping } from '../../platform/jobs/maintenance.ts';
import { defineModule } from '../../platform/module.ts';
import { deleteIdempotencyKeys } from './repository/idempotency.ts';
import { registerCalendarSync } from './calendar-sync.ts';
import type { BookingsContext } from './context.ts';
import { BookingEffects } from './effects.ts';
import { manageRoutes } from './manage-routes.ts';
import { registerNotifications } from './notifications.ts';
import { registerOdooSync } from './odoo-sync.ts';
import { bookingInterval, blockingBetween } from './repository/index.ts';
import { bookingRoutes } from './routes.ts';
import { BookingService } from './service.ts';
import { StaffBookings } from './staff.ts';
import { staffBookingRoutes } from './staff-routes.ts';

/** How long a booking's Idempotency-Key is remembered. */
const IDEMPOTENCY_KEY_HOURS = 24;

export { bookingError } from './errors.ts';
export type { BookingAnswer, FeedbackView, ManageView, StaffBooking } from './schemas.ts';
export type { BookingService } from './service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** A booking's life: booked by a client, changed through the client's links or by staff. */
    bookings: BookingService;
  }
}

/**
 * Bookings: the public booking API (a client books a consultant's slot, no sign-in), the client's manage and
 * feedback links, the staff API, and what each change owes the outside world (mails and reminder, Google
 * Calendar, Odoo), registered as effects that enqueue jobs in the changing transaction. The times bookings take
 * are handed to availability, which knows no booking.
 */
export const bookingsModule = defineModule(
  'bookings',
  { dependencies: ['settings', 'identity', 'integrations', 'consultants', 'availability'] },
  (app) => {
    const context: BookingsContext = {
      db: app.database.db,
      settings: app.settings,
      configs: app.integrations,
      clock: app.clock,
      appSecret: app.config.appSecret ?? '',
      publicUrl: app.config.publicUrl,
      jobs: app.jobs,
      mailer: app.mailer,
      availability: app.availability,
    };
    app.availability.useBookedTimes({ between: blockingBetween, of: bookingInterval });

    const effects = new BookingEffects();
    const { confirm } = registerNotifications(effects, context);
    registerCalendarSync(effects, context, confirm);
    registerOdooSync(effects, context);

    const bookings = new BookingService({ ...context, effects });
    app.decorate('bookings', bookings);
    // An Idempotency-Key answers a client's retries; a day covers any retry a client makes (Stripe keeps its
    // keys for 24 hours too). Afterwards the same key books afresh.
    scheduleHousekeeping(app.jobs, 'maintenance.booking_idempotency_keys', '29 * * * *', () =>
      deleteIdempotencyKeys(
        app.database.db,
        new Date(app.clock().getTime() - IDEMPOTENCY_KEY_HOURS * 3600_000),
      ),
    );
    const rateLimit = app.config.bookingRateLimit;
    bookingRoutes(app, bookings, rateLimit);
    manageRoutes(app, bookings, rateLimit);
    staffBookingRoutes(app, new StaffBookings(context, bookings));
  },
);
