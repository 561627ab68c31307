import { describe, expect, it } from 'vitest';
import {
  computeSlots,
  dayNumber,
  formatLocal,
  offsetAt,
  localToUtc,
  type AvailabilityInput,
  type WorkingHours,
} from './engine.ts';
import { isTimeZone } from '../../platform/time-zone.ts';

const nineToFive = [{ start: '09:00', end: '17:00' }];
const EVERY_DAY: WorkingHours = {
  mon: nineToFive,
  tue: nineToFive,
  wed: nineToFive,
  thu: nineToFive,
  fri: nineToFive,
  sat: nineToFive,
  sun: nineToFive,
};

function input(overrides: Partial<AvailabilityInput> = {}): AvailabilityInput {
  return {
    workingHours: EVERY_DAY,
    holidays: [],
    consultantTimezone: 'Europe/Berlin',
    bookings: [],
    busy: [],
    rules: { minNoticeHours: 0, horizonDays: 365, bufferMinutes: 15, slotIntervalMinutes: 30, maxPerDay: 8 },
    now: Date.parse('2026-01-01T00:00:00Z'),
    from: '2026-12-01',
    to: '2026-12-01',
    timezone: 'Europe/Berlin',
    durationMinutes: 60,
    ...overrides,
  };
}

const iso = (ms: number) => new Date(ms).toISOString();
const starts = (i: AvailabilityInput) => computeSlots(i).map((s) => iso(s.start));
const at = (s: string) => Date.parse(s);

describe('zone offsets', () => {
  // offsetAt remembers an hour's offset; every minute around a change must still match Intl afresh.
  function intl(utc: number, timeZone: string): number {
    const f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    const p = Object.fromEntries(f.formatToParts(new Date(utc)).map((x) => [x.type, Number(x.value)]));
    return Date.UTC(p.year ?? 0, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0) - utc;
  }

  it.each([
    ['Europe/Berlin', '2026-03-29T00:00:00Z'],
    ['Europe/Berlin', '2026-10-25T00:00:00Z'],
    ['America/New_York', '2026-03-08T05:00:00Z'],
    // Lord Howe Island moves its clocks by half an hour.
    ['Australia/Lord_Howe', '2026-04-04T14:00:00Z'],
    // Changes at half past a UTC hour (16:30Z and 05:30Z): an hour holding two offsets is never remembered.
    ['Australia/Adelaide', '2026-04-04T14:00:00Z'],
    ['America/St_Johns', '2026-03-08T03:00:00Z'],
  ])('match Intl minute by minute across a change in %s', (zone, from) => {
    const start = at(from);
    for (let minute = 0; minute < 6 * 60; minute++) {
      const utc = start + minute * 60_000;
      // Twice: the second answer may come from the remembered hour.
      expect(offsetAt(utc, zone)).toBe(intl(utc, zone));
      expect(offsetAt(utc, zone)).toBe(intl(utc, zone));
    }
  });
});

