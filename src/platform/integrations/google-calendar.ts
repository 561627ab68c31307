import { createHash, randomUUID } from 'node:crypto';
import { importPKCS8, SignJWT } from 'jose';
import {
  IntegrationError,
  type CallContext,
  type IntegrationHttp,
  type IntegrationResponse,
  type RemoteError,
} from './http.ts';

/**
 * Google Calendar API v3 with a service account (an RS256 JWT exchanged at the token endpoint) or an OAuth
 * refresh token. Access tokens are cached until shortly before they expire. Inserts are idempotent: the event
 * id is derived from the caller's request id (Google lets clients choose ids and answers 409 for a taken one),
 * and the same request id goes into conferenceData.createRequest, so a repeated insert finds the event it
 * made instead of making a second one. Deleting an event that is gone already (404, 410) counts as done.
 */

export const CALENDAR_SCOPE = 'https://www.googleapis.com/auth/calendar';
export const DEFAULT_TOKEN_URI = 'https://oauth2.googleapis.com/token';
export const DEFAULT_API_BASE = 'https://www.googleapis.com';

export type GoogleCredentials =
  | {
      type: 'service_account';
      client_email: string;
      private_key: string;
      private_key_id?: string;
      token_uri?: string;
      /** A Workspace user to act as (domain-wide delegation). */
      subject?: string;
    }
  | { type: 'oauth'; client_id: string; client_secret: string; refresh_token: string };

export interface GoogleCalendarConfig {
  /** e.g. "primary" or "team@group.calendar.google.com" */
  calendarId: string;
  credentials: GoogleCredentials;
  /** Default https://www.googleapis.com (tests point it at the fake). */
  apiBase?: string;
  /** Default: the credentials' token_uri, else https://oauth2.googleapis.com/token. */
  tokenUri?: string;
  timeoutMs?: number;
}

export interface EventDateTime {
  dateTime?: string;
  date?: string;
  timeZone?: string;
}

export interface CalendarEvent {
  id?: string;
  status?: string;
  summary?: string;
  description?: string;
  location?: string;
  start?: EventDateTime;
  end?: EventDateTime;
  attendees?: { email: string; displayName?: string; responseStatus?: string }[];
  conferenceData?: Record<string, unknown>;
  hangoutLink?: string;
  htmlLink?: string;
  [field: string]: unknown;
}

export interface BusyInterval {
  start: string;
  end: string;
}

/** Access tokens by credential, shared by clients built for the same credentials. */
export class TokenCache {
  private readonly tokens = new Map<string, { token: string; expiresAt: number }>();
  private readonly pending = new Map<string, Promise<string>>();

  async get(key: string, fetchToken: () => Promise<{ token: string; expiresInS: number }>): Promise<string> {
    const cached = this.tokens.get(key);
    // A minute's margin: a token must not expire between our check and Google's.
    if (cached && cached.expiresAt - 60_000 > Date.now()) return cached.token;
    const running = this.pending.get(key);
    if (running) return running;
    const next = fetchToken()
      .then(({ token, expiresInS }) => {
        this.tokens.set(key, { token, expiresAt: Date.now() + expiresInS * 1000 });
        return token;
      })
      .finally(() => this.pending.delete(key));
    this.pending.set(key, next);
    return next;
  }

  invalidate(key: string): void {
    this.tokens.delete(key);
  }
}

export const sharedTokenCache = new TokenCache();

/** A Google event id (base32hex: 0-9 and a-v, 5–1024 characters) that one request id always maps to. */
export function eventIdFor(requestId: string): string {
  return createHash('sha256').update(`magnetiq:${requestId}`).digest('hex');
}

function googleError(status: number, body: unknown): RemoteError {
  const error = (body as { error?: unknown } | null)?.error;
  if (error && typeof error === 'object') {
    const e = error as { message?: string; status?: string; errors?: { reason?: string }[] };
    return {
      code: e.errors?.[0]?.reason ?? e.status ?? `http_${status}`,
      message: e.message ?? `Google answered HTTP ${status}`,
    };
  }
  if (typeof error === 'string') {
    // The token endpoint: {"error": "invalid_grant", "error_description": "..."}
    const description = (body as { error_description?: string }).error_description;
    return { code: error, message: description ?? error };
  }
  return { code: `http_${status}`, message: `Google answered HTTP ${status}` };
}

export interface InsertOptions {
  /** The caller's id for this insert (e.g. the booking id): the same id never makes a second event. */
  requestId: string;
  /** Ask for a Google Meet conference (default true). */
  conference?: boolean;
  sendUpdates?: 'all' | 'externalOnly' | 'none';
  calendarId?: string;
}

