import Type, { type Static } from 'typebox';
import { pageOf, pageQuery } from '../../platform/http/pagination.ts';
import { SlotsQuerySchema } from '../availability/index.ts';
import {
  IdParams,
  NullableString,
  NullableTimestamp,
  Timestamp,
  Uuid,
  Version,
} from '../../platform/http/schemas.ts';

export const MEETING_TYPES = ['video', 'phone', 'in_person'] as const;
export type MeetingType = (typeof MEETING_TYPES)[number];

export const BOOKING_STATUSES = ['confirmed', 'cancelled', 'completed', 'no_show'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

const Duration = Type.Union([Type.Literal(30), Type.Literal(60), Type.Literal(90), Type.Literal(120)], {
  description: 'Minutes',
});
const NullableInteger = Type.Union([Type.Integer(), Type.Null()]);
const CancelledBy = Type.Union([Type.Literal('client'), Type.Literal('staff'), Type.Null()]);

// ----- booking (public) ----------------------------------------------------------------------------------------

export const BookingHeadersSchema = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
});

export const BookingRequestSchema = Type.Object(
  {
    consultant_id: Type.String({ format: 'uuid' }),
    start: Type.String({
      format: 'date-time',
      description: 'The slot start in UTC, as `start_utc` of the slots API offers it',
    }),
    duration: Duration,
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
export type BookingRequest = Static<typeof BookingRequestSchema>;

export const BookingAnswerSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  reference: Type.String({ pattern: '^VLT-[0-9]{8}-[0-9A-Z]{4}$' }),
  consultant_id: Type.String({ format: 'uuid' }),
  start: Timestamp,
  end: Timestamp,
  duration: Type.Integer(),
  timezone: Type.String(),
  meeting_type: Type.String(),
  meeting_url: NullableString,
  language: Type.String(),
  status: Type.String(),
  manage_url: Type.String({ description: 'Where the client views, moves or cancels the booking' }),
});
export type BookingAnswer = Static<typeof BookingAnswerSchema>;

// ----- the client's links --------------------------------------------------------------------------------------

const Local = Type.String({
  description:
    'ISO 8601 wall time in the booking’s `timezone` with its offset, e.g. 2026-12-01T09:00:00+01:00',
});
const Token = Type.String({
  minLength: 1,
  maxLength: 200,
  description: 'The `token` of the link the client was mailed',
});

export const TokenQuerySchema = Type.Object({ token: Token });

const ConsultantName = Type.Object({
  id: Type.String({ format: 'uuid' }),
  first_name: Type.String(),
  last_name: Type.String(),
  title: NullableString,
});

export const ManageViewSchema = Type.Object({
  reference: Type.String(),
  status: Type.String({ description: 'confirmed, cancelled, completed or no_show' }),
  consultant: ConsultantName,
  start: Timestamp,
  end: Timestamp,
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
  change_deadline: Timestamp,
  cancelled_at: NullableTimestamp,
  cancelled_by: CancelledBy,
});
export type ManageView = Static<typeof ManageViewSchema>;

export const ManageCancelSchema = Type.Object(
  { token: Token, reason: Type.Optional(Type.String({ maxLength: 2000 })) },
  { additionalProperties: false },
);

export const ManageRescheduleSchema = Type.Object(
  {
    token: Token,
    start: Type.String({
      format: 'date-time',
      description: 'The new start in UTC, as `start_utc` of the slots API offers it',
    }),
  },
  { additionalProperties: false },
);

export const FeedbackViewSchema = Type.Object({
  reference: Type.String(),
  consultant: ConsultantName,
  start: Timestamp,
  start_local: Local,
  timezone: Type.String(),
  status: Type.String(),
  can_rate: Type.Boolean({ description: 'The meeting took place (completed) and has no rating yet' }),
  rating: Type.Union([Type.Integer({ minimum: 1, maximum: 5 }), Type.Null()]),
});
export type FeedbackView = Static<typeof FeedbackViewSchema>;

