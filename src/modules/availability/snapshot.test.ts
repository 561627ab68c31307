import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../../../test/fixture.ts';
import { WEEKDAYS_NINE_TO_FIVE } from '../../../test/helpers/factories.ts';
import type { SlotsAnswer } from './schemas.ts';

// Schedules and bookings are kept between requests for the public slots and dropped on any commit that changes
// bookings (migration 0024) or consultants (0022); a booking re-checks its slot in its transaction regardless.
const t = useTestApp({ now: new Date('2026-11-20T00:00:00Z') });
let authorId: string;
const QUERY = 'from=2026-12-01&to=2026-12-01&duration=60&tz=Europe/Berlin';

async function slots(id: string): Promise<SlotsAnswer> {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/public/consultants/${id}/slots?${QUERY}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<SlotsAnswer>();
}

/** Asks until `check` holds: the copy is dropped when the NOTIFY of a commit arrives, a moment after it. */
async function eventually(ask: () => Promise<SlotsAnswer>, check: (a: SlotsAnswer) => boolean) {
  const end = Date.now() + 5000;
  let answer = await ask();
  while (!check(answer) && Date.now() < end) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    answer = await ask();
  }
  return answer;
}

beforeAll(async () => {
  authorId = (await t.factories.admin()).id;
});

describe(`the kept schedules and bookings on ${t.engine}`, () => {
  it('show a new booking, a cancellation and a change of hours once committed, on every read after', async () => {
    const c = await t.factories.consultant(authorId, {
      timezone: 'Europe/Berlin',
      working_hours: JSON.stringify(WEEKDAYS_NINE_TO_FIVE),
      holidays: JSON.stringify([]),
    });
    expect((await slots(c.id)).slots).toHaveLength(15);
    // A booking written straight into the table (as another instance would): the slot goes.
    const booking = await t.factories.booking(c.id, { datetime: new Date('2026-12-01T08:00:00Z') });
    const booked = await eventually(
      () => slots(c.id),
      (a) => !a.slots.some((s) => s.start_utc === '2026-12-01T08:00:00.000Z'),
    );
    expect(booked.slots.map((s) => s.start_utc)).not.toContain('2026-12-01T08:00:00.000Z');
    // Cancelled: it comes back.
    await t.database.db
      .updateTable('bookings')
      .set({ status: 'cancelled' })
      .where('id', '=', booking.id)
      .execute();
    const freed = await eventually(
      () => slots(c.id),
      (a) => a.slots.some((s) => s.start_utc === '2026-12-01T08:00:00.000Z'),
    );
    expect(freed.slots.map((s) => s.start_utc)).toContain('2026-12-01T08:00:00.000Z');
    // The consultant's hours change: the schedule is read again.
    await t.database.db
      .updateTable('consultants')
      .set({ working_hours: JSON.stringify({ tue: [{ start: '09:00', end: '11:00' }] }) })
      .where('id', '=', c.id)
      .execute();
    const shorter = await eventually(
      () => slots(c.id),
      (a) => a.slots.length !== 15,
    );
    expect(shorter.slots.map((s) => s.start_local)).toEqual([
      '2026-12-01T09:00:00+01:00',
      '2026-12-01T09:30:00+01:00',
      '2026-12-01T10:00:00+01:00',
    ]);
  });
});