export class GoogleCalendarClient {
  private readonly apiBase: string;
  private readonly tokenUri: string;
  private readonly cacheKey: string;

  constructor(
    private readonly config: GoogleCalendarConfig,
    private readonly http: IntegrationHttp,
    private readonly tokens: TokenCache = sharedTokenCache,
  ) {
    this.apiBase = (config.apiBase ?? DEFAULT_API_BASE).replace(/\/+$/, '');
    const credentials = config.credentials;
    this.tokenUri =
      config.tokenUri ??
      (credentials.type === 'service_account' ? credentials.token_uri : undefined) ??
      DEFAULT_TOKEN_URI;
    const identity =
      credentials.type === 'service_account'
        ? [credentials.client_email, credentials.subject ?? '', credentials.private_key]
        : [credentials.client_id, credentials.client_secret, credentials.refresh_token];
    this.cacheKey = createHash('sha256')
      .update([this.tokenUri, ...identity].join('\n'))
      .digest('hex');
  }

  private get secrets(): string[] {
    const c = this.config.credentials;
    return c.type === 'service_account' ? [c.private_key] : [c.client_secret, c.refresh_token];
  }

  private events(calendarId = this.config.calendarId): string {
    return `${this.apiBase}/calendar/v3/calendars/${encodeURIComponent(calendarId)}/events`;
  }

  /** A valid access token: from the cache, or fetched from the token endpoint. */
  accessToken(context: CallContext = {}): Promise<string> {
    return this.tokens.get(this.cacheKey, () => this.fetchToken(context));
  }

  private async fetchToken(context: CallContext): Promise<{ token: string; expiresInS: number }> {
    const credentials = this.config.credentials;
    let form: Record<string, string>;
    if (credentials.type === 'service_account') {
      const key = await importPKCS8(credentials.private_key, 'RS256');
      const now = Math.floor(Date.now() / 1000);
      const jwt = new SignJWT({ scope: CALENDAR_SCOPE })
        .setProtectedHeader({
          alg: 'RS256',
          typ: 'JWT',
          ...(credentials.private_key_id ? { kid: credentials.private_key_id } : {}),
        })
        .setIssuer(credentials.client_email)
        .setAudience(this.tokenUri)
        .setIssuedAt(now)
        .setExpirationTime(now + 3600);
      if (credentials.subject) jwt.setSubject(credentials.subject);
      form = { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: await jwt.sign(key) };
    } else {
      form = {
        grant_type: 'refresh_token',
        client_id: credentials.client_id,
        client_secret: credentials.client_secret,
        refresh_token: credentials.refresh_token,
      };
    }
    const response = await this.http.request<{ access_token?: string; expires_in?: number }>(
      {
        operation: 'token',
        method: 'POST',
        url: this.tokenUri,
        form,
        idempotent: true,
        describeError: googleError,
        secrets: this.secrets,
        ...(this.config.timeoutMs ? { timeoutMs: this.config.timeoutMs } : {}),
      },
      context,
    );
    const { access_token: token, expires_in: expiresInS } = response.body;
    if (typeof token !== 'string') {
      throw new IntegrationError('remote', 'Google answered no access token', { logId: response.logId });
    }
    return { token, expiresInS: typeof expiresInS === 'number' ? expiresInS : 3600 };
  }

  /** A call to the API; a 401 (token revoked or expired early) fetches a new token and tries once more. */
  private async api<T = unknown>(
    request: Omit<Parameters<IntegrationHttp['request']>[0], 'headers' | 'describeError' | 'secrets'>,
    context: CallContext,
  ): Promise<IntegrationResponse<T>> {
    for (let round = 1; ; round++) {
      const token = await this.accessToken(context);
      try {
        return await this.http.request<T>(
          {
            ...request,
            headers: { authorization: `Bearer ${token}` },
            describeError: googleError,
            secrets: [...this.secrets, token],
            ...(this.config.timeoutMs ? { timeoutMs: this.config.timeoutMs } : {}),
          },
          context,
        );
      } catch (error) {
        if (round > 1 || !(error instanceof IntegrationError) || error.status !== 401) throw error;
        this.tokens.invalidate(this.cacheKey);
      }
    }
  }

