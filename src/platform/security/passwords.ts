import { randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import bcrypt from 'bcryptjs';

/** argon2id with the library's OWASP-conform defaults (64 MiB, 3 passes). */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

/** Verifies argon2 hashes and the bcrypt hashes of the spec's seed format ($2a$/$2b$/$2y$). */
export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  if (/^\$2[aby]\$/.test(hash)) return bcrypt.compare(password, hash);
  if (hash.startsWith('$argon2')) return argon2.verify(hash, password).catch(() => false);
  return false;
}

/** True when the hash should be replaced by a fresh argon2id one after a successful login. */
export function needsRehash(hash: string): boolean {
  return !hash.startsWith('$argon2id$') || argon2.needsRehash(hash);
}

/** 24 characters from a 57-letter alphabet without look-alikes (about 140 bits). */
export function generatePassword(length = 24): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  const bytes = randomBytes(length * 2);
  let out = '';
  for (const byte of bytes) {
    // Rejection sampling keeps every letter equally likely.
    if (byte < 256 - (256 % alphabet.length)) out += alphabet.charAt(byte % alphabet.length);
    if (out.length === length) break;
  }
  return out.length === length ? out : generatePassword(length);
}
