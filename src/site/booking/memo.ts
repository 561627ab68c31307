import { textAnswer } from '../html.ts';
import type { Site } from '../site.tsx';

const MARKER = '\u0000booking-memo';
/** More keys than this (consultants in two languages and the frame) means something asks for junk: start over. */
const CAPACITY = 2000;

/**
 * What the booking pages read on every request and rarely changes — the site's frame (menu, footer), a
 * consultant's public profile — kept as long as the site's cache keeps its pages: the cache is dropped on every
 * change to pages, media, consultants or settings (any instance, on commit), and so is this. It knows by a marker
 * entry it keeps in that cache: a new marker object means the cache was dropped (or does not keep anything
 * while its subscription is down, when every request reads afresh, as the pages do).
 */
export class SiteMemo {
  #marker: unknown;
  #values = new Map<string, Promise<unknown>>();

  constructor(private readonly site: Site) {}

  async get<T>(key: string, load: () => Promise<T | undefined>): Promise<T | undefined> {
    const marker = await this.site.cache.load(MARKER, () => Promise.resolve(textAnswer('', 'text/plain')));
    if (marker !== this.#marker || this.#values.size >= CAPACITY) {
      this.#marker = marker;
      this.#values = new Map();
    }
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