  /** Busy intervals of the calendars (default: the configured one) between timeMin and timeMax. */
  async freeBusy(
    query: { timeMin: string; timeMax: string; timeZone?: string; calendarIds?: string[] },
    context: CallContext = {},
  ): Promise<Record<string, BusyInterval[]>> {
    const ids = query.calendarIds ?? [this.config.calendarId];
    const { body } = await this.api<{
      calendars?: Record<string, { busy?: BusyInterval[]; errors?: { reason?: string }[] }>;
    }>(
      {
        operation: 'freeBusy.query',
        method: 'POST',
        url: `${this.apiBase}/calendar/v3/freeBusy`,
        json: {
          timeMin: query.timeMin,
          timeMax: query.timeMax,
          ...(query.timeZone ? { timeZone: query.timeZone } : {}),
          items: ids.map((id) => ({ id })),
        },
        idempotent: true,
      },
      context,
    );
    const result: Record<string, BusyInterval[]> = {};
    for (const id of ids) {
      const calendar = body.calendars?.[id];
      const reason = calendar?.errors?.[0]?.reason;
      if (!calendar || reason) {
        throw new IntegrationError('remote', `Google has no free/busy for calendar ${id}`, {
          code: reason ?? 'notFound',
        });
      }
      result[id] = calendar.busy ?? [];
    }
    return result;
  }

  /** Creates the event once per request id; repeating it answers the event the first call made. */
  async insertEvent(
    event: CalendarEvent,
    options: InsertOptions,
    context: CallContext = {},
  ): Promise<CalendarEvent> {
    const calendarId = options.calendarId ?? this.config.calendarId;
    const ctx = { ...context, correlationId: context.correlationId ?? randomUUID() };
    const id = event.id ?? eventIdFor(options.requestId);
    const conference = options.conference ?? true;
    const body: CalendarEvent = {
      ...event,
      id,
      ...(conference && !event.conferenceData
        ? {
            conferenceData: {
              createRequest: {
                requestId: options.requestId,
                conferenceSolutionKey: { type: 'hangoutsMeet' },
              },
            },
          }
        : {}),
    };
    const params = new URLSearchParams({ conferenceDataVersion: '1' });
    if (options.sendUpdates) params.set('sendUpdates', options.sendUpdates);
    const retryContext = {
      operation: 'events.insert',
      input: {
        calendarId,
        event,
        requestId: options.requestId,
        conference,
        sendUpdates: options.sendUpdates,
      },
    };
    const inserted = await this.api<CalendarEvent>(
      {
        operation: 'events.insert',
        method: 'POST',
        url: `${this.events(calendarId)}?${params.toString()}`,
        json: body,
        idempotent: true,
        idempotencyKey: id,
        // 409: the id is taken, by the event an earlier attempt of this very insert made.
        okStatuses: [200, 201, 409],
        retryContext,
      },
      ctx,
    );
    if (inserted.status !== 409) return inserted.body;
    const existing = await this.api<CalendarEvent>(
      {
        operation: 'events.get',
        method: 'GET',
        url: `${this.events(calendarId)}/${encodeURIComponent(id)}`,
        idempotent: true,
        retryContext,
      },
      ctx,
    );
    return existing.body;
  }

  async patchEvent(
    eventId: string,
    patch: CalendarEvent,
    options: { calendarId?: string; sendUpdates?: 'all' | 'externalOnly' | 'none' } = {},
    context: CallContext = {},
  ): Promise<CalendarEvent> {
    const calendarId = options.calendarId ?? this.config.calendarId;
    const params = new URLSearchParams({ conferenceDataVersion: '1' });
    if (options.sendUpdates) params.set('sendUpdates', options.sendUpdates);
    const { body } = await this.api<CalendarEvent>(
      {
        operation: 'events.patch',
        method: 'PATCH',
        url: `${this.events(calendarId)}/${encodeURIComponent(eventId)}?${params.toString()}`,
        json: patch,
        // The same patch twice leaves the same event.
        idempotent: true,
        retryContext: {
          operation: 'events.patch',
          input: { calendarId, eventId, patch, sendUpdates: options.sendUpdates },
        },
      },
      context,
    );
    return body;
  }

  /** Deletes the event; one that is gone already (404, 410) counts as deleted: `alreadyGone` says so. */
  async deleteEvent(
    eventId: string,
    options: { calendarId?: string; sendUpdates?: 'all' | 'externalOnly' | 'none' } = {},
    context: CallContext = {},
  ): Promise<{ alreadyGone: boolean }> {
    const calendarId = options.calendarId ?? this.config.calendarId;
    const params = new URLSearchParams();
    if (options.sendUpdates) params.set('sendUpdates', options.sendUpdates);
    const query = params.size ? `?${params.toString()}` : '';
    const { status } = await this.api(
      {
        operation: 'events.delete',
        method: 'DELETE',
        url: `${this.events(calendarId)}/${encodeURIComponent(eventId)}${query}`,
        idempotent: true,
        okStatuses: [200, 204, 404, 410],
        retryContext: {
          operation: 'events.delete',
          input: { calendarId, eventId, sendUpdates: options.sendUpdates },
        },
      },
      context,
    );
    return { alreadyGone: status === 404 || status === 410 };
  }
}
