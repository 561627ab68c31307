import { SYSTEM_ACTOR, writeTransaction } from '../../platform/audit/context.ts';
import {
  eventIdFor,
  GoogleCalendarClient,
  type CalendarEvent,
} from '../../platform/integrations/google-calendar.ts';
import { IntegrationError, IntegrationHttp, type CallContext } from '../../platform/integrations/http.ts';
import type { Jobs, Queue } from '../../platform/jobs/index.ts';
import { consultantIdsWithCalendar, findConsultantCard } from '../consultants/index.ts';
import type { BookingsContext } from './context.ts';
import type { BookingEffects } from './effects.ts';
import { jitsiUrl } from './links.ts';
import type { ConfirmJob } from './notifications.ts';
import { calendarConnected } from './policy.ts';
import {
  bookingsOwedSync,
  findBooking,
  markCalendarSynced,
  markSyncedWithoutEvent,
  setBooking,
  setMeetingUrlOnce,
  type BookingRow,
} from './repository/index.ts';
import { operationAttempted } from '../../platform/integrations/repository.ts';

/**
 * The consultant's Google Calendar follows the bookings. A change enqueues a sync job in its own transaction;
 * the job reconciles Google with the booking as it is when the job runs (insert, patch or delete), then records
 * the booking's sequence as synced, but only if the sequence has not moved meanwhile. So jobs can run twice, in
 * any order or at the same time: a job whose write may have overtaken a newer one sees its mark refused and
 * syncs the newer state again. No transaction stays open across a call to Google.
 *
 * Google down: the job fails and pg-boss retries it with backoff; when the retries are used up, the sweep
 * (every five minutes) finds the bookings still owed a sync and enqueues them again.
 */

export const CALENDAR_SYNC_QUEUE = 'bookings.calendar_sync';
export const CALENDAR_SWEEP_QUEUE = 'bookings.calendar_sweep';

/**
 * Six retries from 30 s, doubling (with pg-boss's jitter up to twice that): about an hour in all, the last
 * wait under 32 minutes. Longer outages are the sweep's: it enqueues a fresh job once this one has failed.
 */
const SYNC_RETRIES = 6;
const SYNC_RETRY_DELAY_S = 30;
/** Syncs of one job in a row when the booking keeps changing under it; then the job fails and retries. */
const MAX_ROUNDS = 5;
/** Bookings that ended longer ago than this are left alone by the sweep. */
const SWEEP_PAST_MS = 24 * 3_600_000;
const SWEEP_BATCH = 500;

export interface CalendarSyncJob {
  booking_id: string;
}

type SyncRow = BookingRow & {
  google_calendar_id: string | null;
  consultant_timezone: string;
};

/** Whether a booking should have an event: it was not cancelled (a held meeting keeps its event). */
function wantsEvent(b: SyncRow): boolean {
  return b.status !== 'cancelled' && b.deleted_at === null;
}

const TEXT = {
  en: {
    summary: 'Consultation',
    reference: 'Reference',
    type: { video: 'Video call', phone: 'Phone call', in_person: 'In person' } as Record<string, string>,
    email: 'E-mail',
    phone: 'Phone',
    company: 'Company',
    message: 'Message',
    link: 'Meeting link',
  },
  de: {
    summary: 'Beratung',
    reference: 'Referenz',
    type: { video: 'Videoanruf', phone: 'Telefonat', in_person: 'Vor Ort' } as Record<string, string>,
    email: 'E-Mail',
    phone: 'Telefon',
    company: 'Firma',
    message: 'Nachricht',
    link: 'Meeting-Link',
  },
};

/** The event's text, in the booking's language (the client is an attendee). */
export function eventContent(b: SyncRow, meetingUrl: string | null): CalendarEvent {
  const t = b.language === 'de' ? TEXT.de : TEXT.en;
  const name = `${b.client_first_name} ${b.client_last_name}`;
  const lines = [
    `${t.reference}: ${b.reference}`,
    t.type[b.meeting_type] ?? b.meeting_type,
    `${t.email}: ${b.client_email}`,
    ...(b.client_phone ? [`${t.phone}: ${b.client_phone}`] : []),
    ...(b.client_company ? [`${t.company}: ${b.client_company}`] : []),
    ...(meetingUrl ? [`${t.link}: ${meetingUrl}`] : []),
    ...(b.message ? ['', `${t.message}:`, b.message] : []),
  ];
  return {
    summary: `${t.summary}: ${name}${b.client_company ? ` (${b.client_company})` : ''} · ${b.reference}`,
    description: lines.join('\n'),
    ...(meetingUrl ? { location: meetingUrl } : {}),
    start: { dateTime: b.datetime.toISOString(), timeZone: b.consultant_timezone },
    end: { dateTime: b.ends_at.toISOString(), timeZone: b.consultant_timezone },
  };
}

