import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { importSPKI, jwtVerify } from 'jose';
import { FakeServer, type FakeCall, type FakeResponse } from './server.ts';

/**
 * A fake Google: the OAuth token endpoint and the Calendar API v3 pieces the client uses.
 *  - POST /token: grant_type urn:ietf:params:oauth:grant-type:jwt-bearer with an RS256 assertion (signature,
 *    issuer, audience = this endpoint, calendar scope checked) or grant_type refresh_token; answers
 *    {access_token, expires_in, token_type}; errors {error, error_description}.
 *  - POST /calendar/v3/freeBusy; POST, GET, PATCH, DELETE /calendar/v3/calendars/:calendarId/events[/:eventId].
 *    A client-chosen event id must be base32hex (a-v, 0-9; 5–1024 characters) and answers 409 "duplicate" when
 *    taken; conferenceDataVersion=1 with conferenceData.createRequest creates a Meet link, one per requestId.
 *    Deleting marks the event cancelled: deleting it again answers 410, an unknown id 404.
 * Errors have Google's shape: {"error": {"code", "message", "errors": [{"domain", "reason", "message"}], "status"}}.
 * Operations: "token", "freeBusy.query", "events.insert", "events.get", "events.patch", "events.delete".
 */

/** A service account's RSA key pair in PEM: the private key for our client, the public one for the fake. */
export function serviceAccountKeys(): { publicKey: string; privateKey: string } {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
}

export interface FakeGoogleOptions {
  /** The service account's public key (SPKI PEM) and e-mail. */
  publicKey: string;
  clientEmail: string;
  oauth?: { clientId: string; clientSecret: string; refreshToken: string };
  tokenLifetimeS?: number;
}

type Event = Record<string, unknown> & { id: string; status: string };

const EVENT_ID = /^[a-v0-9]{5,1024}$/;

function googleError(code: number, reason: string, message: string, status: string): FakeResponse {
  return {
    status: code,
    body: { error: { code, message, errors: [{ domain: 'global', reason, message }], status } },
  };
}

export class FakeGoogleCalendar extends FakeServer {
  /** Access tokens handed out, in order. */
  readonly issuedTokens: string[] = [];
  /** The next this many inserts asking for a conference answer it as still pending (a later GET has it). */
  pendingConferences = 0;
  /** Busy intervals per calendar, for freeBusy. */
  readonly busy = new Map<string, { start: string; end: string }[]>();
  private readonly events = new Map<string, Map<string, Event>>();
  private readonly conferences = new Map<string, string>();

  private constructor(private readonly options: FakeGoogleOptions) {
    super();
  }

  static start(options: FakeGoogleOptions): Promise<FakeGoogleCalendar> {
    return new FakeGoogleCalendar(options).listen();
  }

  get tokenUri(): string {
    return `${this.url}/token`;
  }

  /** The events of a calendar (cancelled ones included). */
  eventsOf(calendarId: string): Event[] {
    return [...(this.events.get(calendarId)?.values() ?? [])];
  }

  /** Forgets the tokens handed out, as Google does when they are revoked. */
  revokeTokens(): void {
    this.issuedTokens.length = 0;
  }

  protected operationOf(method: string, path: string): string {
    if (path === '/token') return 'token';
    if (path === '/calendar/v3/freeBusy') return 'freeBusy.query';
    if (/^\/calendar\/v3\/calendars\/[^/]+\/events$/.test(path))
      return method === 'POST' ? 'events.insert' : 'events.list';
    if (/^\/calendar\/v3\/calendars\/[^/]+\/events\/[^/]+$/.test(path)) {
      return (
        { GET: 'events.get', PATCH: 'events.patch', DELETE: 'events.delete' }[method] ?? `${method} ${path}`
      );
    }
    return `${method} ${path}`;
  }

  protected async handle(call: FakeCall): Promise<FakeResponse> {
    if (call.op === 'token') return this.token(call);
    const auth = call.headers.authorization ?? '';
    const token = /^Bearer (.+)$/.exec(auth)?.[1];
    if (!token || !this.issuedTokens.includes(token)) {
      return googleError(
        401,
        'authError',
        'Request had invalid authentication credentials.',
        'UNAUTHENTICATED',
      );
    }
    const match = /^\/calendar\/v3\/calendars\/([^/]+)\/events(?:\/([^/]+))?$/.exec(call.path);
    const calendarId = match?.[1] ? decodeURIComponent(match[1]) : '';
    const eventId = match?.[2] ? decodeURIComponent(match[2]) : '';
    switch (call.op) {
      case 'freeBusy.query':
        return this.freeBusy(call);
      case 'events.insert':
        return this.insert(call, calendarId);
      case 'events.get': {
        const event = this.events.get(calendarId)?.get(eventId);
        return event ? { status: 200, body: event } : googleError(404, 'notFound', 'Not Found', 'NOT_FOUND');
      }
      case 'events.patch': {
        const event = this.events.get(calendarId)?.get(eventId);
        if (!event) return googleError(404, 'notFound', 'Not Found', 'NOT_FOUND');
        if (event.status === 'cancelled')
          return googleError(410, 'deleted', 'Resource has been deleted', 'GONE');
        const patched = {
          ...event,
          ...(call.body as Record<string, unknown>),
          id: event.id,
          updated: new Date().toISOString(),
        };
        this.events.get(calendarId)?.set(eventId, patched);
        return { status: 200, body: patched };
      }
      case 'events.delete': {
        const event = this.events.get(calendarId)?.get(eventId);
        if (!event) return googleError(404, 'notFound', 'Not Found', 'NOT_FOUND');
        if (event.status === 'cancelled')
          return googleError(410, 'deleted', 'Resource has been deleted', 'GONE');
        event.status = 'cancelled';
        return { status: 204 };
      }
      default:
        return googleError(404, 'notFound', 'Not Found', 'NOT_FOUND');
    }
  }

