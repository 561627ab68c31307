/**
 * The availability engine alone, without HTTP or database: `npm run bench:slots`.
 *
 * A consultant in Europe/Berlin working 06:00–24:00 every day with 500 confirmed 30-minute bookings spread over
 * 60 days, asked for 60-minute slots over the whole 60 days, seen from Berlin and from New York (another zone,
 * so every slot is formatted in a zone other than the consultant's). Prints the median and p99 over many runs
 * of the computation and of the formatting the slots API adds (local date, start/end in the client's zone).
 *
 * Environment: BENCH_ITERATIONS (default 200).
 */
import {
  computeSlots,
  formatLocal,
  localDate,
  type AvailabilityInput,
} from '../src/modules/availability/engine.ts';

const DAY = 86_400_000;
const iterations = Number(process.env['BENCH_ITERATIONS'] ?? 200);
if (!Number.isInteger(iterations) || iterations <= 0)
  throw new Error('BENCH_ITERATIONS must be a positive integer');

const now = Date.parse('2026-11-01T00:00:00Z');
const allDay = [{ start: '06:00', end: '24:00' }];
// Nine places a day two hours apart (05:15, 07:15 … 21:15 UTC), the first 500 of them taken.
const bookings = Array.from({ length: 500 }, (_, i) => {
  const start = now + 2 * DAY + Math.floor(i / 9) * DAY + (5 * 60 + 15 + (i % 9) * 120) * 60_000;
  return { start, end: start + 30 * 60_000 };
});

function input(timezone: string): AvailabilityInput {
  return {
    workingHours: {
      mon: allDay,
      tue: allDay,
      wed: allDay,
      thu: allDay,
      fri: allDay,
      sat: allDay,
      sun: allDay,
    },
    holidays: [],
    consultantTimezone: 'Europe/Berlin',
    bookings,
    busy: [],
    rules: { minNoticeHours: 24, horizonDays: 60, bufferMinutes: 15, slotIntervalMinutes: 30, maxPerDay: 25 },
    now,
    from: '2026-11-01',
    to: '2026-12-30',
    timezone,
    durationMinutes: 60,
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

for (const timezone of ['Europe/Berlin', 'America/New_York']) {
  const compute: number[] = [];
  const format: number[] = [];
  let count = 0;
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    const slots = computeSlots(input(timezone));
    const t1 = performance.now();
    const views = slots.map((s) => ({
      date: localDate(s.start, timezone),
      start_local: formatLocal(s.start, timezone),
      end_local: formatLocal(s.end, timezone),
    }));
    const t2 = performance.now();
    compute.push(t1 - t0);
    format.push(t2 - t1);
    count = views.length;
  }
  compute.sort((a, b) => a - b);
  format.sort((a, b) => a - b);
  const ms = (v: number) => v.toFixed(2);
  console.log(
    `${timezone}: ${count} slots from 500 bookings over 60 days; ` +
      `compute p50 ${ms(percentile(compute, 50))} ms, p99 ${ms(percentile(compute, 99))} ms; ` +
      `format p50 ${ms(percentile(format, 50))} ms, p99 ${ms(percentile(format, 99))} ms ` +
      `(${iterations} runs)`,
  );
}
