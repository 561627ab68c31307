import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { safeEqual, sign } from '../../platform/security/tokens.ts';

/**
 * CSRF protection of the website's forms: a signed double submit. The browser holds a random value in an
 * HttpOnly, SameSite=Lax cookie; every form carries that value's HMAC under the app secret in a hidden field.
 * A POST counts only when the field is the signature of the cookie it came with: another site can make a
 * browser send the cookie, but cannot read it or the page, so cannot write the matching field; a value it set
 * itself (a cookie planted through a sibling domain) fails the signature.
 */

export const CSRF_COOKIE = 'site_csrf';
export const CSRF_FIELD = '_csrf';
const PURPOSE = 'site-form';
/** 32 random bytes, base64url: exactly 43 characters. */
const VALUE = /^[A-Za-z0-9_-]{43}$/;
/** A year: the value is no secret on its own (the signature is), and a visitor's open form keeps working. */
const MAX_AGE = 365 * 24 * 3600;

export interface CsrfOptions {
  secret: string;
  /** Served over https: the cookie is Secure. */
  secure: boolean;
}

function signature(secret: string, value: string): string {
  return sign(secret, `${PURPOSE}:${value}`);
}

/**
 * The hidden field's value for a form on this answer: the signature of the visitor's cookie, which is set
 * first when missing or malformed. The answer must not be cached by anyone (it is the visitor's own).
 */
export function csrfToken(request: FastifyRequest, reply: FastifyReply, options: CsrfOptions): string {
  let value = request.cookies[CSRF_COOKIE];
  if (typeof value !== 'string' || !VALUE.test(value)) {
    value = randomBytes(32).toString('base64url');
    // A later form on the same answer (or a re-render after a refusal) reads the same value.
    request.cookies[CSRF_COOKIE] = value;
    void reply.setCookie(CSRF_COOKIE, value, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: options.secure,
      maxAge: MAX_AGE,
    });
  }
  return signature(options.secret, value);
}

/** Whether a POST's field matches the cookie it came with. */
export function csrfValid(request: FastifyRequest, field: unknown, secret: string): boolean {
  const value = request.cookies[CSRF_COOKIE];
  if (typeof value !== 'string' || !VALUE.test(value) || typeof field !== 'string') return false;
  return safeEqual(field, signature(secret, value));
}
