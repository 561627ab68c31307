import type { Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { SettingsReader } from '../settings/index.ts';
import type { BookingRow } from './repository/index.ts';

/** What just happened to a booking. */
export type BookingChange = 'created' | 'rescheduled' | 'cancelled' | 'completed' | 'no_show';

export interface BookingChangeEvent {
  change: BookingChange;
  /** The booking as it is now (inside the transaction that changed it). */
  booking: BookingRow;
  /** The booking before a reschedule, a cancellation or an outcome. */
  previous?: BookingRow;
  /** The changing transaction: what an effect enqueues here exists only if the change commits. */
  trx: Transaction<DB>;
  /**
   * The settings, read before the transaction began. Effects read settings through this, never through the
   * settings service: on PGlite a cache miss inside the transaction would wait for the transaction itself.
   */
  settings: SettingsReader;
}

export type BookingEffect = (event: BookingChangeEvent) => Promise<void>;

/**
 * The consequences of a booking's changes (mails, the reminder, the Google event, the Odoo partner), each
 * registered by its own module. They run inside the changing transaction and only enqueue jobs there, so a
 * change and everything it owes the outside world commit together, and an outage outside never undoes a booking.
 */
export class BookingEffects {
  private readonly effects: BookingEffect[] = [];

  add(effect: BookingEffect): void {
    this.effects.push(effect);
  }

  async run(event: BookingChangeEvent): Promise<void> {
    for (const effect of this.effects) await effect(event);
  }
}
