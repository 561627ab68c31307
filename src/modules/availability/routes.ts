import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { perIpLimit } from '../../platform/http/rate-limit.ts';
import { errorResponses } from '../../platform/http/schemas.ts';
import { AvailabilityService, type AvailabilityDeps } from './service.ts';

const LocalDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'A local date, YYYY-MM-DD' });
const Instant = Type.String({ format: 'date-time' });

const Slot = Type.Object({
  date: Type.String({ description: 'The local date of the start in `tz`' }),
  start_utc: Instant,
  end_utc: Instant,
  start_local: Type.String({
    description: 'ISO 8601 in `tz` with its offset, e.g. 2026-12-01T09:00:00+01:00',
  }),
  end_local: Type.String(),
});

const SlotsAnswer = Type.Object({
  consultant_id: Type.String({ format: 'uuid' }),
  consultant_timezone: Type.String(),
  timezone: Type.String(),
  from: Type.String(),
  to: Type.String(),
  duration: Type.Integer(),
  calendar_checked: Type.Boolean({ description: "Whether the consultant's Google Calendar was read" }),
  slots: Type.Array(Slot),
});

export interface AvailabilityRoutesDeps extends AvailabilityDeps {
  /** Slots requests per minute and client IP (0: unlimited). */
  rateLimit: number;
}

/** The public availability API: bookable times of a consultant, no sign-in. */
export function availabilityRoutes(app: FastifyInstance, deps: AvailabilityRoutesDeps): void {
  const service = new AvailabilityService(deps);
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/api/v1/public/consultants/:id/slots',
    {
      config: { access: 'public', ...perIpLimit(deps.rateLimit) },
      schema: {
        tags: ['public'],
        summary: "A consultant's bookable times between two local dates; no sign-in",
        description:
          'Working hours (in the consultant’s zone) minus holidays, minus confirmed bookings widened by ' +
          'booking.buffer_minutes, minus Google Calendar busy times when connected; starts every ' +
          'booking.slot_interval_minutes, not before booking.min_notice_hours from now nor beyond ' +
          'booking.horizon_days; a day with booking.max_per_day bookings offers nothing. `from` and `to` are ' +
          'local dates in `tz`; each slot comes in UTC and in `tz`. When the calendar cannot be read the ' +
          'answer is 503 availability.calendar_unavailable, never "all free".',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        querystring: Type.Object({
          from: LocalDate,
          to: LocalDate,
          duration: Type.Union([Type.Literal(30), Type.Literal(60), Type.Literal(90), Type.Literal(120)], {
            description: 'Minutes',
          }),
          tz: Type.String({ minLength: 1, maxLength: 64, description: 'IANA zone, e.g. Europe/Berlin' }),
        }),
        response: { 200: SlotsAnswer, ...errorResponses(400, 404, 409, 429, 503) },
      },
    },
    async (request, reply) => {
      void reply.header('cache-control', 'no-store');
      return service.slots(request.params.id, request.query);
    },
  );
}
