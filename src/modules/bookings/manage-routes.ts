import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { perIpLimit } from '../../platform/http/rate-limit.ts';
import { errorResponses } from '../../platform/http/schemas.ts';
import {
  FeedbackAnswerSchema,
  FeedbackBodySchema,
  FeedbackViewSchema,
  ManageCancelSchema,
  ManageRescheduleSchema,
  ManageViewSchema,
  TokenQuerySchema,
} from './schemas.ts';
import type { BookingService } from './service.ts';

const CUTOFF =
  'The client may cancel or move a confirmed booking until booking.cancellation_cutoff_hours before its start ' +
  '(`change_deadline`); after that the answer is 409 bookings.cutoff_passed naming the deadline, and staff ' +
  'change it instead.';
const INVALID = 'A tampered, malformed or unknown token answers 404 bookings.invalid_link.';

/**
 * The client's links, no sign-in: the manage link of the confirmation mail (view, cancel, move) and the
 * feedback link sent after a completed meeting. The signed token is the only credential, so answers are
 * never cached and tokens stay in query strings the logger redacts or in bodies it does not log.
 */
export function manageRoutes(app: FastifyInstance, service: BookingService, rateLimit: number): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/api/v1/public/bookings/manage',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'getManagedBooking',
        tags: ['public'],
        summary: 'The booking behind a manage link; no sign-in',
        description:
          'What the client may see of their booking: times in UTC and in the booking’s zone, the consultant’s ' +
          'name (no contact data), the meeting link while confirmed, and whether it can still be changed. ' +
          `${CUTOFF} ${INVALID}`,
        querystring: TokenQuerySchema,
        response: { 200: ManageViewSchema, ...errorResponses(400, 404) },
      },
    },
    async (request, reply) => {
      void reply.header('cache-control', 'no-store');
      return service.manage(request.query.token);
    },
  );

  r.post(
    '/api/v1/public/bookings/manage/cancel',
    {
      config: { access: 'public', ...perIpLimit(rateLimit) },
      schema: {
        operationId: 'cancelManagedBooking',
        tags: ['public'],
        summary: 'The client cancels their booking; no sign-in',
        description:
          'Cancels a confirmed booking (cancelled_by client, with the optional reason); the consultant is told, ' +
          'the calendar invite is withdrawn and the slot is offered again. A booking no longer confirmed ' +
          `answers 409 bookings.not_confirmed, one already over 409 bookings.already_over. ${CUTOFF} ${INVALID}`,
        body: ManageCancelSchema,
        response: { 200: ManageViewSchema, ...errorResponses(400, 404, 409, 429) },
      },
    },
    async (request, reply) => {
      void reply.header('cache-control', 'no-store');
      return service.cancelByClient(request.body.token, request.body.reason, request.actor);
    },
  );

  r.post(
    '/api/v1/public/bookings/manage/reschedule',
    {
      config: { access: 'public', ...perIpLimit(rateLimit) },
      schema: {
        operationId: 'rescheduleManagedBooking',
        tags: ['public'],
        summary: 'The client moves their booking to another offered time; no sign-in',
        description:
          'Moves a confirmed booking to `start`, keeping consultant and duration. `start` must be a `start_utc` ' +
          'of GET /api/v1/public/consultants/{consultant.id}/slots for the booking’s duration (its own current ' +
          'time does not block a move that overlaps it); it is checked again in the transaction. A time taken ' +
          'by another booking answers 409 bookings.slot_taken, one never offered 409 bookings.slot_unavailable, ' +
          `the current start 409 bookings.same_time. ${CUTOFF} ${INVALID}`,
        body: ManageRescheduleSchema,
        response: { 200: ManageViewSchema, ...errorResponses(400, 404, 409, 429, 503) },
      },
    },
    async (request, reply) => {
      void reply.header('cache-control', 'no-store');
      return service.rescheduleByClient(request.body.token, request.body.start, request.actor);
    },
  );

  r.get(
    '/api/v1/public/bookings/feedback',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'getBookingFeedback',
        tags: ['public'],
        summary: 'The meeting behind a feedback link; no sign-in',
        description:
          'Whether the client can rate the meeting (it was completed and has no rating yet) and the rating ' +
          'given. Only the feedback token works here, not the manage token of the same booking. ' +
          INVALID,
        querystring: TokenQuerySchema,
        response: { 200: FeedbackViewSchema, ...errorResponses(400, 404) },
      },
    },
    async (request, reply) => {
      void reply.header('cache-control', 'no-store');
      return service.feedback(request.query.token);
    },
  );

  r.post(
    '/api/v1/public/bookings/feedback',
    {
      config: { access: 'public', ...perIpLimit(rateLimit) },
      schema: {
        operationId: 'createBookingFeedback',
        tags: ['public'],
        summary: 'The client rates a completed meeting; no sign-in',
        description:
          'A rating of 1 to 5 and optional words, once per meeting; the consultant’s average_rating is ' +
          'recomputed in the same transaction. Before staff mark the meeting completed the answer is 409 ' +
          'bookings.feedback_not_open, a second rating 409 bookings.feedback_given (also when two arrive at ' +
          `once: one wins). ${INVALID}`,
        body: FeedbackBodySchema,
        response: { 200: FeedbackAnswerSchema, ...errorResponses(400, 404, 409, 429) },
      },
    },
    async (request, reply) => {
      void reply.header('cache-control', 'no-store');
      return service.giveFeedback(request.body, request.actor);
    },
  );
}
