import type { FastifyReply, FastifyRequest } from 'fastify';
import { negotiateLocale, type Locale } from '../i18n/index.ts';

/** Adds `field` to the answer's Vary header, keeping what others added (CORS adds Origin). */
export function addVary(reply: FastifyReply, field: string): void {
  const current = reply.getHeader('vary');
  const fields = typeof current === 'string' ? current.split(',').map((f) => f.trim()) : [];
  if (fields.some((f) => f.toLowerCase() === field.toLowerCase() || f === '*')) return;
  void reply.header('vary', [...fields.filter(Boolean), field].join(', '));
}

/** The answer's language: ?lang= wins; else Accept-Language decides, and the answer says it varies by it. */
export function languageOf(request: FastifyRequest, reply: FastifyReply): Locale {
  const { lang } = request.query as { lang?: Locale };
  if (lang) return lang;
  addVary(reply, 'Accept-Language');
  return negotiateLocale(request.headers['accept-language']);
}
