import type { Kysely } from 'kysely';
import { SYSTEM_ACTOR, writeTransaction } from '../../platform/audit/context.ts';
import type { DB } from '../../platform/db/schema.ts';
import type { Queue } from '../../platform/jobs/index.ts';
import { readSetting } from '../../platform/settings.ts';
import { SETTINGS_CATALOGUE } from '../../settings-catalogue.ts';
import { findConsultantCard } from '../consultants/index.ts';
import type { BookingsContext } from './context.ts';
import type { BookingChangeEvent, BookingEffects } from './effects.ts';
import { jitsiUrl } from './links.ts';
import { clientMail, consultantNotice, type BookingMailContext } from './mail.ts';
import { hasCalendar } from './policy.ts';
import {
  claimConfirmation,
  claimFeedbackRequest,
  claimReminder,
  setBooking,
  type BookingRow,
} from './repository/index.ts';

/** Sends a booking's client confirmation once its video link is known (data `{ booking_id }`). */
export const CONFIRM_QUEUE = 'bookings.confirm';
/** Reminds the client 24 hours before the meeting (data `{ booking_id, sequence }`). */
export const REMINDER_QUEUE = 'bookings.reminder';

/**
 * How long the confirmation waits for the Google Meet link before it goes out with a Jitsi link instead. In
 * seconds from now, not a Date: pg-boss starts jobs by the database's clock.
 */
const MEET_LINK_WAIT_SECONDS = 10 * 60;
const REMINDER_BEFORE_MS = 24 * 3_600_000;

export interface ConfirmJob {
  booking_id: string;
}

export interface ReminderJob {
  booking_id: string;
  /** The booking's sequence when the reminder was planned: a moved booking has another one, and its own job. */
  sequence: number;
}

/**
 * The booking's mails and its 24-hour reminder. Every mail is written to the outbox inside the transaction that
 * changed the booking (or, for jobs, that claimed the mail), so a mail exists exactly when its change committed.
 */
/** The queues of the booking's mails. */
export interface NotificationQueues {
  confirm: Queue<ConfirmJob>;
  reminder: Queue<ReminderJob>;
}

/** What the mails and their jobs are built from. */
export interface NotificationDeps extends BookingsContext {
  queues: NotificationQueues;
}

export function registerNotifications(effects: BookingEffects, context: BookingsContext): NotificationQueues {
  const queues: NotificationQueues = {
    confirm: context.jobs.defineQueue<ConfirmJob>(
      { name: CONFIRM_QUEUE, retryLimit: 5, retryDelay: 30, expireInSeconds: 120 },
      async ({ booking_id }) => {
        await sendConfirmation(deps, booking_id);
      },
    ),
    reminder: context.jobs.defineQueue<ReminderJob>(
      { name: REMINDER_QUEUE, retryLimit: 5, retryDelay: 60, expireInSeconds: 120 },
      async (data) => {
        await sendReminder(deps, data);
      },
    ),
  };
  const deps: NotificationDeps = { ...context, queues };

  effects.add(async (event) => {
    switch (event.change) {
      case 'created':
        await onCreated(deps, event);
        break;
      case 'rescheduled':
        await onRescheduled(deps, event);
        break;
      case 'cancelled':
        await onCancelled(deps, event);
        break;
      case 'completed':
        await dropReminder(deps, event);
        await requestFeedback(deps, event);
        break;
      case 'no_show':
        await dropReminder(deps, event);
        break;
    }
  });
  return queues;
}

type Sender = Pick<BookingMailContext, 'sender' | 'contactEmail'>;

/**
 * The settings a mail names, read through the caller's transaction: an effect runs inside one, and on PGlite
 * (one connection) a read beside it, as the settings cache makes after an invalidation, would wait for it forever.
 */
async function senderSettings(db: Kysely<DB>): Promise<Sender> {
  const read = (key: string) =>
    readSetting(db, key, SETTINGS_CATALOGUE.find((s) => s.key === key)?.value as string);
  const [address, name, contactEmail] = await Promise.all([
    read('mail.from'),
    read('mail.from_name'),
    read('contact_email'),
  ]);
  return { sender: { address, name }, contactEmail };
}

/** What a booking's mails and invites are made from, read through `db` (an effect's transaction). */
export async function mailContext(
  deps: Pick<BookingsContext, 'publicUrl' | 'appSecret' | 'clock'>,
  db: Kysely<DB>,
  booking: BookingRow,
  previous?: BookingRow,
): Promise<BookingMailContext> {
  const sender = await senderSettings(db);
  const consultant = await findConsultantCard(db, booking.consultant_id);
  if (!consultant) throw new Error(`consultant ${booking.consultant_id} of booking ${booking.id} is gone`);
  return {
    ...sender,
    booking,
    previous,
    consultant,
    publicUrl: deps.publicUrl,
    appSecret: deps.appSecret,
    now: deps.clock(),
  };
}

/** The context of a consultant's notice: whether their Google Calendar shows the booking (then no invite). */
async function withCalendar(ctx: BookingMailContext, event: BookingChangeEvent): Promise<BookingMailContext> {
  const consultantCalendar = await hasCalendar(event.settings, ctx.consultant.google_calendar_id);
  return { ...ctx, consultantCalendar };
}

