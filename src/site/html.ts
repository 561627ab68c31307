import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { Cacheable } from '../modules/public/index.ts';

/** A page of the site ready to send: its bytes, their digest, and its compressed forms once asked for. */
export interface HtmlAnswer extends Cacheable {
  body: Buffer;
  /** The ETag of the uncompressed bytes ("…"); a compressed form's is derived from it. */
  etag: string;
  status: number;
  /** The Content-Type; HTML unless said otherwise. */
  type?: string;
  br?: Buffer;
  gzip?: Buffer;
}

/** A document from its root element: the doctype, then the element rendered (Preact escapes every text). */
export function htmlAnswer(root: VNode, status = 200, expiresAt?: number): HtmlAnswer {
  return textAnswer(`<!DOCTYPE html>${renderToString(root)}`, 'text/html; charset=utf-8', status, expiresAt);
}

/** Any text the site sends (sitemap.xml, robots.txt) as an answer like a page's. */
export function textAnswer(text: string, type: string, status = 200, expiresAt?: number): HtmlAnswer {
  const body = Buffer.from(text, 'utf8');
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  return { body, etag, status, type, expiresAt };
}

/** Smaller than this, compressing costs more than it saves. */
const MIN_COMPRESS = 1024;

function encodingOf(request: FastifyRequest): 'br' | 'gzip' | undefined {
  const header = request.headers['accept-encoding'];
  if (typeof header !== 'string') return undefined;
  const accepted = header
    .split(',')
    .map((part) => part.trim().split(';'))
    .filter(([, q]) => !q || !/^\s*q=0(\.0*)?\s*$/.test(q))
    .map(([name]) => name?.trim().toLowerCase());
  if (accepted.includes('br')) return 'br';
  if (accepted.includes('gzip')) return 'gzip';
  return undefined;
}

export type Caching = 'public' | 'private' | 'none';

const CACHE_CONTROL: Record<Caching, string> = {
  // Shared caches may keep a page a minute; the ETag makes a later check cheap.
  public: 'public, max-age=60',
  // A visitor's own answers (a search, a booking step): the browser may keep them, nobody else.
  private: 'private, no-cache',
  // Forms with a one-time token, previews: never kept.
  none: 'no-store',
};

/**
 * Sends a page: 304 when the client has these bytes (If-None-Match), otherwise the body in the best encoding
 * the client accepts (brotli, gzip), each computed once per answer (a cached answer keeps them).
 */
export function sendHtml(
  request: FastifyRequest,
  reply: FastifyReply,
  answer: HtmlAnswer,
  caching: Caching,
): FastifyReply {
  void reply.header('cache-control', CACHE_CONTROL[caching]).header('vary', 'Accept-Encoding');
  const encoding = answer.body.length >= MIN_COMPRESS ? encodingOf(request) : undefined;
  const etag = encoding ? `${answer.etag.slice(0, -1)}-${encoding}"` : answer.etag;
  if (caching !== 'none') void reply.header('etag', etag);
  const match = request.headers['if-none-match'];
  if (caching !== 'none' && answer.status === 200 && match && matches(match, answer.etag)) {
    return reply.status(304).send();
  }
  void reply.status(answer.status).header('content-type', answer.type ?? 'text/html; charset=utf-8');
  if (encoding === 'br') {
    answer.br ??= brotliCompressSync(answer.body, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 6, [constants.BROTLI_PARAM_SIZE_HINT]: answer.body.length },
    });
    return reply.header('content-encoding', 'br').send(answer.br);
  }
  if (encoding === 'gzip') {
    answer.gzip ??= gzipSync(answer.body, { level: 6 });
    return reply.header('content-encoding', 'gzip').send(answer.gzip);
  }
  return reply.send(answer.body);
}

/** Whether an If-None-Match header names this answer in any of its encodings. */
function matches(header: string, etag: string): boolean {
  const base = etag.slice(1, -1);
  return header.split(',').some((tag) => {
    const value = tag.trim().replace(/^W\//, '').replace(/^"|"$/g, '');
    return value === '*' || value === base || value === `${base}-br` || value === `${base}-gzip`;
  });
}
