import type { FastifyInstance } from 'fastify';

/** A form's fields by name: the first value of each (the site's forms repeat no name). */
export type FormBody = Record<string, string>;

/**
 * The most a form of the site sends: the longest field (a 5,000-character message) percent-encoded in UTF-8 is
 * 45,000 bytes, the rest is small.
 */
export const FORM_BODY_LIMIT = 64 * 1024;

/**
 * Reads `application/x-www-form-urlencoded` bodies (what an HTML form POSTs) in `scope` only: the JSON API
 * keeps refusing them with 415, so a form on another site cannot post to it at all.
 */
export function registerFormBody(scope: FastifyInstance): void {
  scope.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: FORM_BODY_LIMIT },
    (_request, body, done) => {
      const fields: FormBody = Object.create(null) as FormBody;
      for (const [name, value] of new URLSearchParams(body as string)) {
        if (!(name in fields)) fields[name] = value;
      }
      done(null, fields);
    },
  );
}

/** A field of a parsed form, '' when it is missing (a body that is no form has no fields). */
export function fieldOf(body: unknown, name: string): string {
  if (typeof body !== 'object' || body === null) return '';
  const value = (body as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : '';
}
