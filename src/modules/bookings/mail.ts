import { format, isLocale, type Locale } from '../../platform/i18n/index.ts';
import type { MailAttachment, MailMessage } from '../../platform/mail/mailer.ts';
import { renderLayout, type Detail, type Layout } from '../../platform/mail/templates.ts';
import { buildInvite, type Invite } from './ics.ts';
import type { ConsultantCard } from '../consultants/index.ts';
import { feedbackUrl, manageUrl } from './links.ts';
import type { BookingRow } from './repository/index.ts';

/** The mails a client gets about a booking; each is a `template` name in mail_outbox. */
export type ClientMail =
  | 'booking_confirmation'
  | 'booking_reminder'
  | 'booking_rescheduled'
  | 'booking_cancelled'
  | 'booking_feedback';

/** What the consultant is told about. */
export type ConsultantChange = 'created' | 'rescheduled' | 'cancelled';

export type ConsultantContact = Pick<
  ConsultantCard,
  'first_name' | 'last_name' | 'title' | 'email' | 'timezone' | 'languages' | 'google_calendar_id'
>;

export interface BookingMailContext {
  booking: BookingRow;
  /** The booking before a reschedule: its old time is named in the mails. */
  previous?: BookingRow | undefined;
  consultant: ConsultantContact;
  /** mail.from and mail.from_name (the invite's organizer) and contact_email (where to ask). */
  sender: { address: string; name: string };
  contactEmail: string;
  publicUrl: string;
  appSecret: string;
  /** The invite's DTSTAMP. */
  now: Date;
  /**
   * The consultant's Google Calendar is connected: the synced event is their calendar entry, so their notices
   * carry no invite of their own (a second entry, with another UID, that the event's changes would not touch).
   */
  consultantCalendar?: boolean | undefined;
}

interface ClientText {
  subject: string;
  /** After the greeting, before the details. */
  intro: string;
  /** After the details (and the link). */
  outro?: string;
  /** The outro when the mail carries no invite, because the client never got one to replace. */
  outroWithoutInvite?: string;
}

const CLIENT: Record<ClientMail, Record<Locale, ClientText>> = {
  booking_confirmation: {
    en: {
      subject: 'Your appointment with {consultant} is confirmed – {reference}',
      intro: 'thank you for your booking. Your appointment is confirmed:',
      outro: 'The attached invitation adds the appointment to your calendar.',
    },
    de: {
      subject: 'Ihr Termin mit {consultant} ist bestätigt – {reference}',
      intro: 'vielen Dank für Ihre Buchung. Ihr Termin ist bestätigt:',
      outro: 'Mit der angehängten Einladung tragen Sie den Termin in Ihren Kalender ein.',
    },
  },
  booking_reminder: {
    en: {
      subject: 'Reminder: your appointment with {consultant} on {date} – {reference}',
      intro: 'a reminder of your appointment:',
    },
    de: {
      subject: 'Erinnerung: Ihr Termin mit {consultant} am {date} – {reference}',
      intro: 'wir erinnern Sie an Ihren Termin:',
    },
  },
  booking_rescheduled: {
    en: {
      subject: 'Your appointment with {consultant} was moved – {reference}',
      intro: 'your appointment was moved from {previous} to a new time:',
      outro: 'The attached invitation updates the appointment in your calendar.',
    },
    de: {
      subject: 'Ihr Termin mit {consultant} wurde verschoben – {reference}',
      intro: 'Ihr Termin wurde vom {previous} auf einen neuen Zeitpunkt verschoben:',
      outro: 'Mit der angehängten Einladung wird der Termin in Ihrem Kalender aktualisiert.',
    },
  },
  booking_cancelled: {
    en: {
      subject: 'Your appointment with {consultant} was cancelled – {reference}',
      intro: '{cancelled} This appointment no longer takes place:',
      outro:
        'The attached file removes it from your calendar. You are welcome to book a new appointment at {site}.',
      outroWithoutInvite: 'You are welcome to book a new appointment at {site}.',
    },
    de: {
      subject: 'Ihr Termin mit {consultant} wurde abgesagt – {reference}',
      intro: '{cancelled} Dieser Termin findet nicht statt:',
      outro:
        'Mit der angehängten Datei wird er aus Ihrem Kalender entfernt. Einen neuen Termin können Sie jederzeit unter {site} buchen.',
      outroWithoutInvite: 'Einen neuen Termin können Sie jederzeit unter {site} buchen.',
    },
  },
  booking_feedback: {
    en: {
      subject: 'How was your meeting with {consultant}? – {reference}',
      intro:
        'thank you for your meeting with {consultant}. We would be glad to hear how it went; it takes a minute:',
    },
    de: {
      subject: 'Wie war Ihr Gespräch mit {consultant}? – {reference}',
      intro:
        'vielen Dank für Ihr Gespräch mit {consultant}. Wir würden gern erfahren, wie es Ihnen gefallen hat; es dauert nur eine Minute:',
    },
  },
};

