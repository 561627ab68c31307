import { randomBytes } from 'node:crypto';
import { isLocale } from '../../platform/i18n/index.ts';
import { safeEqual, sign } from '../../platform/security/tokens.ts';

/**
 * The links a client gets: the manage link of every booking mail and the feedback link after a completed
 * meeting, each `<booking id>.<HMAC>` with its own purpose (a manage token opens no feedback page), and the
 * video room of a meeting.
 */

const MANAGE_PURPOSE = 'booking-manage';
const FEEDBACK_PURPOSE = 'booking-feedback';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export type LinkPurpose = 'manage' | 'feedback';

const PURPOSES: Record<LinkPurpose, string> = { manage: MANAGE_PURPOSE, feedback: FEEDBACK_PURPOSE };

function token(secret: string, purpose: string, bookingId: string): string {
  return `${bookingId}.${sign(secret, `${purpose}:${bookingId}`)}`;
}

/** The token of a booking's manage link: its id and an HMAC of it, so the link cannot be guessed or altered. */
export function manageToken(secret: string, bookingId: string): string {
  return token(secret, MANAGE_PURPOSE, bookingId);
}

/** The token of the feedback link sent after a completed meeting (another purpose: not a manage token). */
export function feedbackToken(secret: string, bookingId: string): string {
  return token(secret, FEEDBACK_PURPOSE, bookingId);
}

/** The booking id a token names, or null when it is malformed or its signature does not match. */
export function verifiedBookingId(secret: string, purpose: LinkPurpose, value: string): string | null {
  const dot = value.indexOf('.');
  if (dot < 0) return null;
  const id = value.slice(0, dot);
  if (!UUID.test(id)) return null;
  return safeEqual(value.slice(dot + 1), sign(secret, `${PURPOSES[purpose]}:${id}`)) ? id : null;
}

/** The website's pages for a booking are in its language (English for any other). */
function sitePath(publicUrl: string, language: string, page: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/${isLocale(language) ? language : 'en'}/bookings/${page}`;
}

/** Where the client manages a booking: the website's page in the booking's language (see, move, cancel). */
export function manageUrl(publicUrl: string, secret: string, bookingId: string, language: string): string {
  return `${sitePath(publicUrl, language, 'manage')}?token=${manageToken(secret, bookingId)}`;
}

/** Where the client rates a completed meeting: the website's page in the booking's language. */
export function feedbackUrl(publicUrl: string, secret: string, bookingId: string, language: string): string {
  return `${sitePath(publicUrl, language, 'feedback')}?token=${feedbackToken(secret, bookingId)}`;
}

/** A generated Jitsi Meet room on the configured base URL: unguessable, nothing to set up. */
export function jitsiUrl(meetingBase: string): string {
  return `${meetingBase.replace(/\/+$/, '')}/Magnetiq-${randomBytes(12).toString('hex')}`;
}