  private async token(call: FakeCall): Promise<FakeResponse> {
    const form = (call.body ?? {}) as Record<string, string>;
    const refuse = (error: string, description: string): FakeResponse => ({
      status: 400,
      body: { error, error_description: description },
    });
    if (form.grant_type === 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
      try {
        const key = await importSPKI(this.options.publicKey, 'RS256');
        const { payload } = await jwtVerify(form.assertion ?? '', key, {
          algorithms: ['RS256'],
          issuer: this.options.clientEmail,
          audience: this.tokenUri,
          maxTokenAge: '1h',
        });
        const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ') : [];
        if (!scopes.includes('https://www.googleapis.com/auth/calendar')) {
          return refuse('invalid_scope', 'Invalid OAuth scope or ID token audience provided.');
        }
      } catch (error) {
        return refuse('invalid_grant', `Invalid JWT Signature: ${(error as Error).message}`);
      }
    } else if (form.grant_type === 'refresh_token') {
      const oauth = this.options.oauth;
      if (!oauth || form.client_id !== oauth.clientId || form.client_secret !== oauth.clientSecret) {
        return { status: 401, body: { error: 'invalid_client', error_description: 'Unauthorized' } };
      }
      if (form.refresh_token !== oauth.refreshToken) return refuse('invalid_grant', 'Bad Request');
    } else {
      return refuse('unsupported_grant_type', `Invalid grant_type: ${form.grant_type ?? ''}`);
    }
    const token = `ya29.${randomBytes(24).toString('base64url')}`;
    this.issuedTokens.push(token);
    return {
      status: 200,
      body: { access_token: token, expires_in: this.options.tokenLifetimeS ?? 3599, token_type: 'Bearer' },
    };
  }

  private freeBusy(call: FakeCall): FakeResponse {
    const body = call.body as { timeMin?: string; timeMax?: string; items?: { id: string }[] };
    if (!body.timeMin || !body.timeMax)
      return googleError(400, 'required', 'Missing time range.', 'INVALID_ARGUMENT');
    const min = Date.parse(body.timeMin);
    const max = Date.parse(body.timeMax);
    const calendars: Record<string, unknown> = {};
    for (const { id } of body.items ?? []) {
      const known = this.busy.has(id) || this.events.has(id);
      if (!known) {
        calendars[id] = { errors: [{ domain: 'global', reason: 'notFound' }], busy: [] };
        continue;
      }
      const fromEvents = this.eventsOf(id)
        .filter((e) => e.status !== 'cancelled')
        .map((e) => ({
          start: (e.start as { dateTime: string }).dateTime,
          end: (e.end as { dateTime: string }).dateTime,
        }));
      calendars[id] = {
        busy: [...(this.busy.get(id) ?? []), ...fromEvents].filter(
          (b) => Date.parse(b.end) > min && Date.parse(b.start) < max,
        ),
      };
    }
    return {
      status: 200,
      body: { kind: 'calendar#freeBusy', timeMin: body.timeMin, timeMax: body.timeMax, calendars },
    };
  }

  private insert(call: FakeCall, calendarId: string): FakeResponse {
    const body = { ...(call.body as Record<string, unknown>) };
    const id = typeof body.id === 'string' ? body.id : randomBytes(13).toString('hex');
    if (!EVENT_ID.test(id))
      return googleError(400, 'invalid', 'Invalid resource id value.', 'INVALID_ARGUMENT');
    const calendar = this.events.get(calendarId) ?? new Map<string, Event>();
    this.events.set(calendarId, calendar);
    if (calendar.has(id)) {
      return googleError(409, 'duplicate', 'The requested identifier already exists.', 'ALREADY_EXISTS');
    }
    const request = (body.conferenceData as { createRequest?: { requestId?: string } } | undefined)
      ?.createRequest;
    if (call.query.get('conferenceDataVersion') === '1' && request?.requestId) {
      const link =
        this.conferences.get(request.requestId) ??
        `https://meet.google.com/${randomBytes(5).toString('hex')}`;
      this.conferences.set(request.requestId, link);
      body.conferenceData = {
        createRequest: { ...request, status: { statusCode: 'success' } },
        entryPoints: [{ entryPointType: 'video', uri: link }],
        conferenceId: link.split('/').pop(),
      };
      body.hangoutLink = link;
    } else {
      delete body.conferenceData;
    }
    const now = new Date().toISOString();
    const event: Event = {
      kind: 'calendar#event',
      ...body,
      id,
      status: 'confirmed',
      htmlLink: `https://www.google.com/calendar/event?eid=${id}`,
      created: now,
      updated: now,
    };
    calendar.set(id, event);
    if (body.hangoutLink && this.pendingConferences > 0) {
      this.pendingConferences -= 1;
      const pending: Record<string, unknown> = {
        ...event,
        conferenceData: { createRequest: { ...request, status: { statusCode: 'pending' } } },
      };
      delete pending.hangoutLink;
      return { status: 200, body: pending };
    }
    return { status: 200, body: event };
  }
}
