import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { perIpLimit } from '../../platform/http/rate-limit.ts';
import { errorResponses } from '../../platform/http/schemas.ts';
import { BookingAnswerSchema, BookingHeadersSchema, BookingRequestSchema } from './schemas.ts';
import type { BookingService } from './service.ts';

/** The public booking API: a client books a consultant's slot, no sign-in. */
export function bookingRoutes(
  app: FastifyInstance,
  service: BookingService,
  /** Public changes (book, cancel, move, rate) per minute and client IP, each route counted alone; 0: unlimited. */
  rateLimit: number,
): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.post(
    '/api/v1/public/bookings',
    {
      config: { access: 'public', ...perIpLimit(rateLimit) },
      schema: {
        operationId: 'createBooking',
        tags: ['public'],
        summary: 'Book a consultation; no sign-in',
        description:
          '`start` must be a slot the slots API offers now for this consultant and duration; it is checked ' +
          'again inside the booking’s transaction, and two requests racing for one slot get one booking and ' +
          'one 409 bookings.slot_taken. privacy_consent must be true. With an `Idempotency-Key` header a retry ' +
          'answers the first booking again (same status and body); the same key with another body is 422 ' +
          'bookings.idempotency_key_reused. Video meetings get a link on booking.meeting_base_url.',
        headers: BookingHeadersSchema,
        body: BookingRequestSchema,
        response: { 201: BookingAnswerSchema, ...errorResponses(400, 404, 409, 422, 429, 503) },
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