describe('local time to UTC', () => {
  it('uses the offset in force on that day', () => {
    expect(iso(localToUtc(dayNumber('2026-12-01'), 9 * 60, 'Europe/Berlin'))).toBe(
      '2026-12-01T08:00:00.000Z',
    );
    expect(iso(localToUtc(dayNumber('2026-07-01'), 9 * 60, 'Europe/Berlin'))).toBe(
      '2026-07-01T07:00:00.000Z',
    );
    expect(iso(localToUtc(dayNumber('2026-07-01'), 9 * 60, 'America/New_York'))).toBe(
      '2026-07-01T13:00:00.000Z',
    );
    expect(iso(localToUtc(dayNumber('2026-12-01'), 24 * 60, 'UTC'))).toBe('2026-12-02T00:00:00.000Z');
  });

  it('moves a time in the skipped spring hour to the end of the gap', () => {
    // 2026-03-29 02:00 CET → 03:00 CEST (01:00Z).
    expect(iso(localToUtc(dayNumber('2026-03-29'), 2 * 60 + 30, 'Europe/Berlin'))).toBe(
      '2026-03-29T01:00:00.000Z',
    );
    expect(iso(localToUtc(dayNumber('2026-03-29'), 3 * 60, 'Europe/Berlin'))).toBe(
      '2026-03-29T01:00:00.000Z',
    );
    expect(iso(localToUtc(dayNumber('2026-03-08'), 2 * 60 + 15, 'America/New_York'))).toBe(
      '2026-03-08T07:00:00.000Z',
    );
  });

  it('takes the first of a repeated autumn hour', () => {
    // 2026-10-25 03:00 CEST → 02:00 CET (01:00Z): 02:30 happens at 00:30Z and again at 01:30Z.
    expect(iso(localToUtc(dayNumber('2026-10-25'), 2 * 60 + 30, 'Europe/Berlin'))).toBe(
      '2026-10-25T00:30:00.000Z',
    );
    expect(iso(localToUtc(dayNumber('2026-11-01'), 60 + 30, 'America/New_York'))).toBe(
      '2026-11-01T05:30:00.000Z',
    );
  });

  it('formats an instant in a zone with its offset', () => {
    expect(formatLocal(at('2026-03-29T07:00:00Z'), 'Europe/Berlin')).toBe('2026-03-29T09:00:00+02:00');
    expect(formatLocal(at('2026-12-01T14:00:00Z'), 'America/New_York')).toBe('2026-12-01T09:00:00-05:00');
    expect(formatLocal(at('2026-12-01T14:00:00Z'), 'Asia/Kolkata')).toBe('2026-12-01T19:30:00+05:30');
  });

  it('knows real zones only', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });
});

describe('slots across daylight-saving changes', () => {
  it('Berlin 09:00–17:00 around the spring change: 08:00Z before, 07:00Z on and after', () => {
    const before = starts(input({ from: '2026-03-28', to: '2026-03-28' }));
    expect(before).toHaveLength(15);
    expect(before[0]).toBe('2026-03-28T08:00:00.000Z');
    expect(before.at(-1)).toBe('2026-03-28T15:00:00.000Z');
    const on = starts(input({ from: '2026-03-29', to: '2026-03-29' }));
    expect(on).toHaveLength(15);
    expect(on[0]).toBe('2026-03-29T07:00:00.000Z');
    expect(on.at(-1)).toBe('2026-03-29T14:00:00.000Z');
    const after = starts(input({ from: '2026-03-30', to: '2026-03-30' }));
    expect(after[0]).toBe('2026-03-30T07:00:00.000Z');
  });

  it('Berlin 09:00–17:00 around the autumn change: 07:00Z before, 08:00Z on the day', () => {
    const before = starts(input({ from: '2026-10-24', to: '2026-10-24' }));
    expect(before[0]).toBe('2026-10-24T07:00:00.000Z');
    const on = starts(input({ from: '2026-10-25', to: '2026-10-25' }));
    expect(on).toHaveLength(15);
    expect(on[0]).toBe('2026-10-25T08:00:00.000Z');
    expect(on.at(-1)).toBe('2026-10-25T15:00:00.000Z');
  });

  it('a night range over the change lasts 5 real hours in spring and 7 in autumn', () => {
    const night: WorkingHours = { sun: [{ start: '00:00', end: '06:00' }] };
    const rules = {
      minNoticeHours: 0,
      horizonDays: 365,
      bufferMinutes: 0,
      slotIntervalMinutes: 60,
      maxPerDay: 8,
    };
    const spring = starts(input({ workingHours: night, rules, from: '2026-03-29', to: '2026-03-29' }));
    expect(spring).toEqual([
      '2026-03-28T23:00:00.000Z',
      '2026-03-29T00:00:00.000Z',
      '2026-03-29T01:00:00.000Z',
      '2026-03-29T02:00:00.000Z',
      '2026-03-29T03:00:00.000Z',
    ]);
    const autumn = starts(input({ workingHours: night, rules, from: '2026-10-25', to: '2026-10-25' }));
    expect(autumn).toHaveLength(7);
    expect(autumn[0]).toBe('2026-10-24T22:00:00.000Z');
    expect(autumn.at(-1)).toBe('2026-10-25T04:00:00.000Z');
  });

  it('a range starting in the skipped hour begins when the gap ends', () => {
    const hours: WorkingHours = { sun: [{ start: '02:30', end: '05:00' }] };
    expect(starts(input({ workingHours: hours, from: '2026-03-29', to: '2026-03-29' }))).toEqual([
      '2026-03-29T01:00:00.000Z',
      '2026-03-29T01:30:00.000Z',
      '2026-03-29T02:00:00.000Z',
    ]);
  });

  it('slots over the autumn night keep real durations: a 120-minute slot is 120 minutes', () => {
    const hours: WorkingHours = { sun: [{ start: '01:00', end: '04:00' }] };
    const slots = computeSlots(
      input({ workingHours: hours, durationMinutes: 120, from: '2026-10-25', to: '2026-10-25' }),
    );
    // 01:00 CEST = 23:00Z, 04:00 CET = 03:00Z: four real hours.
    expect(slots.map((s) => iso(s.start))).toHaveLength(5);
    for (const s of slots) expect(s.end - s.start).toBe(120 * 60_000);
  });
});

