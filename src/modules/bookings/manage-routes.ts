import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type, { type Static } from 'typebox';
import { perIpLimit } from '../../platform/http/rate-limit.ts';
import { errorResponses } from '../../platform/http/schemas.ts';
import { formatLocal } from '../availability/engine.ts';
import type { BookingModuleDeps } from './routes.ts';
import type { BookingRow, BookingService } from './service.ts';

const Instant = Type.String({ format: 'date-time' });
const Local = Type.String({
  description:
    'ISO 8601 wall time in the booking’s `timezone` with its offset, e.g. 2026-12-01T09:00:00+01:00',
});
const NullableString = Type.Union([Type.String(), Type.Null()]);
const Token = Type.String({
  minLength: 1,
  maxLength: 200,
  description: 'The `token` of the link the client was mailed',
});

const ConsultantName = Type.Object({
  id: Type.String({ format: 'uuid' }),
  first_name: Type.String(),
  last_name: Type.String(),
  title: NullableString,
});

const ManageView = Type.Object({
  reference: Type.String(),
  status: Type.String({ description: 'confirmed, cancelled, completed or no_show' }),
  consultant: ConsultantName,
  start: Instant,
  end: Instant,
  start_local: Local,
  end_local: Local,
  duration: Type.Integer({ description: 'Minutes' }),
  timezone: Type.String({ description: 'The client’s IANA zone, given when booking' }),
  meeting_type: Type.String(),
  meeting_url: Type.Union([Type.String(), Type.Null()], {
    description: 'The video meeting link, only while the booking is confirmed',
  }),
  language: Type.String(),
  client_first_name: Type.String(),
  client_last_name: Type.String(),
  client_email: Type.String(),
  can_change: Type.Boolean({
    description:
      'Whether the client may still cancel or move it: confirmed, not over, before change_deadline',
  }),
  change_deadline: Instant,
  cancelled_at: Type.Union([Instant, Type.Null()]),
  cancelled_by: Type.Union([Type.Literal('client'), Type.Literal('staff'), Type.Null()]),
});

const FeedbackView = Type.Object({
  reference: Type.String(),
  consultant: ConsultantName,
  start: Instant,
  start_local: Local,
  timezone: Type.String(),
  status: Type.String(),
  can_rate: Type.Boolean({ description: 'The meeting took place (completed) and has no rating yet' }),
  rating: Type.Union([Type.Integer({ minimum: 1, maximum: 5 }), Type.Null()]),
});