/** The Meet link of an inserted event, and whether Google is still creating it. */
function meetLink(event: CalendarEvent): { link: string | null; pending: boolean } {
  if (typeof event.hangoutLink === 'string' && event.hangoutLink)
    return { link: event.hangoutLink, pending: false };
  const data = event.conferenceData as
    | {
        entryPoints?: { entryPointType?: string; uri?: string }[];
        createRequest?: { status?: { statusCode?: string } };
      }
    | undefined;
  const video = data?.entryPoints?.find((e) => e.entryPointType === 'video')?.uri;
  if (video) return { link: video, pending: false };
  return { link: null, pending: data?.createRequest?.status?.statusCode === 'pending' };
}

/** A video meeting without a link: the calendar sync gives it Google Meet's. */
function awaitsMeet(b: SyncRow): boolean {
  return b.meeting_type === 'video' && b.meeting_url === null;
}

function isGone(error: unknown): boolean {
  return error instanceof IntegrationError && (error.status === 404 || error.status === 410);
}

/** What the sync needs of the bookings module. */
export type CalendarSyncDeps = Pick<
  BookingsContext,
  'db' | 'settings' | 'configs' | 'clock' | 'retryPolicy'
> & {
  /** The sweep asks which bookings have a sync job waiting or running. */
  jobs: Pick<Jobs, 'dataValues'>;
  queues: {
    /** A booking whose Meet link arrived sends its confirmation. */
    confirm: Pick<Queue<ConfirmJob>, 'send'>;
    sync: Pick<Queue<CalendarSyncJob>, 'send'>;
  };
};

export class CalendarSync {
  constructor(private readonly deps: CalendarSyncDeps) {}

  private async load(bookingId: string): Promise<SyncRow | undefined> {
    const booking = await findBooking(this.deps.db, bookingId);
    if (!booking) return undefined;
    const consultant = await findConsultantCard(this.deps.db, booking.consultant_id);
    if (!consultant) return undefined;
    return {
      ...booking,
      google_calendar_id: consultant.google_calendar_id,
      consultant_timezone: consultant.timezone,
    };
  }

  /** A client for the configured Google account, or null when Google is off. Misconfigured: an error. */
  private async client(): Promise<GoogleCalendarClient | null> {
    if (!(await this.deps.settings.get('google.enabled'))) return null;
    const config = await this.deps.configs.googleCalendar();
    if (!config) throw new Error('Google Calendar is enabled but not configured (calendar id, credentials)');
    return new GoogleCalendarClient(
      config,
      new IntegrationHttp({
        db: this.deps.db,
        integration: 'google_calendar',
        ...(config.timeoutMs ? { timeoutMs: config.timeoutMs } : {}),
        ...(this.deps.retryPolicy ? { retry: this.deps.retryPolicy } : {}),
      }),
    );
  }

  /** Brings the booking's event in line with the booking; throws (for a retry) when Google fails. */
  async sync(bookingId: string): Promise<void> {
    // Set once a mark was refused: our call may have landed after a newer job's, so sync even if marked.
    let again = false;
    for (let round = 1; round <= MAX_ROUNDS; round++) {
      const booking = await this.load(bookingId);
      if (!booking) return;
      if (!again && booking.calendar_synced_sequence === booking.sequence) return;
      const calendarId = booking.google_calendar_id;
      const client = calendarId ? await this.client() : null;
      // Google off or the consultant without a calendar: nothing to sync to (the sweep comes back once on).
      if (!client || !calendarId) return;
      await this.apply(client, calendarId, booking);
      if (await markCalendarSynced(this.deps.db, booking.id, booking.sequence)) return;
      again = true;
    }
    throw new Error(`booking ${bookingId} kept changing while its calendar event was synced`);
  }

  private async apply(client: GoogleCalendarClient, calendarId: string, b: SyncRow): Promise<void> {
    const context: CallContext = { related: { table: 'bookings', id: b.id } };
    const options = { calendarId, sendUpdates: 'none' as const };
    if (!wantsEvent(b)) {
      // An event whose id was never stored may still exist: an insert that timed out, or one still running
      // (whose job then sees its mark refused and comes back here). The event id is the booking's own.
      const eventId =
        b.google_calendar_event_id ?? ((await this.insertAttempted(b.id)) ? eventIdFor(b.id) : null);
      if (eventId) await client.deleteEvent(eventId, options, context);
      return;
    }
    // A video meeting still waiting for its Meet link goes the insert's way: it answers the existing event.
    if (b.google_calendar_event_id && !awaitsMeet(b)) {
      const { summary, description, location, start, end } = eventContent(b, b.meeting_url);
      try {
        await client.patchEvent(
          b.google_calendar_event_id,
          { summary, description, location, start, end },
          options,
          context,
        );
      } catch (error) {
        // Removed in Google by someone (the consultant): not ours to put back. Anything else: retry.
        if (!isGone(error)) throw error;
      }
      return;
    }
    await this.insert(client, calendarId, b, context);
  }