describe('slots across zones', () => {
  const ny = (date: string) =>
    computeSlots(input({ consultantTimezone: 'America/New_York', from: date, to: date }));

  it('New York 09:00–17:00 is 15:00–23:00 in Berlin in winter and summer', () => {
    for (const date of ['2026-12-01', '2026-07-07']) {
      const slots = ny(date);
      expect(slots).toHaveLength(15);
      expect(formatLocal((slots[0] as { start: number }).start, 'Europe/Berlin').slice(11, 16)).toBe('15:00');
      expect(formatLocal((slots.at(-1) as { end: number }).end, 'Europe/Berlin').slice(11, 16)).toBe('23:00');
    }
  });

  it('in the weeks where US and EU clocks differ it is 14:00–22:00 in Berlin', () => {
    for (const date of ['2026-03-10', '2026-03-27', '2026-10-26', '2026-10-30']) {
      const slots = ny(date);
      expect(slots, date).toHaveLength(15);
      expect(iso((slots[0] as { start: number }).start)).toBe(`${date}T13:00:00.000Z`);
      expect(formatLocal((slots[0] as { start: number }).start, 'Europe/Berlin')).toBe(
        `${date}T14:00:00+01:00`,
      );
      expect(formatLocal((slots.at(-1) as { end: number }).end, 'Europe/Berlin')).toBe(
        `${date}T22:00:00+01:00`,
      );
    }
  });

  it('a Berlin day seen from Tokyo spans two Tokyo dates', () => {
    const slots = computeSlots(input({ timezone: 'Asia/Tokyo', from: '2026-12-01', to: '2026-12-01' }));
    // Tokyo 2026-12-01 is 2026-11-30T15:00Z..2026-12-01T15:00Z.
    // Berlin's 11-30 ends 16:00Z (01:00 in Tokyo on 12-01): its last slot is in the Tokyo day.
    expect(iso((slots[0] as { start: number }).start)).toBe('2026-11-30T15:00:00.000Z');
    expect(iso((slots.at(-1) as { start: number }).start)).toBe('2026-12-01T14:30:00.000Z');
  });
});