const CONSULTANT: Record<ConsultantChange, Record<Locale, ClientText>> = {
  created: {
    en: {
      subject: 'New booking: {client} on {date} – {reference}',
      intro: '{client} booked an appointment with you:',
    },
    de: {
      subject: 'Neue Buchung: {client} am {date} – {reference}',
      intro: '{client} hat einen Termin bei Ihnen gebucht:',
    },
  },
  rescheduled: {
    en: {
      subject: 'Booking moved: {client} now on {date} – {reference}',
      intro: 'The appointment with {client} was moved from {previous} to:',
    },
    de: {
      subject: 'Buchung verschoben: {client} jetzt am {date} – {reference}',
      intro: 'Der Termin mit {client} wurde vom {previous} verschoben auf:',
    },
  },
  cancelled: {
    en: {
      subject: 'Booking cancelled: {client} on {date} – {reference}',
      intro: '{cancelled} This appointment no longer takes place:',
    },
    de: {
      subject: 'Buchung abgesagt: {client} am {date} – {reference}',
      intro: '{cancelled} Dieser Termin findet nicht statt:',
    },
  },
};

const WORDS = {
  en: {
    hello: 'Hello {name},',
    helloConsultant: 'Hello {name},',
    reference: 'Reference',
    when: 'When',
    consultant: 'Consultant',
    meeting: 'Meeting',
    link: 'Meeting link',
    linkPending: 'follows with your confirmation',
    linkInCalendar: 'follows in the event in your Google Calendar',
    phone: 'Phone',
    place: 'Place',
    client: 'Client',
    email: 'E-mail',
    company: 'Company',
    message: 'Message',
    reason: 'Reason',
    manage: 'View, move or cancel the appointment',
    feedback: 'Rate the meeting',
    questions: 'Questions? Write to {contact}.',
    regards: 'Kind regards\n{company}',
    byClient: 'As you asked, we cancelled your appointment.',
    byStaff: 'We are sorry: we had to cancel your appointment.',
    byClientNotice: 'The client cancelled the appointment.',
    byStaffNotice: 'The appointment was cancelled by staff.',
    summary: 'Appointment with {consultant} ({company})',
    summaryConsultant: 'Appointment with {client}',
    types: { video: 'Video meeting', phone: 'Phone call', in_person: 'In person' } as Record<string, string>,
    callYou: '{consultant} will call you at {phone}',
    callClient: 'Call {client} at {phone}',
    atOffice: '{company} (details from {contact})',
    time: '{date}, {from}–{to} ({zone}, {tz})',
  },
  de: {
    hello: 'Guten Tag {name},',
    helloConsultant: 'Hallo {name},',
    reference: 'Buchungsnummer',
    when: 'Wann',
    consultant: 'Berater/in',
    meeting: 'Gesprächsart',
    link: 'Link zum Gespräch',
    linkPending: 'folgt mit Ihrer Bestätigung',
    linkInCalendar: 'folgt im Termin in Ihrem Google Kalender',
    phone: 'Telefon',
    place: 'Ort',
    client: 'Kunde/Kundin',
    email: 'E-Mail',
    company: 'Firma',
    message: 'Nachricht',
    reason: 'Grund',
    manage: 'Termin ansehen, verschieben oder absagen',
    feedback: 'Gespräch bewerten',
    questions: 'Fragen? Schreiben Sie an {contact}.',
    regards: 'Freundliche Grüße\n{company}',
    byClient: 'Wie gewünscht haben wir Ihren Termin abgesagt.',
    byStaff: 'Leider mussten wir Ihren Termin absagen.',
    byClientNotice: 'Der Kunde bzw. die Kundin hat den Termin abgesagt.',
    byStaffNotice: 'Der Termin wurde von unserem Team abgesagt.',
    summary: 'Termin mit {consultant} ({company})',
    summaryConsultant: 'Termin mit {client}',
    types: { video: 'Videogespräch', phone: 'Telefonat', in_person: 'Vor Ort' } as Record<string, string>,
    callYou: '{consultant} ruft Sie unter {phone} an',
    callClient: '{client} unter {phone} anrufen',
    atOffice: '{company} (Einzelheiten über {contact})',
    time: '{date}, {from}–{to} Uhr ({zone}, {tz})',
  },
} satisfies Record<Locale, unknown>;

type Words = (typeof WORDS)['en'];

/** The language of a booking's client mails (a stored value outside en/de falls back to English). */
export function clientLocale(booking: BookingRow): Locale {
  return isLocale(booking.language) ? booking.language : 'en';
}

/** The consultant's first language when we write it, else English. */
export function consultantLocale(consultant: Pick<ConsultantContact, 'languages'>): Locale {
  const first = consultant.languages[0];
  return isLocale(first) ? first : 'en';
}

