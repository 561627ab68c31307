// The bookings API as the panel uses it: the list through the shared data provider (filters in the user's time
// zone), and the lifecycle actions (cancel, reschedule, completed, no-show), each sent with the version the
// screen shows, so a booking changed meanwhile answers 409 instead of being changed blindly.
import { useQuery } from '@tanstack/react-query';
import { api, type Query } from '../../api/http.ts';
import type { Answer, Body, QueryOf } from '../../api/types.ts';
import { userTimeZone } from '../../components/DateTime.tsx';
import { defineResourceApi } from '../../providers/dataProvider.ts';
import { addDays, localMidnight } from './time.ts';

export type Booking = Answer<'getBooking'>;
export type Week = Answer<'getBookingWeek'>;
export type WeekBooking = Week['days'][number]['bookings'][number];
export type Slots = Answer<'listConsultantSlots'>;
export type Slot = Slots['slots'][number];
type Consultant = Answer<'listConsultants'>['items'][number];

export const STATUSES = ['confirmed', 'cancelled', 'completed', 'no_show'] as const;
export type Status = (typeof STATUSES)[number];
export const MEETING_TYPES = ['video', 'phone', 'in_person'] as const;

/** The list's filter form → the API's query: dates are whole local days of the user's zone. */
export function bookingFilters(filter: Record<string, unknown>): Query {
  const tz = userTimeZone();
  const text = (key: string) => {
    const value = filter[key];
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  };
  const from = text('from');
  const to = text('to');
  const status = filter['status'];
  const query: QueryOf<'listBookings'> = {
    consultant_id: text('consultant_id'),
    status: Array.isArray(status) && status.length > 0 ? (status as Status[]) : undefined,
    // "to" is the last day shown, inclusive: the API's bound is exclusive, so the next local midnight.
    from: from ? localMidnight(from, tz) : undefined,
    to: to ? localMidnight(addDays(to, 1), tz) : undefined,
    client_email: text('client_email'),
    q: text('q'),
  };
  return query;
}

defineResourceApi('bookings', {
  path: '/bookings',
  sorts: { start: 'datetime' },
  filters: bookingFilters,
  // Only the notes change through PATCH; everything else has its own action.
  toUpdate: (changed) => {
    const body: Partial<Body<'updateBooking'>> = {};
    if ('preparation_notes' in changed) body.preparation_notes = notes(changed['preparation_notes']);
    if ('consultant_notes' in changed) body.consultant_notes = notes(changed['consultant_notes']);
    return body;
  },
});

/** An emptied notes field clears the notes (null), rather than keeping an empty text. */
function notes(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

/** Whether the booking may still be moved or cancelled (the API's rule: confirmed and not over). */
export function canChange(booking: Pick<Booking, 'status' | 'end'>, now = Date.now()): boolean {
  return booking.status === 'confirmed' && now < Date.parse(booking.end);
}

/**
 * Whether `outcome` may be recorded now (the API's rule): the meeting has ended, the booking is confirmed or its
 * outcome is corrected before the client rated it, and it does not have this outcome already.
 */
export function canRecord(
  booking: Pick<Booking, 'status' | 'end' | 'feedback_at'>,
  outcome: 'completed' | 'no_show',
  now = Date.now(),
): boolean {
  if (booking.status === outcome) return false;
  if (!['confirmed', 'completed', 'no_show'].includes(booking.status)) return false;
  if (booking.status !== 'confirmed' && booking.feedback_at) return false;
  return now >= Date.parse(booking.end);
}

export const bookingActions = {
  cancel: (booking: Booking, reason: string) =>
    api<Booking>('POST', `/bookings/${booking.id}/cancel`, {
      body: {
        version: booking.version,
        ...(reason.trim() ? { reason: reason.trim() } : {}),
      } satisfies Body<'cancelBooking'>,
    }),
  reschedule: (booking: Booking, start: string) =>
    api<Booking>('POST', `/bookings/${booking.id}/reschedule`, {
      body: { version: booking.version, start } satisfies Body<'rescheduleBooking'>,
    }),
  complete: (booking: Booking) =>
    api<Booking>('POST', `/bookings/${booking.id}/complete`, {
      body: { version: booking.version } satisfies Body<'completeBooking'>,
    }),
  noShow: (booking: Booking) =>
    api<Booking>('POST', `/bookings/${booking.id}/no-show`, {
      body: { version: booking.version } satisfies Body<'markBookingNoShow'>,
    }),
};

export function consultantName(consultant: Pick<Consultant, 'first_name' | 'last_name'>): string {
  return `${consultant.first_name} ${consultant.last_name}`.trim();
}

/** Every live consultant (for the filters), by name; a few pages of 100 at most. */
export function useConsultants() {
  return useQuery({
    queryKey: ['magnetiq', 'bookings', 'consultants'],
    staleTime: 60_000,
    queryFn: async ({ signal }) => {
      const all: Consultant[] = [];
      for (let page = 1; page <= 20; page += 1) {
        const answer = await api<Answer<'listConsultants'>>('GET', '/consultants', {
          query: { page, per_page: 100 } satisfies QueryOf<'listConsultants'>,
          signal,
        });
        all.push(...answer.items);
        if (all.length >= answer.total || answer.items.length === 0) break;
      }
      return all.sort((a, b) => consultantName(a).localeCompare(consultantName(b)));
    },
  });
}
