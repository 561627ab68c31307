import { describe, expect, it } from 'vitest';
import {
  holidayProblem,
  hoursAreValid,
  nextRange,
  normalizeHolidays,
  normalizeHours,
  rangeProblems,
} from '../../admin/src/resources/consultants/hours.ts';

/**
 * The consultant editor's rules for working hours and time off, which must match the API's (a range the panel
 * lets through and the API refuses would lose the user a save): end after start, 24:00 only as an end, no
 * overlap (touching is fine), sorted by start when sent; time off from <= to.
 */
describe('the panel’s working-hours rules', () => {
  it('marks a range ending before it starts, a missing time, and the later of two overlapping ranges', () => {
    expect(
      rangeProblems([
        { start: '09:00', end: '12:00' },
        { start: '11:00', end: '13:00' },
        { start: '14:00', end: '14:00' },
        { start: '', end: '16:00' },
      ]),
    ).toEqual([
      null,
      { kind: 'overlap', with: { start: '09:00', end: '12:00' } },
      { kind: 'order' },
      { kind: 'missing' },
    ]);
  });

  it('lets touching ranges, ranges out of order and an end of 24:00 through, and sorts them for the API', () => {
    const week = {
      mon: [
        { start: '13:00', end: '24:00' },
        { start: '09:00', end: '13:00' },
      ],
      tue: [],
    };
    expect(hoursAreValid(week)).toBe(true);
    expect(normalizeHours(week)).toEqual({
      mon: [
        { start: '09:00', end: '13:00' },
        { start: '13:00', end: '24:00' },
      ],
    });
    expect(normalizeHours({ wed: [] })).toBeNull();
    expect(hoursAreValid({ thu: [{ start: '24:00', end: '24:00' }] })).toBe(false);
  });

  it('offers 09:00–17:00 on an empty day, else the hour after the last range', () => {
    expect(nextRange([])).toEqual({ start: '09:00', end: '17:00' });
    expect(nextRange([{ start: '09:00', end: '12:00' }])).toEqual({ start: '13:00', end: '17:00' });
    expect(nextRange([{ start: '18:00', end: '23:30' }])).toEqual({ start: '23:00', end: '24:00' });
  });

  it('checks time off and sends it sorted, without empty notes', () => {
    expect(holidayProblem({ from: '2026-12-24', to: '2026-12-26' })).toBeNull();
    expect(holidayProblem({ from: '2026-12-26', to: '2026-12-24' })).toBe('order');
    expect(holidayProblem({ from: '2026-12-24' })).toBe('missing');
    expect(
      normalizeHolidays([
        { from: '2026-12-24', to: '2026-12-26', note: ' ' },
        { from: '2026-08-01', to: '2026-08-14', note: 'Summer' },
      ]),
    ).toEqual([
      { from: '2026-08-01', to: '2026-08-14', note: 'Summer' },
      { from: '2026-12-24', to: '2026-12-26' },
    ]);
    expect(normalizeHolidays([])).toBeNull();
  });
});
