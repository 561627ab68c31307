import pg from 'pg';
import { Mutex } from './mutex.ts';

/** Told whether a subscription is live; between `false` and the next `true`, notifications may be missed. */
export type ListenStatus = (live: boolean) => void;

const RETRY_FIRST_MS = 250;
const RETRY_MAX_MS = 10_000;

/** Channel names are identifiers we choose; refuse anything that would need quoting rules to be safe. */
export function checkChannel(channel: string): void {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(channel)) throw new Error(`invalid NOTIFY channel name: ${channel}`);
}

interface Subscriber {
  onMessage: (payload: string) => void;
  onStatus: ListenStatus;
}

/**
 * LISTEN on a PostgreSQL server: every channel a process subscribes to, over one connection of its own (a
 * pooled one would be handed to others), however many parts of it listen. When the connection drops, every
 * subscriber is told `onStatus(false)` (messages may be lost) and it reconnects with backoff; once it listens
 * to every channel again, `onStatus(true)`. The connection is opened by the first subscription and closed
 * after the last one ends.
 */
export class ListenHub {
  readonly #channels = new Map<string, Set<Subscriber>>();
  /** Connecting, LISTEN and UNLISTEN one at a time, so that no channel is missed or listened to twice. */
  readonly #lock = new Mutex();
  #client: pg.Client | undefined;
  #retryMs = RETRY_FIRST_MS;
  #timer: NodeJS.Timeout | undefined;
  /** Subscribers were told that the connection dropped and not yet that it is back. */
  #down = false;

  constructor(private readonly url: string) {}

  /**
   * Resolves once the channel is listened to (rejects if it could not be: no connection), to the function that
   * ends this subscription.
   */
  async listen(
    channel: string,
    onMessage: (payload: string) => void,
    onStatus: ListenStatus = () => undefined,
  ): Promise<() => Promise<void>> {
    checkChannel(channel);
    const subscriber: Subscriber = { onMessage, onStatus };
    await this.#lock.run(async () => {
      const subscribers = this.#channels.get(channel) ?? new Set<Subscriber>();
      const first = subscribers.size === 0;
      subscribers.add(subscriber);
      this.#channels.set(channel, subscribers);
      try {
        if (this.#client) {
          if (first) await this.#client.query(`LISTEN ${channel}`);
        } else {
          await this.#connect(subscriber);
        }
      } catch (error) {
        this.#forget(channel, subscriber);
        // #connect stopped the reconnecting of those already subscribed: it goes on.
        if (this.#down) this.#schedule();
        throw error;
      }
    });
    let ended = false;
    return async () => {
      if (ended) return;
      ended = true;
      await this.#lock.run(async () => {
        if (!this.#forget(channel, subscriber)) return;
        if (this.#channels.size === 0) await this.#close();
        else await this.#client?.query(`UNLISTEN ${channel}`).catch(() => undefined);
      });
    };
  }

  /** Every subscriber (but `except`): whether the connection listens. */
  #tell(live: boolean, except?: Subscriber): void {
    for (const subscribers of this.#channels.values()) {
      for (const subscriber of subscribers) if (subscriber !== except) subscriber.onStatus(live);
    }
  }

  /** Removes a subscriber; true when its channel has none left. */
  #forget(channel: string, subscriber: Subscriber): boolean {
    const subscribers = this.#channels.get(channel);
    if (!subscribers?.delete(subscriber) || subscribers.size > 0) return false;
    this.#channels.delete(channel);
    return true;
  }

  /**
   * A new connection listening to every channel subscribed to (called under the lock): by the first
   * subscription, by one while the connection is down, or to reconnect. Those who were told it dropped (but
   * `newcomer`) hear that it is back.
   */
  async #connect(newcomer?: Subscriber): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    const client = new pg.Client({
      connectionString: this.url,
      application_name: 'magnetiq-listen',
      keepAlive: true,
    });
    // Until every LISTEN has succeeded, a failure surfaces as the rejection of #connect(); afterwards, by drop().
    let live = false;
    // A drop of the connection in use (not of one #close ended).
    const drop = (): void => {
      if (!live || this.#client !== client) return;
      live = false;
      this.#client = undefined;
      void client.end().catch(() => undefined);
      this.#down = true;
      this.#tell(false);
      this.#schedule();
    };
    client.on('notification', (message) => {
      for (const s of this.#channels.get(message.channel) ?? []) s.onMessage(message.payload ?? '');
    });
    client.on('error', drop);
    client.on('end', drop);
    try {
      await client.connect();
      for (const channel of this.#channels.keys()) await client.query(`LISTEN ${channel}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    live = true;
    this.#client = client;
    this.#retryMs = RETRY_FIRST_MS;
    if (this.#down) {
      this.#down = false;
      this.#tell(true, newcomer);
    }
  }

  /** Reconnects after a drop, with backoff, while anybody listens. */
  #schedule(): void {
    if (this.#timer || this.#channels.size === 0) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#lock.run(async () => {
        if (this.#client || this.#channels.size === 0) return;
        try {
          await this.#connect();
        } catch {
          this.#retryMs = Math.min(this.#retryMs * 2, RETRY_MAX_MS);
          this.#schedule();
        }
      });
    }, this.#retryMs);
    this.#timer.unref();
  }

  /** Ends the connection (called under the lock, when nobody listens any more). */
  async #close(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#down = false;
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => undefined);
  }
}
