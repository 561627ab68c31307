import { setTimeout as sleep } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { bounded, redact, redactHeaders, redactString, redactUrl } from './redact.ts';
import { insertIntegrationLog } from './repository.ts';

/**
 * The one HTTP client for outside systems (Odoo, Google Calendar). Every attempt is bounded by a timeout and
 * written to integration_logs as its own row (attempt 1, 2, ...), secrets redacted. A call is sent again only
 * when sending it twice is harmless: the caller marks it idempotent (reads, writes of the same values, deletes)
 * or it carries an idempotency key the other side honours. A timed-out create may still have happened, so it
 * is never repeated blindly: the Odoo client searches before it creates instead.
 */

export type IntegrationName = 'odoo' | 'google_calendar';

/** Who and what a call is for: stored with every row it writes. */
export interface CallContext {
  /** admin_users id of the person who triggered it; absent: the system (a job). */
  triggeredBy?: string | null;
  related?: { table: string; id: string } | null;
  /** Groups the rows of one operation run; the clients set it. */
  correlationId?: string;
  /** The failed row an admin retried. */
  retryOf?: string | null;
}

/** The operation and input from which the retry registry can re-run a failed call; free of secrets. */
export interface RetryContext {
  operation: string;
  input: Record<string, unknown>;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface IntegrationRequest {
  /** What the row's operation column says, e.g. "crm.lead.create" or "events.insert" (≤ 50 characters). */
  operation: string;
  method: HttpMethod;
  url: string;
  headers?: Record<string, string>;
  /** A JSON body, or a form (application/x-www-form-urlencoded). */
  json?: unknown;
  form?: Record<string, string>;
  /** Sending it twice does no harm; transient failures are then retried. */
  idempotent: boolean;
  /** A key the other side deduplicates on; such a call is retried too. */
  idempotencyKey?: string;
  /** Statuses that are answers, not failures (a delete's 404 and 410). Default: 2xx. */
  okStatuses?: readonly number[];
  /** An application error inside a successful HTTP answer (JSON-RPC's "error" member). */
  remoteError?: (body: unknown) => RemoteError | null;
  /** Reads code and message from a failed answer's body. */
  describeError?: (status: number, body: unknown) => RemoteError;
  /** Values never to store, wherever they appear (e.g. a password passed as a positional argument). */
  secrets?: readonly (string | undefined)[];
  retryContext?: RetryContext | null;
  timeoutMs?: number;
}

export interface RemoteError {
  code: string;
  message: string;
}

export interface IntegrationResponse<T = unknown> {
  status: number;
  body: T;
  logId: string;
}

export type FailureKind = 'timeout' | 'network' | 'http' | 'remote' | 'config';

const TRANSIENT_STATUSES = new Set([408, 425, 429, 500, 502, 503, 504]);

/** A failed call to an outside system. `transient` ones may succeed when sent again. */
export class IntegrationError extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly details: { status?: number; code?: string; logId?: string; retryAfterMs?: number } = {},
  ) {
    super(message);
    this.name = 'IntegrationError';
  }

  get transient(): boolean {
    if (this.kind === 'timeout' || this.kind === 'network') return true;
    return (
      this.kind === 'http' && this.details.status !== undefined && TRANSIENT_STATUSES.has(this.details.status)
    );
  }

  get status(): number | undefined {
    return this.details.status;
  }
}

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  /** The wait before the second attempt; it doubles after each, with jitter, up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 300, maxDelayMs: 5_000 };

export interface IntegrationHttpOptions {
  db: Kysely<DB>;
  integration: IntegrationName;
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Tests replace the wait between attempts. */
  sleep?: (ms: number) => Promise<unknown>;
}

export function backoffDelay(policy: RetryPolicy, attempt: number, retryAfterMs?: number): number {
  const exponential = policy.baseDelayMs * 2 ** (attempt - 1);
  const jittered = exponential / 2 + Math.random() * (exponential / 2);
  return Math.min(policy.maxDelayMs, Math.max(jittered, retryAfterMs ?? 0));
}

