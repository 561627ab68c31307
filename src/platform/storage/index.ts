import path from 'node:path';
import { LocalStorage } from './local.ts';
import type { Storage } from './storage.ts';

export { assertKey, InvalidStorageKeyError } from './keys.ts';
export type { Storage } from './storage.ts';

/** The media store of this installation: DATA_DIR/media on the local disk. */
export function createMediaStorage(config: { dataDir: string }): Storage {
  return new LocalStorage(path.join(config.dataDir, 'media'));
}
