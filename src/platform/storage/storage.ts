import type { Readable } from 'node:stream';

/**
 * Where uploaded files live. Keys are made by the code that stores a file (e.g. `ab/cd/<sha256>.png`), never
 * taken from a client; every driver still refuses a key that is not plain lower-case segments, so nothing a
 * client sent can name a place outside the store. Local disk now; an S3-compatible driver implements the same.
 */
export interface Storage {
  /** Stores `bytes` under `key`, replacing what was there; readers never see a half-written file. */
  put(key: string, bytes: Buffer): Promise<void>;
  /** The stored bytes as a stream, with their size; null when there is nothing under `key`. */
  get(key: string): Promise<{ stream: Readable; size: number } | null>;
  /** Removes `key`; nothing under it is fine. */
  delete(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
}