export const FeedbackBodySchema = Type.Object(
  {
    token: Token,
    rating: Type.Integer({ minimum: 1, maximum: 5 }),
    text: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type FeedbackBody = Static<typeof FeedbackBodySchema>;

export const FeedbackAnswerSchema = Type.Object({
  reference: Type.String(),
  rating: Type.Integer({ minimum: 1, maximum: 5 }),
  text: NullableString,
});
export type FeedbackAnswer = Static<typeof FeedbackAnswerSchema>;

// ----- staff ---------------------------------------------------------------------------------------------------

/** Everything staff see of a booking. */
export const StaffBookingSchema = Type.Object({
  id: Uuid,
  reference: Type.String(),
  consultant_id: Uuid,
  consultant_name: Type.String(),
  start: Timestamp,
  end: Timestamp,
  duration: Type.Integer({ description: 'Minutes' }),
  timezone: Type.String({ description: "The client's IANA zone" }),
  meeting_type: Type.String(),
  meeting_url: NullableString,
  language: Type.String(),
  status: Type.String({ description: 'confirmed, cancelled, completed or no_show' }),
  booking_source: Type.String(),
  client_first_name: Type.String(),
  client_last_name: Type.String(),
  client_email: Type.String(),
  client_phone: NullableString,
  client_company: NullableString,
  client_website: NullableString,
  subject: NullableString,
  message: NullableString,
  preparation_notes: NullableString,
  consultant_notes: NullableString,
  sequence: Type.Integer({ description: 'The iCalendar SEQUENCE of the invite' }),
  version: Type.Integer(),
  cancelled_at: NullableTimestamp,
  cancelled_by: CancelledBy,
  cancellation_reason: NullableString,
  client_rating: NullableInteger,
  client_feedback: NullableString,
  feedback_at: NullableTimestamp,
  feedback_requested_at: NullableTimestamp,
  confirmation_sent_at: NullableTimestamp,
  reminder_sent_at: NullableTimestamp,
  google_calendar_event_id: NullableString,
  calendar_synced_sequence: NullableInteger,
  client_odoo_partner_id: NullableInteger,
  privacy_consent_at: NullableTimestamp,
  created_at: Timestamp,
  updated_at: Timestamp,
  manage_url: Type.String({ description: "The client's manage link (to pass on, e.g. on the phone)" }),
});
export type StaffBooking = Static<typeof StaffBookingSchema>;
export const StaffBookingPageSchema = pageOf(StaffBookingSchema);

/** One booking in the week view. */
export const WeekBookingSchema = Type.Object({
  id: Uuid,
  reference: Type.String(),
  consultant_id: Uuid,
  consultant_name: Type.String(),
  start_utc: Timestamp,
  end_utc: Timestamp,
  start_local: Type.String({ description: 'ISO 8601 in `tz`, with its offset' }),
  end_local: Type.String({ description: 'ISO 8601 in `tz`, with its offset' }),
  duration: Type.Integer(),
  status: Type.String(),
  meeting_type: Type.String(),
  client_name: Type.String(),
  client_company: NullableString,
});
export type WeekBooking = Static<typeof WeekBookingSchema>;

export const WeekSchema = Type.Object({
  tz: Type.String(),
  start: Type.String({ format: 'date', description: 'The first local day' }),
  days: Type.Array(
    Type.Object({
      date: Type.String({ format: 'date' }),
      start_utc: Type.String({ format: 'date-time', description: 'Local midnight of the day' }),
      end_utc: Type.String({
        format: 'date-time',
        description: 'Local midnight of the next day (a day across a DST change lasts 23 or 25 hours)',
      }),
      bookings: Type.Array(WeekBookingSchema),
    }),
    { minItems: 7, maxItems: 7 },
  ),
});
export type Week = Static<typeof WeekSchema>;

const Status = Type.Union(BOOKING_STATUSES.map((s) => Type.Literal(s)));

export const StaffListQuerySchema = Type.Object({
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
});
export type StaffListQuery = Static<typeof StaffListQuerySchema>;

export const WeekQuerySchema = Type.Object({
  start: Type.Optional(Type.String({ format: 'date', description: 'The first day, YYYY-MM-DD' })),
  tz: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'IANA zone' })),
  consultant_id: Type.Optional(Type.String({ format: 'uuid' })),
  include_cancelled: Type.Optional(Type.Boolean({ default: false })),
});
export type WeekQuery = Static<typeof WeekQuerySchema>;

export const BookingIdParams = IdParams;

const Notes = Type.Optional(Type.Union([Type.String({ maxLength: 10_000 }), Type.Null()]));

export const NotesPatchSchema = Type.Object(
  { version: Version, consultant_notes: Notes, preparation_notes: Notes },
  { additionalProperties: false },
);
export type NotesPatch = Static<typeof NotesPatchSchema>;

export const StaffCancelSchema = Type.Object(
  {
    version: Type.Optional(Version),
    reason: Type.Optional(Type.String({ maxLength: 2000, description: 'Kept with the booking' })),
  },
  { additionalProperties: false },
);
export type StaffCancel = Static<typeof StaffCancelSchema>;

/** The slots a booking may move to: the public slots query without the duration (the booking's own). */
export const StaffSlotsQuerySchema = Type.Omit(SlotsQuerySchema, ['duration']);
export type StaffSlotsQuery = Static<typeof StaffSlotsQuerySchema>;

export const StaffRescheduleSchema = Type.Object(
  {
    version: Version,
    start: Type.String({ format: 'date-time', description: 'The new start (UTC)' }),
  },
  { additionalProperties: false },
);
export type StaffReschedule = Static<typeof StaffRescheduleSchema>;

export const OutcomeBodySchema = Type.Object({ version: Version }, { additionalProperties: false });