describe('slots: rules', () => {
  it('holidays (inclusive local dates) offer nothing', () => {
    const all = starts(
      input({ from: '2026-12-23', to: '2026-12-27', holidays: [{ from: '2026-12-24', to: '2026-12-26' }] }),
    );
    expect(new Set(all.map((s) => s.slice(0, 10)))).toEqual(new Set(['2026-12-23', '2026-12-27']));
  });

  it('days without working hours offer nothing; several ranges a day each count', () => {
    const hours: WorkingHours = {
      tue: [
        { start: '09:00', end: '12:00' },
        { start: '13:00', end: '17:00' },
      ],
    };
    expect(starts(input({ workingHours: hours, from: '2026-11-30', to: '2026-11-30' }))).toEqual([]);
    const tue = starts(input({ workingHours: hours }));
    expect(tue).toHaveLength(5 + 7);
    expect(tue).not.toContain('2026-12-01T11:00:00.000Z');
    expect(tue).toContain('2026-12-01T12:00:00.000Z');
  });

  it('a booking blocks its time widened by the buffer on both sides', () => {
    const booking = { start: at('2026-12-01T09:00:00Z'), end: at('2026-12-01T10:00:00Z') };
    const slots = starts(input({ bookings: [booking] }));
    // busy 08:45Z–10:15Z: the next start on the grid is 10:30Z.
    expect(slots[0]).toBe('2026-12-01T10:30:00.000Z');
    expect(slots).toHaveLength(10);
    const noBuffer = starts(
      input({
        bookings: [booking],
        rules: {
          minNoticeHours: 0,
          horizonDays: 365,
          bufferMinutes: 0,
          slotIntervalMinutes: 30,
          maxPerDay: 8,
        },
      }),
    );
    expect(noBuffer.slice(0, 2)).toEqual(['2026-12-01T08:00:00.000Z', '2026-12-01T10:00:00.000Z']);
  });

  it('calendar busy times block without a buffer', () => {
    const busy = [{ start: at('2026-12-01T12:00:00Z'), end: at('2026-12-01T16:00:00Z') }];
    expect(starts(input({ busy }))).toEqual([
      '2026-12-01T08:00:00.000Z',
      '2026-12-01T08:30:00.000Z',
      '2026-12-01T09:00:00.000Z',
      '2026-12-01T09:30:00.000Z',
      '2026-12-01T10:00:00.000Z',
      '2026-12-01T10:30:00.000Z',
      '2026-12-01T11:00:00.000Z',
    ]);
  });

  it('minimum notice: nothing starts earlier than now plus the notice', () => {
    const slots = starts(
      input({
        now: at('2026-11-30T10:10:00Z'),
        rules: {
          minNoticeHours: 24,
          horizonDays: 60,
          bufferMinutes: 15,
          slotIntervalMinutes: 30,
          maxPerDay: 8,
        },
      }),
    );
    expect(slots[0]).toBe('2026-12-01T10:30:00.000Z');
  });

  it('horizon: nothing starts later than now plus the horizon', () => {
    const slots = starts(
      input({
        now: at('2026-11-30T00:00:00Z'),
        from: '2026-12-01',
        to: '2026-12-03',
        rules: {
          minNoticeHours: 0,
          horizonDays: 2,
          bufferMinutes: 15,
          slotIntervalMinutes: 30,
          maxPerDay: 8,
        },
      }),
    );
    expect(new Set(slots.map((s) => s.slice(0, 10)))).toEqual(new Set(['2026-12-01']));
  });

  it('a day with max_per_day bookings (in the consultant’s local day) offers nothing', () => {
    const rules = {
      minNoticeHours: 0,
      horizonDays: 365,
      bufferMinutes: 0,
      slotIntervalMinutes: 30,
      maxPerDay: 1,
    };
    // 00:30 Berlin on 12-02 is 23:30Z on 12-01: it counts for 12-02.
    const booking = { start: at('2026-12-01T23:30:00Z'), end: at('2026-12-02T00:30:00Z') };
    const slots = starts(input({ rules, bookings: [booking], from: '2026-12-01', to: '2026-12-02' }));
    expect(new Set(slots.map((s) => s.slice(0, 10)))).toEqual(new Set(['2026-12-01']));
  });

  it('the slot interval sets the grid', () => {
    const rules = {
      minNoticeHours: 0,
      horizonDays: 365,
      bufferMinutes: 0,
      slotIntervalMinutes: 60,
      maxPerDay: 8,
    };
    expect(starts(input({ rules, durationMinutes: 120 }))).toHaveLength(7);
    expect(starts(input({ durationMinutes: 30 }))).toHaveLength(16);
  });

  // How fast this is, is measured by `npm run bench:slots` (bench/slots-engine.ts), not asserted here.
  it('handles 500 unsorted bookings over 60 days without offering an overlap', () => {
    const now = at('2026-11-01T00:00:00Z');
    const bookings = Array.from({ length: 500 }, (_, i) => {
      const start = now + Math.floor(i / 8) * 86_400_000 + 8 * 3_600_000 + (i % 8) * 3_600_000;
      return { start, end: start + 30 * 60_000 };
    }).reverse();
    const rules = {
      minNoticeHours: 0,
      horizonDays: 90,
      bufferMinutes: 0,
      slotIntervalMinutes: 5,
      maxPerDay: 48,
    };
    const slots = computeSlots(
      input({ now, rules, bookings, durationMinutes: 30, from: '2026-11-01', to: '2026-12-30' }),
    );
    expect(slots.length).toBeGreaterThan(0);
    for (const slot of slots) {
      for (const b of bookings) expect(slot.start < b.end && slot.end > b.start).toBe(false);
    }
  });
});