/**
 * A meeting's date and time in a zone, with the zone's name as people say it and its IANA name, e.g.
 * "Dienstag, 1. Dezember 2026, 09:00–10:00 Uhr (Mitteleuropäische Normalzeit, Europe/Berlin)".
 */
export function formatWhen(start: Date, end: Date, timeZone: string, locale: Locale): string {
  const tag = locale === 'de' ? 'de-DE' : 'en-GB';
  const clock = (d: Date) =>
    new Intl.DateTimeFormat(tag, { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
      d,
    );
  const zone =
    new Intl.DateTimeFormat(tag, { timeZone, timeZoneName: 'long' })
      .formatToParts(start)
      .find((p) => p.type === 'timeZoneName')?.value ?? timeZone;
  return format(WORDS[locale].time, {
    date: formatDate(start, timeZone, locale),
    from: clock(start),
    to: clock(end),
    zone,
    tz: timeZone,
  });
}

function formatDate(date: Date, timeZone: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === 'de' ? 'de-DE' : 'en-GB', { timeZone, dateStyle: 'full' }).format(
    date,
  );
}

function consultantName(c: ConsultantContact): string {
  return [c.title, c.first_name, c.last_name].filter(Boolean).join(' ');
}

function clientName(b: BookingRow): string {
  return `${b.client_first_name} ${b.client_last_name}`;
}

function companyName(ctx: BookingMailContext): string {
  return ctx.sender.name;
}

/** The place an invite names: the video link, the number to call, or the office. */
function location(ctx: BookingMailContext, words: Words, forConsultant: boolean): string | null {
  const b = ctx.booking;
  if (b.meeting_type === 'video') return b.meeting_url;
  if (b.meeting_type === 'phone') {
    if (!b.client_phone) return words.types['phone'] ?? null;
    return format(forConsultant ? words.callClient : words.callYou, {
      consultant: consultantName(ctx.consultant),
      client: clientName(b),
      phone: b.client_phone,
    });
  }
  return format(words.atOffice, { company: companyName(ctx), contact: ctx.contactEmail });
}

function meetingDetails(ctx: BookingMailContext, words: Words, forConsultant: boolean): Detail[] {
  const b = ctx.booking;
  const rows: Detail[] = [{ label: words.meeting, value: words.types[b.meeting_type] ?? b.meeting_type }];
  if (b.meeting_type === 'video') {
    if (b.meeting_url) rows.push({ label: words.link, value: b.meeting_url, link: true });
    // The Meet link is still being made; a cancelled meeting needs none.
    else if (b.status !== 'cancelled') {
      rows.push({ label: words.link, value: forConsultant ? words.linkInCalendar : words.linkPending });
    }
  } else if (b.meeting_type === 'phone') {
    if (b.client_phone) rows.push({ label: words.phone, value: location(ctx, words, forConsultant) ?? '' });
  } else {
    rows.push({ label: words.place, value: location(ctx, words, forConsultant) ?? '' });
  }
  return rows;
}

function cancelledBy(b: BookingRow, words: Words, forConsultant: boolean): string {
  if (forConsultant) return b.cancelled_by === 'client' ? words.byClientNotice : words.byStaffNotice;
  return b.cancelled_by === 'client' ? words.byClient : words.byStaff;
}

/** The invite for one audience, in its language: REQUEST while the booking stands, CANCEL once cancelled. */
export function bookingInvite(
  ctx: BookingMailContext,
  locale: Locale,
  forConsultant: boolean,
): MailAttachment {
  const b = ctx.booking;
  const words = WORDS[locale];
  const cancelled = b.status === 'cancelled';
  const consultant = consultantName(ctx.consultant);
  const description = [
    ...(b.meeting_type === 'video' && b.meeting_url ? [`${words.link}: ${b.meeting_url}`] : []),
    ...(!forConsultant && !cancelled
      ? [`${words.manage}: ${manageUrl(ctx.publicUrl, ctx.appSecret, b.id, b.language)}`]
      : []),
    `${words.reference}: ${b.reference}`,
  ].join('\n');
  const invite: Invite = {
    method: cancelled ? 'CANCEL' : 'REQUEST',
    uid: `${b.id}@${new URL(ctx.publicUrl).hostname}`,
    sequence: b.sequence,
    stamp: ctx.now,
    start: b.datetime,
    end: b.ends_at,
    summary: forConsultant
      ? format(words.summaryConsultant, { client: clientName(b) })
      : format(words.summary, { consultant, company: companyName(ctx) }),
    description,
    location: location(ctx, words, forConsultant),
    organizer: { name: ctx.sender.name, email: ctx.sender.address },
    attendees: [
      { name: clientName(b), email: b.client_email },
      { name: consultant, email: ctx.consultant.email, accepted: true },
    ],
  };
  return {
    filename: 'invite.ics',
    contentType: `text/calendar; method=${invite.method}; charset=UTF-8`,
    content: buildInvite(invite),
  };
}

