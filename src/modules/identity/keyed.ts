import { createHmac, hkdfSync } from 'node:crypto';

/**
 * What a keyed digest is for: each purpose gets its own key, so a digest made for one can never be mistaken for
 * (or replayed as) another.
 */
export type KeyedPurpose = 'recovery-code' | 'login-address' | 'refresh-rotation';

/**
 * A key derived from APP_SECRET for one purpose, the way src/platform/security/crypto.ts derives its encryption
 * keys (HKDF-SHA-256, salt 'magnetiq', info 'magnetiq:<purpose>'); the purposes here are not those of crypto.ts.
 */
function keyFor(appSecret: string, purpose: KeyedPurpose): Buffer {
  return Buffer.from(hkdfSync('sha256', appSecret, 'magnetiq', `magnetiq:${purpose}`, 32));
}

/** HMAC-SHA-256 of `message` under the purpose's key. */
export function keyedHmac(appSecret: string, purpose: KeyedPurpose, message: string): Buffer {
  return createHmac('sha256', keyFor(appSecret, purpose)).update(message, 'utf8').digest();
}

/**
 * A keyed digest to store and look up by (64 hex characters, what the digest CHECKs of the tables accept).
 * Unlike a plain SHA-256, it cannot be checked against guesses by someone who has the table but not APP_SECRET.
 */
export function keyedDigest(appSecret: string, purpose: KeyedPurpose, message: string): string {
  return keyedHmac(appSecret, purpose, message).toString('hex');
}
