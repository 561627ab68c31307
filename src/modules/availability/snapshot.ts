import { ChangeFeed } from '../../platform/db/changes.ts';
import type { Database } from '../../platform/db/connection.ts';
import type { Interval } from './engine.ts';

/** Changes to bookings (migration 0024) and to consultants (0022) make a kept schedule or booking list wrong. */
const CHANNELS = ['bookings_changed', 'site_changed'];
/** How far around "now" a consultant's bookings are kept: the longest range the slots API is asked for. */
const KEEP_DAYS_BEFORE = 3;
/** Consultants kept at most (each a schedule and a list of intervals). */
const CAPACITY = 1000;
const DAY = 24 * 3_600_000;

interface KeptBookings {
  /** What was read: every blocking booking that overlaps it. */
  span: Interval;
  intervals: Interval[];
}

/**
 * What the public slots read on every request and what changes only when someone books, cancels or edits a
 * consultant: each consultant's schedule and blocking bookings, kept in this instance's memory and dropped on any
 * commit that changes bookings or consultants, on any instance (LISTEN). While a subscription is down, or for a
 * read inside a transaction (a booking's re-check) or a move (its own booking left out), nothing is kept.
 */
export class AvailabilitySnapshot<Schedule> {
  #schedules = new Map<string, Promise<Schedule | undefined>>();
  #bookings = new Map<string, Promise<KeptBookings>>();
  #generation = 0;
  readonly #feed: ChangeFeed;

  constructor(database: Database) {
    this.#feed = new ChangeFeed(database, CHANNELS, () => {
      this.drop();
    });
  }

  get listening(): boolean {
    return this.#feed.live;
  }

  start(): Promise<void> {
    return this.#feed.start();
  }

  stop(): Promise<void> {
    return this.#feed.stop();
  }

  drop(): void {
    this.#generation += 1;
    this.#schedules = new Map();
    this.#bookings = new Map();
  }

  /** The consultant's schedule, kept while nothing changes. */
  schedule(id: string, read: () => Promise<Schedule | undefined>): Promise<Schedule | undefined> {
    if (!this.listening) return read();
    return this.#keep(this.#schedules, id, read);
  }

  /**
   * The consultant's blocking bookings that overlap `span`: from a kept list read for the whole horizon around
   * `now`, or read as asked when `span` reaches past it.
   */
  async bookings(
    id: string,
    span: Interval,
    now: number,
    horizonDays: number,
    read: (span: Interval) => Promise<Interval[]>,
  ): Promise<Interval[]> {
    if (!this.listening) return read(span);
    let kept = await this.#keep(this.#bookings, id, async () => {
      const wide = { start: now - KEEP_DAYS_BEFORE * DAY, end: now + (horizonDays + KEEP_DAYS_BEFORE) * DAY };
      return { span: wide, intervals: await read(wide) };
    });
    if (span.start < kept.span.start || span.end > kept.span.end) {
      // Time moved on past the kept span (or an odd range): read afresh and keep that.
      this.#bookings.delete(id);
      kept = await this.#keep(this.#bookings, id, async () => {
        const wide = {
          start: Math.min(span.start, now - KEEP_DAYS_BEFORE * DAY),
          end: Math.max(span.end, now + (horizonDays + KEEP_DAYS_BEFORE) * DAY),
        };
        return { span: wide, intervals: await read(wide) };
      });
    }
    return kept.intervals.filter((b) => b.start < span.end && b.end > span.start);
  }

  #keep<T>(map: Map<string, Promise<T>>, key: string, read: () => Promise<T>): Promise<T> {
    const kept = map.get(key);
    if (kept) return kept;
    if (map.size >= CAPACITY) map.clear();
    const generation = this.#generation;
    const reading = read();
    map.set(key, reading);
    reading.then(
      (value) => {
        // A change committed while reading: the value may predate it; the next request reads again.
        if (generation !== this.#generation || value === undefined) map.delete(key);
      },
      () => map.delete(key),
    );
    return reading;
  }
}
