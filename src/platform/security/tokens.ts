import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The header a cookie session sends its CSRF token in (the CORS set-up allows it too). */
export const CSRF_HEADER = 'x-csrf-token';

/** 256 random bits, URL-safe. Only its digest is ever stored. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The SHA-256 hex digest a token is stored and looked up by. */
export function tokenDigest(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** An HMAC-SHA256 of `message` under `secret`, URL-safe. */
export function sign(secret: string, message: string): string {
  return createHmac('sha256', secret).update(message, 'utf8').digest('base64url');
}

/** Compares two strings in time independent of where they differ. */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
