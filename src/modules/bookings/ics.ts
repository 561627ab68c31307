/**
 * iCalendar (RFC 5545) invites for bookings: one VEVENT per booking whose UID never changes and whose SEQUENCE
 * grows with every change, so calendar programs replace the earlier invite (REQUEST) or remove it (CANCEL).
 */

export const PRODID = '-//voltAIc Systems//Magnetiq v2//EN';

/** RFC 5545 3.1: a content line is at most 75 octets long, excluding the line break. */
const MAX_OCTETS = 75;

export interface CalendarPerson {
  name: string;
  email: string;
}

export interface Invite {
  method: 'REQUEST' | 'CANCEL';
  uid: string;
  sequence: number;
  /** When this version of the invite was made. */
  stamp: Date;
  start: Date;
  end: Date;
  summary: string;
  description: string;
  location: string | null;
  organizer: CalendarPerson;
  attendees: (CalendarPerson & { accepted?: boolean })[];
}

/** TEXT values (RFC 5545 3.3.11): backslash, semicolon and comma escaped, line breaks as `\n`. */
export function escapeText(value: string): string {
  return value
    .replaceAll('\\', '\\\\')
    .replaceAll(';', '\\;')
    .replaceAll(',', '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/**
 * Folds a content line into chunks of at most 75 octets, each continuation starting with one space (which
 * counts towards its 75). Splits only between characters, so a multi-byte UTF-8 character (an umlaut, an
 * emoji) is never cut in two.
 */
export function foldLine(line: string): string {
  const chunks: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char, 'utf8');
    const limit = chunks.length === 0 ? MAX_OCTETS : MAX_OCTETS - 1;
    if (octets + size > limit) {
      chunks.push(current);
      current = '';
      octets = 0;
    }
    current += char;
    octets += size;
  }
  chunks.push(current);
  return chunks.join('\r\n ');
}

/** A UTC DATE-TIME (RFC 5545 3.3.5, form #2): 20261201T080000Z. */
export function utcDateTime(date: Date): string {
  return date
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replaceAll('-', '')
    .replaceAll(':', '');
}

/** A parameter value: quoted (it may hold `:` `;` `,`), and DQUOTE and control characters are not allowed in it. */
function paramValue(value: string): string {
  // eslint-disable-next-line no-control-regex
  return `"${value.replace(/["\u0000-\u001f\u007f]/g, '')}"`;
}

function person(property: string, who: CalendarPerson, params: string[] = []): string {
  return [`${property};CN=${paramValue(who.name)}`, ...params].join(';') + `:mailto:${who.email}`;
}

/** The whole VCALENDAR, CRLF line endings, every line folded. */
export function buildInvite(invite: Invite): string {
  const cancelled = invite.method === 'CANCEL';
  const lines = [
    'BEGIN:VCALENDAR',
    `PRODID:${PRODID}`,
    'VERSION:2.0',
    'CALSCALE:GREGORIAN',
    `METHOD:${invite.method}`,
    'BEGIN:VEVENT',
    `UID:${invite.uid}`,
    `SEQUENCE:${invite.sequence}`,
    `DTSTAMP:${utcDateTime(invite.stamp)}`,
    `DTSTART:${utcDateTime(invite.start)}`,
    `DTEND:${utcDateTime(invite.end)}`,
    `SUMMARY:${escapeText(invite.summary)}`,
    `DESCRIPTION:${escapeText(invite.description)}`,
    ...(invite.location ? [`LOCATION:${escapeText(invite.location)}`] : []),
    person('ORGANIZER', invite.organizer),
    ...invite.attendees.map((a) =>
      person('ATTENDEE', a, [
        'CUTYPE=INDIVIDUAL',
        'ROLE=REQ-PARTICIPANT',
        `PARTSTAT=${a.accepted ? 'ACCEPTED' : 'NEEDS-ACTION'}`,
        'RSVP=FALSE',
      ]),
    ),
    `STATUS:${cancelled ? 'CANCELLED' : 'CONFIRMED'}`,
    'TRANSP:OPAQUE',
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map(foldLine).join('\r\n') + '\r\n';
}