function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function parseBody(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

interface Attempt {
  status?: number;
  body?: unknown;
  error?: IntegrationError;
}

export class IntegrationHttp {
  readonly integration: IntegrationName;
  private readonly db: Kysely<DB>;
  private readonly timeoutMs: number;
  private readonly policy: RetryPolicy;
  private readonly wait: (ms: number) => Promise<unknown>;

  constructor(options: IntegrationHttpOptions) {
    this.db = options.db;
    this.integration = options.integration;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.policy = { ...DEFAULT_RETRY, ...options.retry };
    this.wait = options.sleep ?? ((ms) => sleep(ms));
  }

  get retryPolicy(): RetryPolicy {
    return this.policy;
  }

  /** Waits as between two attempts (for callers that retry whole operations, like search-before-create). */
  pause(attempt: number): Promise<unknown> {
    return this.wait(backoffDelay(this.policy, attempt));
  }

  /** Sends the request, retrying transient failures when that is safe; resolves with the answer or throws. */
  async request<T = unknown>(
    request: IntegrationRequest,
    context: CallContext = {},
  ): Promise<IntegrationResponse<T>> {
    const retryable = request.idempotent || request.idempotencyKey !== undefined;
    const attempts = retryable ? Math.max(1, this.policy.attempts) : 1;
    for (let attempt = 1; ; attempt++) {
      const { logId, outcome } = await this.attempt(request, context, attempt);
      if (!outcome.error) return { status: outcome.status ?? 0, body: outcome.body as T, logId };
      const error = outcome.error;
      if (attempt >= attempts || !error.transient) throw error;
      await this.wait(backoffDelay(this.policy, attempt, error.details.retryAfterMs));
    }
  }

  private async attempt(
    request: IntegrationRequest,
    context: CallContext,
    attempt: number,
  ): Promise<{ logId: string; outcome: Attempt }> {
    const secrets = (request.secrets ?? []).filter((s): s is string => typeof s === 'string' && s !== '');
    const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
    let body: string | undefined;
    if (request.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(request.form).toString();
    } else if (request.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(request.json);
    }

    // fetch refuses URLs with user info: they become Basic authentication (an explicit header wins).
    let target = request.url;
    const parsed = new URL(request.url);
    if (parsed.username || parsed.password) {
      const user = decodeURIComponent(parsed.username);
      const password = decodeURIComponent(parsed.password);
      if (!Object.keys(headers).some((name) => name.toLowerCase() === 'authorization'))
        headers.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
      secrets.push(password);
      parsed.username = '';
      parsed.password = '';
      target = parsed.toString();
    }

    const startedAt = new Date();
    const started = performance.now();
    const outcome: Attempt = {};
    try {
      const response = await fetch(target, {
        method: request.method,
        headers,
        ...(body === undefined ? {} : { body }),
        signal: AbortSignal.timeout(request.timeoutMs ?? this.timeoutMs),
        redirect: 'error',
      });
      outcome.status = response.status;
      outcome.body = parseBody(await response.text());
      const ok = request.okStatuses
        ? request.okStatuses.includes(response.status)
        : response.status >= 200 && response.status < 300;
      if (!ok) {
        const described = request.describeError?.(response.status, outcome.body) ?? {
          code: `http_${response.status}`,
          message: `${request.method} ${request.operation} answered HTTP ${response.status}`,
        };
        const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
        outcome.error = new IntegrationError('http', described.message, {
          status: response.status,
          code: described.code,
          ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
        });
      } else {
        const remote = request.remoteError?.(outcome.body);
        if (remote) {
          outcome.error = new IntegrationError('remote', remote.message, {
            status: response.status,
            code: remote.code,
          });
        }
      }
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        outcome.error = new IntegrationError(
          'timeout',
          `${request.operation} got no answer within ${request.timeoutMs ?? this.timeoutMs} ms`,
          { code: 'timeout' },
        );
      } else {
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        outcome.error = new IntegrationError(
          'network',
          `${request.operation} could not reach ${new URL(request.url).host}: ${cause?.message ?? (error as Error).message}`,
          { code: cause?.code ?? 'network' },
        );
      }
    }
    const durationMs = Math.max(0, Math.round(performance.now() - started));

    const errorMessage = outcome.error ? redactString(outcome.error.message, secrets).slice(0, 2_000) : null;
    const logId = await insertIntegrationLog(this.db, {
      integration_name: this.integration,
      operation: request.operation.slice(0, 50),
      direction: 'outbound',
      endpoint: redactUrl(request.url, secrets).slice(0, 500),
      request_data: JSON.stringify({
        method: request.method,
        headers: redactHeaders(headers, secrets),
        body: bounded(redact(request.form ?? request.json ?? null, secrets)),
      }),
      response_data:
        outcome.status === undefined
          ? null
          : JSON.stringify({ status: outcome.status, body: bounded(redact(outcome.body, secrets)) }),
      status: outcome.error ? (outcome.error.kind === 'timeout' ? 'timeout' : 'error') : 'success',
      error_message: errorMessage,
      error_code: outcome.error?.details.code?.slice(0, 50) ?? null,
      started_at: startedAt,
      completed_at: new Date(startedAt.getTime() + durationMs),
      duration_ms: durationMs,
      triggered_by: context.triggeredBy ?? null,
      related_table: context.related?.table ?? null,
      related_id: context.related?.id ?? null,
      attempt,
      correlation_id: context.correlationId ?? null,
      idempotency_key: request.idempotencyKey?.slice(0, 255) ?? null,
      retry_context: request.retryContext ? JSON.stringify(redact(request.retryContext, secrets)) : null,
      retry_of: context.retryOf ?? null,
    });
    if (outcome.error) {
      // The error the caller sees carries the row it can point to, and no secret either.
      outcome.error = new IntegrationError(outcome.error.kind, errorMessage ?? '', {
        ...outcome.error.details,
        logId,
      });
    }
    return { logId, outcome };
  }
}
