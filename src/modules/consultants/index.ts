import { defineModule } from '../../platform/module.ts';
import { consultantMediaUsage } from './media-usage.ts';
import { consultantRoutes } from './routes.ts';
import { ConsultantsService } from './service.ts';

// What other modules may use: a consultant's card and schedule, and, inside a booking's transaction, the
// consultant's row lock and the figures the bookings keep (total_bookings, average_rating).
export {
  consultantIdsWithCalendar,
  findConsultantCard,
  findConsultantCards,
  findSchedule,
  lockConsultant,
  setConsultantFigures,
  type ConsultantCard,
} from './repository.ts';
export type { Holiday, PublicConsultant, TimeRange, WorkingHours } from './schemas.ts';
export type { ConsultantsService } from './service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Consultants: staff CRUD and the public profiles. */
    consultants: ConsultantsService;
  }
}

/** Consultants: staff CRUD and the public profiles; their photos count in the media library's where-used. */
export const consultantsModule = defineModule(
  'consultants',
  { dependencies: ['identity', 'media'] },
  (app) => {
    const consultants = new ConsultantsService({
      db: app.database.db,
      clock: app.clock,
      mediaMimeType: (id, executor) => app.media.liveMimeType(id, executor),
    });
    app.decorate('consultants', consultants);
    app.media.registerUsage(consultantMediaUsage);
    consultantRoutes(app, consultants);
  },
);