/** A mail to the client in the booking's language. */
export function clientMail(kind: ClientMail, ctx: BookingMailContext): MailMessage {
  const b = ctx.booking;
  const locale = clientLocale(b);
  const words = WORDS[locale];
  const text = CLIENT[kind][locale];
  const consultant = consultantName(ctx.consultant);
  const params = {
    consultant,
    reference: b.reference,
    date: formatDate(b.datetime, b.timezone, locale),
    previous: ctx.previous ? formatWhen(ctx.previous.datetime, ctx.previous.ends_at, b.timezone, locale) : '',
    cancelled: cancelledBy(b, words, false),
    site: ctx.publicUrl,
  };
  const details: Detail[] = [
    { label: words.reference, value: b.reference },
    { label: words.when, value: formatWhen(b.datetime, b.ends_at, b.timezone, locale) },
    { label: words.consultant, value: consultant },
    ...meetingDetails(ctx, words, false),
  ];
  if (kind === 'booking_cancelled' && b.cancelled_by === 'staff' && b.cancellation_reason) {
    details.push({ label: words.reason, value: b.cancellation_reason });
  }
  let action: Layout['action'];
  if (kind === 'booking_feedback') {
    action = { label: words.feedback, url: feedbackUrl(ctx.publicUrl, ctx.appSecret, b.id, b.language) };
  } else if (b.status === 'confirmed') {
    action = { label: words.manage, url: manageUrl(ctx.publicUrl, ctx.appSecret, b.id, b.language) };
  }
  // The reminder changes nothing in the calendar and the feedback request comes after it: no invite. Nor does a
  // cancellation of a booking whose confirmation (and invite) never went out: there is nothing to withdraw.
  const withInvite =
    kind !== 'booking_feedback' &&
    kind !== 'booking_reminder' &&
    !(kind === 'booking_cancelled' && b.confirmation_sent_at === null);
  const outro = withInvite ? text.outro : (text.outroWithoutInvite ?? text.outro);
  const rendered = renderLayout(
    {
      subject: format(text.subject, params),
      greeting: format(words.hello, { name: clientName(b) }),
      intro: format(text.intro, params),
      details,
      ...(action ? { action } : {}),
      outro: [
        ...(outro ? [format(outro, params)] : []),
        format(words.questions, { contact: ctx.contactEmail }),
      ],
      signature: format(words.regards, { company: companyName(ctx) }),
    },
    locale,
  );
  return {
    to: b.client_email,
    ...rendered,
    language: locale,
    template: kind,
    ...(withInvite ? { attachments: [bookingInvite(ctx, locale, false)] } : {}),
  };
}

/**
 * The consultant's notice of a new, moved or cancelled booking: their language, their time zone, and an invite
 * unless their Google Calendar shows the booking already.
 */
export function consultantNotice(change: ConsultantChange, ctx: BookingMailContext): MailMessage {
  const b = ctx.booking;
  const c = ctx.consultant;
  const locale = consultantLocale(c);
  const words = WORDS[locale];
  const text = CONSULTANT[change][locale];
  const params = {
    client: clientName(b),
    reference: b.reference,
    date: formatDate(b.datetime, c.timezone, locale),
    previous: ctx.previous ? formatWhen(ctx.previous.datetime, ctx.previous.ends_at, c.timezone, locale) : '',
    cancelled: cancelledBy(b, words, true),
  };
  const details: Detail[] = [
    { label: words.reference, value: b.reference },
    { label: words.when, value: formatWhen(b.datetime, b.ends_at, c.timezone, locale) },
    { label: words.client, value: clientName(b) },
    { label: words.email, value: b.client_email },
    ...(b.client_phone && b.meeting_type !== 'phone' ? [{ label: words.phone, value: b.client_phone }] : []),
    ...(b.client_company ? [{ label: words.company, value: b.client_company }] : []),
    ...meetingDetails(ctx, words, true),
    ...(b.message ? [{ label: words.message, value: b.message }] : []),
    ...(change === 'cancelled' && b.cancellation_reason
      ? [{ label: words.reason, value: b.cancellation_reason }]
      : []),
  ];
  const rendered = renderLayout(
    {
      subject: format(text.subject, params),
      greeting: format(words.helloConsultant, { name: c.first_name }),
      intro: format(text.intro, params),
      details,
      outro: [],
      signature: companyName(ctx),
    },
    locale,
  );
  return {
    to: c.email,
    ...rendered,
    language: locale,
    template: 'booking_consultant_notice',
    ...(ctx.consultantCalendar ? {} : { attachments: [bookingInvite(ctx, locale, true)] }),
  };
}
