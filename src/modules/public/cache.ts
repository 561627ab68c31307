import type { Database } from '../../platform/db/connection.ts';

/** Every statement that changes pages NOTIFYs this channel (migration 0015); the public cache listens to it. */
export const PAGES_CHANNEL = 'pages_changed';

/** An answer ready to send: the JSON text and its ETag. */
export interface Rendered {
  body: string;
  etag: string;
  /** Epoch ms after which the answer may be wrong without any change (a publication time is reached). */
  expiresAt?: number;
}

/**
 * Rendered public answers (pages by slug and language, the navigation) in this instance's memory, at most
 * `capacity` of them, least recently used dropped first. Any change to the pages table, on any instance, drops
 * them all (a page's path, breadcrumbs and the navigation depend on other pages): the table's trigger NOTIFYs
 * `pages_changed` when the writing transaction commits. Like the settings cache, it only answers from memory
 * while the subscription is live; before start(), after stop() and while the server connection is down,
 * every request renders from the database.
 */
export class PublicCache {
  readonly #entries = new Map<string, Rendered>();
  /** One database read per key at a time: concurrent misses wait for the same render. */
  readonly #pending = new Map<string, Promise<Rendered | undefined>>();
  /** Moves on every invalidation: a render that began before one must not be kept. */
  #generation = 0;
  #listening = false;
  #unlisten: (() => Promise<void>) | undefined;

  constructor(
    private readonly database: Database,
    readonly capacity = 1000,
  ) {}

  get listening(): boolean {
    return this.#listening;
  }

  get size(): number {
    return this.#entries.size;
  }

  async start(): Promise<void> {
    if (this.#unlisten) return;
    this.#unlisten = await this.database.listen(
      PAGES_CHANNEL,
      () => {
        this.invalidate();
      },
      (live) => {
        this.#listening = live;
        this.invalidate();
      },
    );
    this.#listening = true;
    this.invalidate();
  }

  async stop(): Promise<void> {
    this.#listening = false;
    this.invalidate();
    const unlisten = this.#unlisten;
    this.#unlisten = undefined;
    await unlisten?.();
  }

  invalidate(): void {
    this.#generation += 1;
    this.#entries.clear();
    this.#pending.clear();
  }

  /** The cached answer for `key`, or `render`'s (kept when nothing changed meanwhile); undefined: none. */
  load(key: string, render: () => Promise<Rendered | undefined>): Promise<Rendered | undefined> {
    if (!this.#listening) return render();
    let hit = this.#entries.get(key);
    if (hit?.expiresAt !== undefined && hit.expiresAt <= Date.now()) {
      this.#entries.delete(key);
      hit = undefined;
    }
    if (hit) {
      // Most recently used goes last; Map keeps insertion order, so the first key is the eviction candidate.
      this.#entries.delete(key);
      this.#entries.set(key, hit);
      return Promise.resolve(hit);
    }
    const pending = this.#pending.get(key);
    if (pending) return pending;
    const generation = this.#generation;
    const loading = render().then(
      (answer) => {
        if (this.#pending.get(key) === loading) this.#pending.delete(key);
        if (answer && this.#listening && generation === this.#generation) this.#put(key, answer);
        return answer;
      },
      (error: unknown) => {
        if (this.#pending.get(key) === loading) this.#pending.delete(key);
        throw error;
      },
    );
    this.#pending.set(key, loading);
    return loading;
  }

  #put(key: string, answer: Rendered): void {
    this.#entries.set(key, answer);
    while (this.#entries.size > this.capacity) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) break;
      this.#entries.delete(oldest.value);
    }
  }
}
