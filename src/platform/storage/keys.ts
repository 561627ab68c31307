/** Segments of [a-z0-9], dot, dash or underscore, separated by single slashes; no "." or ".." segment. */
const KEY = /^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*$/;

export class InvalidStorageKeyError extends Error {
  constructor(key: string) {
    super(`invalid storage key ${JSON.stringify(key.slice(0, 200))}`);
    this.name = 'InvalidStorageKeyError';
  }
}

export function assertKey(key: string): void {
  if (key.length > 400 || !KEY.test(key) || key.split('/').some((s) => s === '.' || s === '..')) {
    throw new InvalidStorageKeyError(key);
  }
}
