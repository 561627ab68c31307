import rateLimit from '@fastify/rate-limit';
import type { FastifyContextConfig, FastifyInstance } from 'fastify';

/**
 * Lets routes opt into a per-client-IP limit with `config` from `perIpLimit`; no route is limited otherwise.
 * Registered on the root, before the routes that use it (its onRoute hook sees only routes added later). The
 * counts live in this instance's memory. Over the limit a request gets 429 rate.limited with Retry-After.
 */
export async function registerRouteRateLimits(app: FastifyInstance): Promise<void> {
  await app.register(rateLimit, { global: false });
}

/** The route config of a limit of `max` requests per minute and client IP, counted per route; 0 is none. */
export function perIpLimit(max: number): Pick<FastifyContextConfig, 'rateLimit'> {
  return max > 0 ? { rateLimit: { max, timeWindow: '1 minute' } } : {};
}
