import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { perIpLimit } from '../../platform/http/rate-limit.ts';
import { errorResponses } from '../../platform/http/schemas.ts';
import type { Jobs } from '../../platform/jobs/index.ts';
import type { Mailer } from '../../platform/mail/mailer.ts';
import { registerCalendarSync } from './calendar-sync.ts';
import { BookingEffects } from './effects.ts';
import { manageRoutes } from './manage-routes.ts';
import { registerNotifications } from './notifications.ts';
import { registerOdooSync } from './odoo-sync.ts';
import { BookingService, type BookingDeps } from './service.ts';
import { staffBookingRoutes } from './staff-routes.ts';

/** What the bookings module is built from. */
export interface BookingModuleDeps extends Omit<BookingDeps, 'effects'> {
  jobs: Jobs;
  mailer: Mailer;
  /** Public changes (book, cancel, move, rate) per minute and client IP, each route counted alone; 0: unlimited. */
  rateLimit: number;
}

const Instant = Type.String({ format: 'date-time' });

const BookingBody = Type.Object(
  {
    consultant_id: Type.String({ format: 'uuid' }),
    start: Type.String({
      format: 'date-time',
      description: 'The slot start in UTC, as `start_utc` of the slots API offers it',
    }),
    duration: Type.Union([Type.Literal(30), Type.Literal(60), Type.Literal(90), Type.Literal(120)], {
      description: 'Minutes',
    }),
    meeting_type: Type.Union([Type.Literal('video'), Type.Literal('phone'), Type.Literal('in_person')]),
    client_first_name: Type.String({ minLength: 1, maxLength: 100 }),
    client_last_name: Type.String({ minLength: 1, maxLength: 100 }),
    client_email: Type.String({ format: 'email', maxLength: 255 }),
    client_phone: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    client_company: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    message: Type.Optional(Type.String({ maxLength: 5000 })),
    language: Type.Union([Type.Literal('en'), Type.Literal('de')]),
    privacy_consent: Type.Boolean({ description: 'Must be true' }),
    timezone: Type.String({ minLength: 1, maxLength: 50, description: "The client's IANA zone" }),
  },
  { additionalProperties: false },
);

const BookingAnswer = Type.Object({
  id: Type.String({ format: 'uuid' }),
  reference: Type.String({ pattern: '^VLT-[0-9]{8}-[0-9A-Z]{4}$' }),
  consultant_id: Type.String({ format: 'uuid' }),
  start: Instant,
  end: Instant,
  duration: Type.Integer(),
  timezone: Type.String(),
  meeting_type: Type.String(),
  meeting_url: Type.Union([Type.String(), Type.Null()]),
  language: Type.String(),
  status: Type.String(),
  manage_url: Type.String({ description: 'Where the client views, moves or cancels the booking' }),
});

/**
 * Bookings: the public booking API (a client books a consultant's slot, no sign-in), the client's manage and
 * feedback links, the staff API, and what each change owes the outside world (mails and reminder, Google
 * Calendar, Odoo), registered as effects that enqueue jobs in the changing transaction.
 */
export function bookingRoutes(app: FastifyInstance, moduleDeps: BookingModuleDeps): void {
  const effects = new BookingEffects();
  const deps: BookingDeps = { ...moduleDeps, effects };
  registerNotifications(effects, moduleDeps);
  registerCalendarSync(effects, moduleDeps);
  registerOdooSync(effects, moduleDeps);
  const service = new BookingService(deps);
  manageRoutes(app, service, moduleDeps);
  staffBookingRoutes(app, service, moduleDeps);
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.post(
    '/api/v1/public/bookings',
    {
      config: { access: 'public', ...perIpLimit(moduleDeps.rateLimit) },
      schema: {
        tags: ['public'],
        summary: 'Book a consultation; no sign-in',
        description:
          '`start` must be a slot the slots API offers now for this consultant and duration; it is checked ' +
          'again inside the booking’s transaction, and two requests racing for one slot get one booking and ' +
          'one 409 bookings.slot_taken. privacy_consent must be true. With an `Idempotency-Key` header a retry ' +
          'answers the first booking again (same status and body); the same key with another body is 422 ' +
          'bookings.idempotency_key_reused. Video meetings get a link on booking.meeting_base_url.',
        headers: Type.Object({
          'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
        }),
        body: BookingBody,
        response: { 201: BookingAnswer, ...errorResponses(400, 404, 409, 422, 429, 503) },
      },
    },
    async (request, reply) => {
      void reply.header('cache-control', 'no-store');
      const { booking } = await service.create(
        request.body,
        request.actor,
        request.headers['idempotency-key'],
      );
      return reply.code(201).send(booking);
    },
  );
}
