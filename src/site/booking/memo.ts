import type { Site } from '../site.tsx';

/** More keys than this (consultants in two languages) means something asks for junk: start over. */
const CAPACITY = 2000;

/**
 * What the booking pages read on every request and rarely changes (a consultant's public profile), kept as long
 * as the site's cache keeps its pages: the cache is dropped on every change to pages, media, consultants or
 * settings (any instance, on commit), and so is this. While the cache's subscription is down, every request
 * reads afresh, as the pages do.
 */
export class SiteMemo {
  #values = new Map<string, Promise<unknown>>();

  constructor(private readonly site: Site) {
    site.cache.onInvalidate(() => {
      this.#values = new Map();
    });
  }

  async get<T>(key: string, load: () => Promise<T | undefined>): Promise<T | undefined> {
    if (!this.site.cache.listening) return load();
    if (this.#values.size >= CAPACITY) this.#values = new Map();
    const values = this.#values;
    let value = values.get(key) as Promise<T | undefined> | undefined;
    if (!value) {
      value = load();
      values.set(key, value);
      // Nothing found, or a failure, is not kept: the next request asks again.
      value.then(
        (found) => {
          if (found === undefined) values.delete(key);
        },
        () => values.delete(key),
      );
    }
    return value;
  }
}