const FeedbackAnswer = Type.Object({
  reference: Type.String(),
  rating: Type.Integer({ minimum: 1, maximum: 5 }),
  text: NullableString,
});

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
export function manageRoutes(app: FastifyInstance, service: BookingService, deps: BookingModuleDeps): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  async function consultantOf(booking: BookingRow) {
    // A consultant deleted later still names the meeting the client had with them.
    return deps.db
      .selectFrom('consultants')
      .select(['id', 'first_name', 'last_name', 'title'])
      .where('id', '=', booking.consultant_id)
      .executeTakeFirstOrThrow();
  }

  async function manageView(booking: BookingRow): Promise<Static<typeof ManageView>> {
    const deadline = await service.changeDeadline(booking);
    const now = deps.clock();
    const confirmed = booking.status === 'confirmed';
    return {
      reference: booking.reference,
      status: booking.status,
      consultant: await consultantOf(booking),
      start: booking.datetime.toISOString(),
      end: booking.ends_at.toISOString(),
      start_local: formatLocal(booking.datetime.getTime(), booking.timezone),
      end_local: formatLocal(booking.ends_at.getTime(), booking.timezone),
      duration: booking.duration,
      timezone: booking.timezone,
      meeting_type: booking.meeting_type,
      meeting_url: confirmed ? booking.meeting_url : null,
      language: booking.language,
      client_first_name: booking.client_first_name,
      client_last_name: booking.client_last_name,
      client_email: booking.client_email,
      can_change: confirmed && now < booking.ends_at && now < deadline,
      change_deadline: deadline.toISOString(),
      cancelled_at: booking.cancelled_at?.toISOString() ?? null,
      cancelled_by:
        booking.cancelled_by === 'client' || booking.cancelled_by === 'staff' ? booking.cancelled_by : null,
    };
  }

  r.get(
    '/api/v1/public/bookings/manage',
    {
      config: { access: 'public' },
      schema: {
        tags: ['public'],
        summary: 'The booking behind a manage link; no sign-in',
        description:
          'What the client may see of their booking: times in UTC and in the booking’s zone, the consultant’s ' +
          'name (no contact data), the meeting link while confirmed, and whether it can still be changed. ' +
          `${CUTOFF} ${INVALID}`,
        querystring: Type.Object({ token: Token }),
        response: { 200: ManageView, ...errorResponses(400, 404) },
      },
    },
    async (request, reply) => {
      void reply.header('cache-control', 'no-store');
      return manageView(await service.byManageToken(request.query.token));
    },
  );

  r.post(
    '/api/v1/public/bookings/manage/cancel',
    {
      config: { access: 'public', ...perIpLimit(deps.rateLimit) },
      schema: {
        tags: ['public'],
        summary: 'The client cancels their booking; no sign-in',
        description:
          'Cancels a confirmed booking (cancelled_by client, with the optional reason); the consultant is told, ' +
          'the calendar invite is withdrawn and the slot is offered again. A booking no longer confirmed ' +
          `answers 409 bookings.not_confirmed, one already over 409 bookings.already_over. ${CUTOFF} ${INVALID}`,
        body: Type.Object(
          { token: Token, reason: Type.Optional(Type.String({ maxLength: 2000 })) },
          { additionalProperties: false },
        ),
        response: { 200: ManageView, ...errorResponses(400, 404, 409, 429) },
      },
    },
    async (request, reply) => {
      void reply.header('cache-control', 'no-store');
      const found = await service.byManageToken(request.body.token);
      const booking = await service.cancel(found.id, {
        by: 'client',
        actor: request.actor,
        reason: request.body.reason,
      });
      return manageView(booking);
    },
  );

  r.post(
    '/api/v1/public/bookings/manage/reschedule',
    {
      config: { access: 'public', ...perIpLimit(deps.rateLimit) },
      schema: {
        tags: ['public'],
        summary: 'The client moves their booking to another offered time; no sign-in',
        description:
          'Moves a confirmed booking to `start`, keeping consultant and duration. `start` must be a `start_utc` ' +
          'of GET /api/v1/public/consultants/{consultant.id}/slots for the booking’s duration (its own current ' +
          'time does not block a move that overlaps it); it is checked again in the transaction. A time taken ' +
          'by another booking answers 409 bookings.slot_taken, one never offered 409 bookings.slot_unavailable, ' +
          `the current start 409 bookings.same_time. ${CUTOFF} ${INVALID}`,
        body: Type.Object(
          {
            token: Token,
            start: Type.String({
              format: 'date-time',
              description: 'The new start in UTC, as `start_utc` of the slots API offers it',
            }),
          },
          { additionalProperties: false },
        ),
        response: { 200: ManageView, ...errorResponses(400, 404, 409, 429, 503) },
      },
    },
    async (request, reply) => {
      void reply.header('cache-control', 'no-store');
      const found = await service.byManageToken(request.body.token);
      const booking = await service.reschedule(found.id, {
        by: 'client',
        actor: request.actor,
        start: request.body.start,
      });
      return manageView(booking);
    },
  );

  r.get(
    '/api/v1/public/bookings/feedback',
    {
      config: { access: 'public' },
      schema: {
        tags: ['public'],
        summary: 'The meeting behind a feedback link; no sign-in',
        description:
          'Whether the client can rate the meeting (it was completed and has no rating yet) and the rating ' +
          'given. Only the feedback token works here, not the manage token of the same booking. ' +
          INVALID,
        querystring: Type.Object({ token: Token }),
        response: { 200: FeedbackView, ...errorResponses(400, 404) },
      },
    },
    async (request, reply) => {
      void reply.header('cache-control', 'no-store');
      const booking = await service.byFeedbackToken(request.query.token);
      return {
        reference: booking.reference,
        consultant: await consultantOf(booking),
        start: booking.datetime.toISOString(),
        start_local: formatLocal(booking.datetime.getTime(), booking.timezone),
        timezone: booking.timezone,
        status: booking.status,
        can_rate: booking.status === 'completed' && booking.feedback_at === null,
        rating: booking.client_rating,
      };
    },
  );

  r.post(
    '/api/v1/public/bookings/feedback',
    {
      config: { access: 'public', ...perIpLimit(deps.rateLimit) },
      schema: {
        tags: ['public'],
        summary: 'The client rates a completed meeting; no sign-in',
        description:
          'A rating of 1 to 5 and optional words, once per meeting; the consultant’s average_rating is ' +
          'recomputed in the same transaction. Before staff mark the meeting completed the answer is 409 ' +
          'bookings.feedback_not_open, a second rating 409 bookings.feedback_given (also when two arrive at ' +
          `once: one wins). ${INVALID}`,
        body: Type.Object(
          {
            token: Token,
            rating: Type.Integer({ minimum: 1, maximum: 5 }),
            text: Type.Optional(Type.String({ maxLength: 2000 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: FeedbackAnswer, ...errorResponses(400, 404, 409, 429) },
      },
    },
    async (request, reply) => {
      void reply.header('cache-control', 'no-store');
      const { token, rating, text } = request.body;
      const booking = await service.giveFeedback(token, { rating, text }, request.actor);
      return {
        reference: booking.reference,
        rating: booking.client_rating ?? rating,
        text: booking.client_feedback,
      };
    },
  );
}
