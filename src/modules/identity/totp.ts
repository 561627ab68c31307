import { randomBytes } from 'node:crypto';
import * as OTPAuth from 'otpauth';
import QRCode from 'qrcode';
import { decryptSecret, encryptSecret } from '../../platform/security/crypto.ts';
import { keyedDigest } from './keyed.ts';

const ISSUER = 'voltAIc Systems';
const PERIOD = 30;
const PURPOSE = 'totp';

function totp(secretBase32: string, label: string): OTPAuth.TOTP {
  return new OTPAuth.TOTP({
    issuer: ISSUER,
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD,
    secret: OTPAuth.Secret.fromBase32(secretBase32),
  });
}

export interface Enrolment {
  /** Base32, for typing into an app by hand. */
  secret: string;
  otpauthUri: string;
  /** The URI as an SVG QR code. */
  qrSvg: string;
  /** What is stored: the secret sealed with APP_SECRET. */
  sealed: string;
}

export async function newEnrolment(appSecret: string, email: string): Promise<Enrolment> {
  const secret = new OTPAuth.Secret({ size: 20 }).base32;
  const otpauthUri = totp(secret, email).toString();
  const qrSvg = await QRCode.toString(otpauthUri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return { secret, otpauthUri, qrSvg, sealed: encryptSecret(appSecret, PURPOSE, secret) };
}

/**
 * The time step a code belongs to, when it is valid now (one step of clock drift either way), else null.
 * Callers accept a step only when it is later than the last one used, so a code works once.
 */
export function matchingStep(appSecret: string, sealed: string, code: string, now: Date): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const secret = decryptSecret(appSecret, PURPOSE, sealed);
  const delta = totp(secret, 'x').validate({ token: code, timestamp: now.getTime(), window: 1 });
  if (delta === null) return null;
  return Math.floor(now.getTime() / 1000 / PERIOD) + delta;
}

/** The code an authenticator app shows at `now` for a Base32 secret (tests use it). */
export function currentCode(secretBase32: string, now: Date): string {
  return totp(secretBase32, 'x').generate({ timestamp: now.getTime() });
}

const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** Ten codes like `k7mq2-xw9fa`; only their digests are stored. */
export function newRecoveryCodes(count = 10): string[] {
  return Array.from({ length: count }, () => {
    const bytes = randomBytes(10);
    const letters = [...bytes].map((b) => RECOVERY_ALPHABET.charAt(b % RECOVERY_ALPHABET.length)).join('');
    return `${letters.slice(0, 5)}-${letters.slice(5)}`;
  });
}

/**
 * What a recovery code is stored and looked up by: an HMAC-SHA-256 under a key derived from APP_SECRET (a code
 * has only about 49 bits, so a plain SHA-256 taken from a copy of the table could be reversed by trying them
 * all). Compared case- and dash-insensitively. Codes stored as plain SHA-256 digests before this no longer
 * match; no deployment had any, so none needs to keep working. Changing APP_SECRET voids them, as it voids
 * the TOTP secrets.
 */
export function recoveryDigest(appSecret: string, code: string): string {
  return keyedDigest(appSecret, 'recovery-code', code.toLowerCase().replace(/[^a-z0-9]/g, ''));
}

export function looksLikeRecoveryCode(code: string): boolean {
  return /^[a-z0-9]{5}-?[a-z0-9]{5}$/i.test(code.trim());
}
