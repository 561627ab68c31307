import { ChangeFeed } from '../../platform/db/changes.ts';
import type { Database } from '../../platform/db/connection.ts';

/** Every statement that changes pages NOTIFYs this channel (migration 0015); the public cache listens to it. */
export const PAGES_CHANNEL = 'pages_changed';

/** What the cache keeps: anything that may say when it goes stale by itself. */
export interface Cacheable {
  /** Epoch ms after which the answer may be wrong without any change (a publication time is reached). */
  expiresAt?: number | undefined;
}

/** An answer ready to send: the JSON text and its ETag. */
export interface Rendered extends Cacheable {
  body: string;
  etag: string;
}

/**
 * Rendered public answers (pages by slug and language, the navigation, the site's HTML) in this instance's
 * memory, at most `capacity` of them, least recently used dropped first. Any change to what they are made of,
 * on any instance, drops them all (a page's path, breadcrumbs and the navigation depend on other pages): the
 * tables' triggers NOTIFY `channels` (by default `pages_changed`) when the writing transaction commits. Like the
 * settings cache, it only answers from memory while every subscription is live; before start(), after stop()
 * and while the server connection is down, every request renders from the database.
 */
export class PublicCache<T extends Cacheable = Rendered> {
  readonly #entries = new Map<string, T>();
  /** One database read per key at a time: concurrent misses wait for the same render. */
  readonly #pending = new Map<string, Promise<T | undefined>>();
  /** Moves on every invalidation: a render that began before one must not be kept. */
  #generation = 0;
  readonly #feed: ChangeFeed;

  constructor(
    database: Database,
    readonly capacity = 1000,
    readonly channels: readonly string[] = [PAGES_CHANNEL],
  ) {
    this.#feed = new ChangeFeed(database, channels, () => {
      this.invalidate();
    });
  }

  get listening(): boolean {
    return this.#feed.live;
  }

  get size(): number {
    return this.#entries.size;
  }

  start(): Promise<void> {
    return this.#feed.start();
  }

  stop(): Promise<void> {
    return this.#feed.stop();
  }

  invalidate(): void {
    this.#generation += 1;
    this.#entries.clear();
    this.#pending.clear();
    for (const listener of this.#listeners) listener();
  }

  readonly #listeners: (() => void)[] = [];

  /** Calls `listener` whenever the copy is dropped: for what a user keeps beside it (made of the same tables). */
  onInvalidate(listener: () => void): void {
    this.#listeners.push(listener);
  }

  /** The cached answer for `key`, or `render`'s (kept when nothing changed meanwhile); undefined: none. */
  load(key: string, render: () => Promise<T | undefined>): Promise<T | undefined> {
    if (!this.listening) return render();
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
        if (answer && this.listening && generation === this.#generation) this.#put(key, answer);
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

  #put(key: string, answer: T): void {
    this.#entries.set(key, answer);
    while (this.#entries.size > this.capacity) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) break;
      this.#entries.delete(oldest.value);
    }
  }
}