  private async insert(
    client: GoogleCalendarClient,
    calendarId: string,
    b: SyncRow,
    context: CallContext,
  ): Promise<void> {
    const wantsMeet = awaitsMeet(b);
    const event = await client.insertEvent(
      {
        ...eventContent(b, b.meeting_url),
        attendees: [{ email: b.client_email, displayName: `${b.client_first_name} ${b.client_last_name}` }],
        extendedProperties: { private: { magnetiq_booking_id: b.id, magnetiq_reference: b.reference } },
      },
      // The booking id: a repeated insert (a retry, a second job) finds the event instead of making another.
      { requestId: b.id, conference: wantsMeet, calendarId, sendUpdates: 'none' },
      context,
    );
    const eventId = event.id ?? eventIdFor(b.id);
    await setBooking(this.deps.db, b.id, { google_calendar_event_id: eventId });
    let url = b.meeting_url;
    if (wantsMeet) {
      const { link, pending } = meetLink(event);
      // The next attempt's insert answers the existing event (409, then a read), by then with its link.
      if (pending) throw new Error(`Google is still creating the Meet conference of booking ${b.id}`);
      // No conference (refused by the account): the client still gets a video link, a Jitsi room.
      await this.setMeetingUrl(
        b.id,
        link ?? jitsiUrl(await this.deps.settings.get('booking.meeting_base_url')),
      );
      // The link the booking ended up with (the confirmation's fallback may have given it a Jitsi room
      // first), for the event's text.
      url = (await findBooking(this.deps.db, b.id))?.meeting_url ?? null;
    }
    // An existing event answered for the insert (made by an earlier attempt) may show an earlier time.
    const stale =
      Date.parse(event.start?.dateTime ?? '') !== b.datetime.getTime() ||
      Date.parse(event.end?.dateTime ?? '') !== b.ends_at.getTime();
    if (stale || url !== b.meeting_url) {
      const { summary, description, location, start, end } = eventContent(b, url);
      await client.patchEvent(
        eventId,
        { summary, description, location, start, end },
        { calendarId, sendUpdates: 'none' },
        context,
      );
    }
  }

  /** Gives the booking its video link if it has none yet, and sends the confirmation that carries it. */
  private setMeetingUrl(bookingId: string, url: string): Promise<boolean> {
    return writeTransaction(this.deps.db, SYSTEM_ACTOR, async (trx) => {
      if (!(await setMeetingUrlOnce(trx, bookingId, url))) return false;
      await this.deps.queues.confirm.send({ booking_id: bookingId }, { executor: trx });
      return true;
    });
  }

  private insertAttempted(bookingId: string): Promise<boolean> {
    return operationAttempted(this.deps.db, { table: 'bookings', id: bookingId }, 'events.insert');
  }

  /**
   * Enqueues a sync for every booking of a connected consultant still owed one (ending in the future or
   * within the last day) that has no sync job waiting or running. Cancelled bookings that never got an event
   * (and never tried to) are marked synced here, without a call. Answers how many were enqueued.
   */
  async sweep(): Promise<number> {
    if (!(await this.deps.settings.get('google.enabled'))) return 0;
    const since = new Date(this.deps.clock().getTime() - SWEEP_PAST_MS);
    // Bookings with a sync job waiting or running get no second one.
    const queued = await this.deps.jobs.dataValues(CALENDAR_SYNC_QUEUE, 'booking_id', {
      states: ['created', 'retry', 'active'],
      executor: this.deps.db,
    });
    const owed = await bookingsOwedSync(this.deps.db, {
      consultantIds: await consultantIdsWithCalendar(this.deps.db),
      since,
      exceptIds: [...queued],
      limit: SWEEP_BATCH,
    });
    let enqueued = 0;
    for (const b of owed) {
      if (b.status === 'cancelled' || b.deleted_at !== null) {
        if (!b.google_calendar_event_id && !(await this.insertAttempted(b.id))) {
          await markSyncedWithoutEvent(this.deps.db, b.id, b.sequence);
          continue;
        }
      }
      await this.deps.queues.sync.send({ booking_id: b.id });
      enqueued += 1;
    }
    return enqueued;
  }
}

/** The calendar queues, the sweep's schedule, and the effect that enqueues a sync with each change. */
export function registerCalendarSync(
  effects: BookingEffects,
  context: BookingsContext,
  confirm: Queue<ConfirmJob>,
): void {
  const sync: Queue<CalendarSyncJob> = context.jobs.defineQueue<CalendarSyncJob>(
    { name: CALENDAR_SYNC_QUEUE, retryLimit: SYNC_RETRIES, retryDelay: SYNC_RETRY_DELAY_S },
    (data) => calendar.sync(data.booking_id),
  );
  const calendar = new CalendarSync({ ...context, queues: { confirm, sync } });
  context.jobs.defineQueue<object>(
    { name: CALENDAR_SWEEP_QUEUE, retryLimit: 0, retryDelay: 60, expireInSeconds: 240 },
    () => calendar.sweep(),
  );
  context.jobs.every(CALENDAR_SWEEP_QUEUE, '*/5 * * * *');
  effects.add(async ({ change, booking, trx, settings }) => {
    if (change !== 'created' && change !== 'rescheduled' && change !== 'cancelled') return;
    if (!(await calendarConnected(trx, settings, booking.consultant_id))) return;
    await sync.send({ booking_id: booking.id }, { executor: trx });
  });
}