/**
 * A video meeting without a link yet waits for the Google Meet link the calendar sync adds (it sends
 * CONFIRM_QUEUE once the link is stored; the delayed job here is the fallback). Everything else is confirmed
 * at once. The consultant is told at once in every case.
 */
async function onCreated(deps: NotificationDeps, event: BookingChangeEvent): Promise<void> {
  const { booking, trx } = event;
  const ctx = await mailContext(deps, trx, booking);
  await deps.mailer.send(consultantNotice('created', await withCalendar(ctx, event)), trx);
  if (booking.meeting_type === 'video' && booking.meeting_url === null) {
    await deps.queues.confirm.send(
      { booking_id: booking.id },
      { executor: trx, startAfter: MEET_LINK_WAIT_SECONDS },
    );
  } else {
    await deps.mailer.send(clientMail('booking_confirmation', ctx), trx);
    // The time the mail was accepted into the outbox (delivery is the mail job's business), in this transaction.
    await setBooking(trx, booking.id, { confirmation_sent_at: ctx.now });
  }
  await planReminder(deps, booking, trx);
}

async function onRescheduled(deps: NotificationDeps, event: BookingChangeEvent): Promise<void> {
  const { booking, previous, trx } = event;
  await dropReminder(deps, event);
  const ctx = await mailContext(deps, trx, booking, previous);
  // A confirmation still waiting for its Meet link goes out later with the new time: no "moved" mail before it.
  if (booking.confirmation_sent_at !== null) {
    await deps.mailer.send(clientMail('booking_rescheduled', ctx), trx);
  }
  await deps.mailer.send(consultantNotice('rescheduled', await withCalendar(ctx, event)), trx);
  await planReminder(deps, booking, trx);
}

async function onCancelled(deps: NotificationDeps, event: BookingChangeEvent): Promise<void> {
  const { booking, previous, trx } = event;
  await dropReminder(deps, event);
  const ctx = await mailContext(deps, trx, booking, previous);
  await deps.mailer.send(clientMail('booking_cancelled', ctx), trx);
  await deps.mailer.send(consultantNotice('cancelled', await withCalendar(ctx, event)), trx);
}

/**
 * Asks the client for a rating, once per meeting: an outcome corrected back to completed asks no second time.
 * The conditional stamp claims the request in the completion's transaction.
 */
async function requestFeedback(deps: NotificationDeps, { booking, trx }: BookingChangeEvent): Promise<void> {
  const now = deps.clock();
  if (!(await claimFeedbackRequest(trx, booking.id, now))) return;
  await deps.mailer.send(clientMail('booking_feedback', await mailContext(deps, trx, booking)), trx);
}

/** Queues the reminder for start − 24 h, unless that time has passed (a late booking gets none). */
async function planReminder(deps: NotificationDeps, booking: BookingRow, trx: Kysely<DB>): Promise<void> {
  const at = new Date(booking.datetime.getTime() - REMINDER_BEFORE_MS);
  if (at <= deps.clock()) return;
  const id = await deps.queues.reminder.send(
    { booking_id: booking.id, sequence: booking.sequence },
    { executor: trx, startAfter: at },
  );
  await setBooking(trx, booking.id, { reminder_job_id: id });
}

/** Cancels the planned reminder; the reminder job checks the booking anyway, so one that slips through is harmless. */
async function dropReminder(deps: NotificationDeps, { booking, trx }: BookingChangeEvent): Promise<void> {
  if (!booking.reminder_job_id) return;
  await deps.queues.reminder.cancel(booking.reminder_job_id, trx);
  await setBooking(trx, booking.id, { reminder_job_id: null });
}

/**
 * The confirmation of a booking that waited for its Meet link. The conditional update claims it: of two jobs
 * (the calendar sync's and the fallback) only one finds confirmation_sent_at still NULL, and its mail commits
 * with the claim. A video meeting still without a link by then gets a Jitsi room.
 */
export async function sendConfirmation(deps: NotificationDeps, bookingId: string): Promise<boolean> {
  const fallback = jitsiUrl(await deps.settings.get('booking.meeting_base_url'));
  return writeTransaction(deps.db, SYSTEM_ACTOR, async (trx) => {
    const now = deps.clock();
    const booking = await claimConfirmation(trx, bookingId, now, fallback);
    if (!booking) return false;
    await deps.mailer.send(clientMail('booking_confirmation', await mailContext(deps, trx, booking)), trx);
    return true;
  });
}

/**
 * The 24-hour reminder, sent only for the booking as it was planned (same sequence), while it is confirmed and
 * still ahead, and once: the conditional update of reminder_sent_at claims it in the mail's transaction.
 */
export async function sendReminder(deps: NotificationDeps, job: ReminderJob): Promise<boolean> {
  return writeTransaction(deps.db, SYSTEM_ACTOR, async (trx) => {
    const now = deps.clock();
    const booking = await claimReminder(trx, job.booking_id, job.sequence, now);
    if (!booking) return false;
    await deps.mailer.send(clientMail('booking_reminder', await mailContext(deps, trx, booking)), trx);
    return true;
  });
}
