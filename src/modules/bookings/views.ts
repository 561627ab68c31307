import { iso } from '../../platform/http/schemas.ts';
import { formatLocal } from '../availability/index.ts';
import type { ConsultantCard } from '../consultants/index.ts';
import { manageUrl } from './links.ts';
import { clientCanChange } from './policy.ts';
import type { BookingRow } from './repository/index.ts';
import type {
  BookingAnswer,
  FeedbackAnswer,
  FeedbackView,
  ManageView,
  StaffBooking,
  WeekBooking,
} from './schemas.ts';

/** How the answers show a booking to each reader: the client who booked, the client's links, staff. */

export interface LinkSecrets {
  publicUrl: string;
  appSecret: string;
}

type ConsultantName = Pick<ConsultantCard, 'id' | 'first_name' | 'last_name' | 'title'>;

const cancelledBy = (b: BookingRow) =>
  b.cancelled_by === 'client' || b.cancelled_by === 'staff' ? b.cancelled_by : null;

const nameOf = (c: Pick<ConsultantCard, 'first_name' | 'last_name'> | undefined) =>
  c ? `${c.first_name} ${c.last_name}` : '';

/** What every view of a booking says of the meeting itself. */
function bookingFields(b: BookingRow) {
  return {
    id: b.id,
    reference: b.reference,
    consultant_id: b.consultant_id,
    start: b.datetime.toISOString(),
    end: b.ends_at.toISOString(),
    duration: b.duration,
    timezone: b.timezone,
    meeting_type: b.meeting_type,
    meeting_url: b.meeting_url,
    language: b.language,
    status: b.status,
  };
}

/** The consultant as the client's pages name them. */
function consultantOf(consultant: ConsultantName) {
  return {
    id: consultant.id,
    first_name: consultant.first_name,
    last_name: consultant.last_name,
    title: consultant.title,
  };
}

/** The answer to a booking request. */
export function bookingAnswer(b: BookingRow, links: LinkSecrets): BookingAnswer {
  return {
    ...bookingFields(b),
    manage_url: manageUrl(links.publicUrl, links.appSecret, b.id, b.language),
  };
}

/** What the client sees behind the manage link. */
export function manageView(
  b: BookingRow,
  consultant: ConsultantName,
  context: { now: Date; deadline: Date },
): ManageView {
  const confirmed = b.status === 'confirmed';
  return {
    reference: b.reference,
    status: b.status,
    consultant: consultantOf(consultant),
    start: b.datetime.toISOString(),
    end: b.ends_at.toISOString(),
    start_local: formatLocal(b.datetime.getTime(), b.timezone),
    end_local: formatLocal(b.ends_at.getTime(), b.timezone),
    duration: b.duration,
    timezone: b.timezone,
    meeting_type: b.meeting_type,
    meeting_url: confirmed ? b.meeting_url : null,
    language: b.language,
    client_first_name: b.client_first_name,
    client_last_name: b.client_last_name,
    client_email: b.client_email,
    can_change: clientCanChange(b, context.now, context.deadline),
    change_deadline: context.deadline.toISOString(),
    cancelled_at: iso(b.cancelled_at),
    cancelled_by: cancelledBy(b),
  };
}

/** What the client sees behind the feedback link. */
export function feedbackView(b: BookingRow, consultant: ConsultantName): FeedbackView {
  return {
    reference: b.reference,
    consultant: consultantOf(consultant),
    start: b.datetime.toISOString(),
    start_local: formatLocal(b.datetime.getTime(), b.timezone),
    timezone: b.timezone,
    status: b.status,
    can_rate: b.status === 'completed' && b.feedback_at === null,
    rating: b.client_rating,
  };
}

/** The answer to a rating. */
export function feedbackAnswer(b: BookingRow, given: number): FeedbackAnswer {
  return { reference: b.reference, rating: b.client_rating ?? given, text: b.client_feedback };
}

/** Everything staff see of a booking. */
export function staffView(
  b: BookingRow,
  consultant: Pick<ConsultantCard, 'first_name' | 'last_name'> | undefined,
  links: LinkSecrets,
): StaffBooking {
  return {
    ...bookingFields(b),
    consultant_name: nameOf(consultant),
    booking_source: b.booking_source,
    client_first_name: b.client_first_name,
    client_last_name: b.client_last_name,
    client_email: b.client_email,
    client_phone: b.client_phone,
    client_company: b.client_company,
    client_website: b.client_website,
    subject: b.subject,
    message: b.message,
    preparation_notes: b.preparation_notes,
    consultant_notes: b.consultant_notes,
    sequence: b.sequence,
    version: b.version,
    cancelled_at: iso(b.cancelled_at),
    cancelled_by: cancelledBy(b),
    cancellation_reason: b.cancellation_reason,
    client_rating: b.client_rating,
    client_feedback: b.client_feedback,
    feedback_at: iso(b.feedback_at),
    feedback_requested_at: iso(b.feedback_requested_at),
    confirmation_sent_at: iso(b.confirmation_sent_at),
    reminder_sent_at: iso(b.reminder_sent_at),
    google_calendar_event_id: b.google_calendar_event_id,
    calendar_synced_sequence: b.calendar_synced_sequence,
    client_odoo_partner_id: b.client_odoo_partner_id,
    privacy_consent_at: iso(b.privacy_consent_at),
    created_at: b.created_at.toISOString(),
    updated_at: b.updated_at.toISOString(),
    manage_url: manageUrl(links.publicUrl, links.appSecret, b.id, b.language),
  };
}

/** A booking in the week view, its times in `tz`. */
export function weekBooking(
  b: BookingRow,
  consultant: Pick<ConsultantCard, 'first_name' | 'last_name'> | undefined,
  tz: string,
): WeekBooking {
  return {
    id: b.id,
    reference: b.reference,
    consultant_id: b.consultant_id,
    consultant_name: nameOf(consultant),
    start_utc: b.datetime.toISOString(),
    end_utc: b.ends_at.toISOString(),
    start_local: formatLocal(b.datetime.getTime(), tz),
    end_local: formatLocal(b.ends_at.getTime(), tz),
    duration: b.duration,
    status: b.status,
    meeting_type: b.meeting_type,
    client_name: `${b.client_first_name} ${b.client_last_name}`,
    client_company: b.client_company,
  };
}
