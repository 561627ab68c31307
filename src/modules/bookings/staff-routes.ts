import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { errorResponses } from '../../platform/http/schemas.ts';
import { SlotsAnswerSchema } from '../availability/index.ts';
import {
  BookingIdParams,
  NotesPatchSchema,
  OutcomeBodySchema,
  StaffBookingPageSchema,
  StaffBookingSchema,
  StaffCancelSchema,
  StaffListQuerySchema,
  StaffRescheduleSchema,
  StaffSlotsQuerySchema,
  WeekQuerySchema,
  WeekSchema,
} from './schemas.ts';
import type { StaffBookings } from './staff.ts';

/**
 * The staff side of bookings: list, week view and detail (bookings.read); notes, cancel, reschedule and the
 * meeting's outcome (bookings.manage). Lifecycle changes go through BookingService as `by: 'staff'`, so staff
 * are not bound by the client's cut-off, and the same effects (mails, reminder, calendar, CRM) follow.
 */
export function staffBookingRoutes(app: FastifyInstance, staff: StaffBookings): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['bookings'];
  const read = { access: { permission: 'bookings.read' as const } };
  const manage = { access: { permission: 'bookings.manage' as const } };

  r.get(
    '/api/v1/bookings',
    {
      config: read,
      schema: {
        operationId: 'listBookings',
        tags,
        summary: 'List bookings (consultant, status, time, client), paginated, by start',
        description:
          'Soft-deleted bookings are never listed. `status` takes one or more values as repeated parameters ' +
          '(`?status=confirmed&status=completed`). `from`/`to` select bookings whose start lies in ' +
          '[from, to). `client_email` matches part of the address, case-insensitively; `q` matches part of ' +
          'the reference or of the client’s full name ("Ada Love"). Sorted by start, ascending unless ' +
          '`sort=-datetime`.',
        querystring: StaffListQuerySchema,
        response: { 200: StaffBookingPageSchema, ...errorResponses(400, 401, 403) },
      },
    },
    (request) => staff.list(request.query),
  );

  r.get(
    '/api/v1/bookings/week',
    {
      config: read,
      schema: {
        operationId: 'getBookingWeek',
        tags,
        summary: 'A week of bookings, day by day in a time zone',
        description:
          'Seven local days of `tz` (default: the setting `timezone`) from `start` (default: the Monday of ' +
          'the current week in `tz`). Days run from local midnight to local midnight, so a day with a ' +
          'daylight-saving change has 23 or 25 hours; each booking sits on the local day of its start. ' +
          'Cancelled bookings only with `include_cancelled=true`; soft-deleted ones never. Unknown zone: 400 ' +
          'availability.invalid_timezone.',
        querystring: WeekQuerySchema,
        response: { 200: WeekSchema, ...errorResponses(400, 401, 403) },
      },
    },
    (request) => staff.week(request.query),
  );

  r.get(
    '/api/v1/bookings/:id',
    {
      config: read,
      schema: {
        operationId: 'getBooking',
        tags,
        summary: 'One booking, everything staff see',
        params: BookingIdParams,
        response: { 200: StaffBookingSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    (request) => staff.get(request.params.id),
  );

  r.patch(
    '/api/v1/bookings/:id',
    {
      config: manage,
      schema: {
        operationId: 'updateBooking',
        tags,
        summary: 'Change the staff notes of a booking (send the version you read)',
        description:
          'Only `consultant_notes` and `preparation_notes` (null clears one). Time, status and client ' +
          'data change through cancel, reschedule, complete and no-show.',
        params: BookingIdParams,
        body: NotesPatchSchema,
        response: { 200: StaffBookingSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    (request) => staff.updateNotes(request.params.id, request.body, request.actor),
  );

  r.post(
    '/api/v1/bookings/:id/cancel',
    {
      config: manage,
      schema: {
        operationId: 'cancelBooking',
        tags,
        summary: 'Cancel a confirmed booking (staff: also after the client’s cut-off)',
        description:
          'Possible until the meeting ends (409 bookings.already_over), for confirmed bookings only (409 ' +
          'bookings.not_confirmed). The client is told; the reminder and the calendar event are dropped. ' +
          'cancelled_by becomes "staff".',
        params: BookingIdParams,
        body: StaffCancelSchema,
        response: { 200: StaffBookingSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    (request) => staff.cancel(request.params.id, request.body, request.actor),
  );

  r.get(
    '/api/v1/bookings/:id/slots',
    {
      config: manage,
      schema: {
        operationId: 'listBookingSlots',
        tags,
        summary: 'The times a booking can be moved to (its consultant, its duration, its own time free)',
        description:
          'Like the public slots API for the booking’s consultant and duration, except that the booking ' +
          'itself does not block a time (moving it by half an hour is offered). Minimum notice, horizon, ' +
          'buffer, the per-day limit and the calendar apply as for the reschedule, which re-checks the same ' +
          'way. `from` and `to` are local dates in `tz`.',
        params: BookingIdParams,
        querystring: StaffSlotsQuerySchema,
        response: { 200: SlotsAnswerSchema, ...errorResponses(400, 401, 403, 404, 409, 503) },
      },
    },
    async (request, reply) => {
      void reply.header('cache-control', 'no-store');
      return staff.slots(request.params.id, request.query);
    },
  );

  r.post(
    '/api/v1/bookings/:id/reschedule',
    {
      config: manage,
      schema: {
        operationId: 'rescheduleBooking',
        tags,
        summary: 'Move a confirmed booking to another offered start (staff: no cut-off)',
        description:
          '`start` must be a slot the slots API offers for the booking’s consultant and duration (the ' +
          'booking’s own time does not block it; minimum notice and horizon still apply): else 409 ' +
          'bookings.slot_unavailable or bookings.slot_taken. The same time: 409 bookings.same_time. The ' +
          'client gets the new invite; the reminder and the calendar event move.',
        params: BookingIdParams,
        body: StaffRescheduleSchema,
        response: { 200: StaffBookingSchema, ...errorResponses(400, 401, 403, 404, 409, 503) },
      },
    },
    (request) => staff.reschedule(request.params.id, request.body, request.actor),
  );

  for (const [path, outcome, operationId, summary] of [
    [
      'complete',
      'completed',
      'completeBooking',
      'Record that the meeting took place (the client is asked for feedback)',
    ],
    ['no-show', 'no_show', 'markBookingNoShow', 'Record that the client did not come'],
  ] as const) {
    r.post(
      `/api/v1/bookings/:id/${path}`,
      {
        config: manage,
        schema: {
          operationId,
          tags,
          summary,
          description:
            'Once the meeting has ended (before: 409 bookings.not_ended). A confirmed booking, or one whose ' +
            'outcome is to be corrected before the client rated it (409 bookings.feedback_given); a ' +
            'cancelled one answers 409 bookings.not_confirmed. The consultant’s total_bookings follows.',
          params: BookingIdParams,
          body: OutcomeBodySchema,
          response: { 200: StaffBookingSchema, ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      (request) => staff.setOutcome(request.params.id, outcome, request.body.version, request.actor),
    );
  }
}
