import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { pageOf, pageQuery } from '../../platform/http/pagination.ts';
import { errorResponses } from '../../platform/http/schemas.ts';
import type { BookingModuleDeps } from './routes.ts';
import type { BookingService } from './service.ts';
import { BOOKING_STATUSES, StaffBookings, StaffBookingSchema, WeekSchema } from './staff-view.ts';

const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Version = Type.Integer({ minimum: 1, description: 'The version you read; a stale one answers 409' });
const Notes = Type.Optional(Type.Union([Type.String({ maxLength: 10_000 }), Type.Null()]));
const Status = Type.Union(BOOKING_STATUSES.map((s) => Type.Literal(s)));

/**
 * The staff side of bookings: list, week view and detail (bookings.read); notes, cancel, reschedule and the
 * meeting's outcome (bookings.manage). Lifecycle changes go through BookingService as `by: 'staff'`, so staff
 * are not bound by the client's cut-off, and the same effects (mails, reminder, calendar, CRM) follow.
 */
export function staffBookingRoutes(
  app: FastifyInstance,
  service: BookingService,
  deps: BookingModuleDeps,
): void {
  const staff = new StaffBookings(deps);
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['bookings'];
  const read = { access: { permission: 'bookings.read' as const } };
  const manage = { access: { permission: 'bookings.manage' as const } };

  r.get(
    '/api/v1/bookings',
    {
      config: read,
      schema: {
        tags,
        summary: 'List bookings (consultant, status, time, client), paginated, by start',
        description:
          'Soft-deleted bookings are never listed. `status` takes one or more values as repeated parameters ' +
          '(`?status=confirmed&status=completed`). `from`/`to` select bookings whose start lies in ' +
          '[from, to). `client_email` matches part of the address, case-insensitively; `q` matches part of ' +
          'the reference or of the client’s full name ("Ada Love"). Sorted by start, ascending unless ' +
          '`sort=-datetime`.',
        querystring: Type.Object({
          consultant_id: Type.Optional(Type.String({ format: 'uuid' })),
          status: Type.Optional(Type.Array(Status, { maxItems: 4, uniqueItems: true })),
          from: Type.Optional(Type.String({ format: 'date-time', description: 'Inclusive' })),
          to: Type.Optional(Type.String({ format: 'date-time', description: 'Exclusive' })),
          client_email: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
          q: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
          sort: Type.Optional(
            Type.Union([Type.Literal('datetime'), Type.Literal('-datetime')], { default: 'datetime' }),
          ),
          ...pageQuery({ default: 25, max: 100 }),
        }),
        response: { 200: pageOf(StaffBookingSchema), ...errorResponses(400, 401, 403) },
      },
    },
    (request) => staff.list(request.query),
  );

  r.get(
    '/api/v1/bookings/week',
    {
      config: read,
      schema: {
        tags,
        summary: 'A week of bookings, day by day in a time zone',
        description:
          'Seven local days of `tz` (default: the setting `timezone`) from `start` (default: the Monday of ' +
          'the current week in `tz`). Days run from local midnight to local midnight, so a day with a ' +
          'daylight-saving change has 23 or 25 hours; each booking sits on the local day of its start. ' +
          'Cancelled bookings only with `include_cancelled=true`; soft-deleted ones never. Unknown zone: 400 ' +
          'availability.invalid_timezone.',
        querystring: Type.Object({
          start: Type.Optional(Type.String({ format: 'date', description: 'The first day, YYYY-MM-DD' })),
          tz: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'IANA zone' })),
          consultant_id: Type.Optional(Type.String({ format: 'uuid' })),
          include_cancelled: Type.Optional(Type.Boolean({ default: false })),
        }),
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
        tags,
        summary: 'One booking, everything staff see',
        params: Id,
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
        tags,
        summary: 'Change the staff notes of a booking (send the version you read)',
        description:
          'Only `consultant_notes` and `preparation_notes` (null clears one). Time, status and client ' +
          'data change through cancel, reschedule, complete and no-show.',
        params: Id,
        body: Type.Object(
          { version: Version, consultant_notes: Notes, preparation_notes: Notes },
          { additionalProperties: false },
        ),
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
        tags,
        summary: 'Cancel a confirmed booking (staff: also after the client’s cut-off)',
        description:
          'Possible until the meeting ends (409 bookings.already_over), for confirmed bookings only (409 ' +
          'bookings.not_confirmed). The client is told; the reminder and the calendar event are dropped. ' +
          'cancelled_by becomes "staff".',
        params: Id,
        body: Type.Object(
          {
            version: Type.Optional(Version),
            reason: Type.Optional(Type.String({ maxLength: 2000, description: 'Kept with the booking' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: StaffBookingSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const { version, reason } = request.body;
      await service.cancel(request.params.id, {
        by: 'staff',
        actor: request.actor,
        version,
        reason: reason?.trim() ? reason.trim() : undefined,
      });
      return staff.get(request.params.id);
    },
  );

  r.post(
    '/api/v1/bookings/:id/reschedule',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Move a confirmed booking to another offered start (staff: no cut-off)',
        description:
          '`start` must be a slot the slots API offers for the booking’s consultant and duration (the ' +
          'booking’s own time does not block it; minimum notice and horizon still apply): else 409 ' +
          'bookings.slot_unavailable or bookings.slot_taken. The same time: 409 bookings.same_time. The ' +
          'client gets the new invite; the reminder and the calendar event move.',
        params: Id,
        body: Type.Object(
          {
            version: Version,
            start: Type.String({ format: 'date-time', description: 'The new start (UTC)' }),
          },
          { additionalProperties: false },
        ),
        response: { 200: StaffBookingSchema, ...errorResponses(400, 401, 403, 404, 409, 503) },
      },
    },
    async (request) => {
      await service.reschedule(request.params.id, {
        by: 'staff',
        actor: request.actor,
        start: request.body.start,
        version: request.body.version,
      });
      return staff.get(request.params.id);
    },
  );

  for (const [path, outcome, summary] of [
    ['complete', 'completed', 'Record that the meeting took place (the client is asked for feedback)'],
    ['no-show', 'no_show', 'Record that the client did not come'],
  ] as const) {
    r.post(
      `/api/v1/bookings/:id/${path}`,
      {
        config: manage,
        schema: {
          tags,
          summary,
          description:
            'Once the meeting has ended (before: 409 bookings.not_ended). A confirmed booking, or one whose ' +
            'outcome is to be corrected before the client rated it (409 bookings.feedback_given); a ' +
            'cancelled one answers 409 bookings.not_confirmed. The consultant’s total_bookings follows.',
          params: Id,
          body: Type.Object({ version: Version }, { additionalProperties: false }),
          response: { 200: StaffBookingSchema, ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request) => {
        await service.setOutcome(request.params.id, outcome, {
          actor: request.actor,
          version: request.body.version,
        });
        return staff.get(request.params.id);
      },
    );
  }
}
