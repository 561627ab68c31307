import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { perIpLimit } from '../../platform/http/rate-limit.ts';
import { errorResponses } from '../../platform/http/schemas.ts';
import { SlotsAnswerSchema, SlotsParamsSchema, SlotsQuerySchema } from './schemas.ts';
import type { Availability } from './service.ts';

/** The public availability API: bookable times of a consultant, no sign-in. */
export function availabilityRoutes(
  app: FastifyInstance,
  availability: Availability,
  options: {
    /** Slots requests per minute and client IP (0: unlimited). */
    rateLimit: number;
  },
): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/api/v1/public/consultants/:id/slots',
    {
      config: { access: 'public', ...perIpLimit(options.rateLimit) },
      schema: {
        operationId: 'listConsultantSlots',
        tags: ['public'],
        summary: "A consultant's bookable times between two local dates; no sign-in",
        description:
          'Working hours (in the consultant’s zone) minus holidays, minus confirmed bookings widened by ' +
          'booking.buffer_minutes, minus Google Calendar busy times when connected; starts every ' +
          'booking.slot_interval_minutes, not before booking.min_notice_hours from now nor beyond ' +
          'booking.horizon_days; a day with booking.max_per_day bookings offers nothing. `from` and `to` are ' +
          'local dates in `tz`; each slot comes in UTC and in `tz`. When the calendar cannot be read the ' +
          'answer is 503 availability.calendar_unavailable, never "all free".',
        params: SlotsParamsSchema,
        querystring: SlotsQuerySchema,
        response: { 200: SlotsAnswerSchema, ...errorResponses(400, 404, 409, 429, 503) },
      },
    },
    async (request, reply) => {
      void reply.header('cache-control', 'no-store');
      return availability.slots(request.params.id, request.query);
    },
  );
}
