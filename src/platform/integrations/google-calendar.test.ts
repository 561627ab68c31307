import { rejection } from '../../../test/helpers/errors.ts';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGoogleCalendar } from '../../../test/fakes/google-calendar.ts';
import { createTestDatabase, testEngine } from '../../../test/helpers/db.ts';
import type { Database } from '../db/connection.ts';
import {
  eventIdFor,
  GoogleCalendarClient,
  TokenCache,
  type GoogleCalendarConfig,
  type GoogleCredentials,
} from './google-calendar.ts';
import { IntegrationError, IntegrationHttp } from './http.ts';
import { REDACTED } from './redact.ts';

function keyPair() {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
}

const CLIENT_EMAIL = 'magnetiq@voltaic-test.iam.gserviceaccount.com';
const CALENDAR = 'team@group.calendar.google.com';
const OAUTH = {
  clientId: 'client-id-123.apps.googleusercontent.com',
  clientSecret: 'GOCSPX-client-secret-x1',
  refreshToken: '1//refresh-token-abcdef',
};
const keys = keyPair();

let database: Database;
let fake: FakeGoogleCalendar;
let shortLived: FakeGoogleCalendar;

function serviceAccount(privateKey = keys.privateKey): GoogleCredentials {
  return {
    type: 'service_account',
    client_email: CLIENT_EMAIL,
    private_key: privateKey,
    private_key_id: 'k1',
  };
}

function calendar(
  options: {
    credentials?: GoogleCredentials;
    server?: FakeGoogleCalendar;
    timeoutMs?: number;
    cache?: TokenCache;
  } = {},
): GoogleCalendarClient {
  const server = options.server ?? fake;
  const config: GoogleCalendarConfig = {
    calendarId: CALENDAR,
    credentials: options.credentials ?? serviceAccount(),
    apiBase: server.url,
    tokenUri: server.tokenUri,
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  };
  const http = new IntegrationHttp({
    db: database.db,
    integration: 'google_calendar',
    retry: { attempts: 3, baseDelayMs: 20, maxDelayMs: 100 },
  });
  return new GoogleCalendarClient(config, http, options.cache ?? new TokenCache());
}

function failure(promise: Promise<unknown>): Promise<IntegrationError> {
  return rejection(promise, IntegrationError);
}

const EVENT = {
  summary: 'Consultation with Erika Musterfrau',
  start: { dateTime: '2027-01-04T09:00:00Z', timeZone: 'Europe/Berlin' },
  end: { dateTime: '2027-01-04T10:00:00Z', timeZone: 'Europe/Berlin' },
  attendees: [{ email: 'erika@example.com' }],
};

beforeAll(async () => {
  database = await createTestDatabase();
  fake = await FakeGoogleCalendar.start({
    publicKey: keys.publicKey,
    clientEmail: CLIENT_EMAIL,
    oauth: OAUTH,
  });
  shortLived = await FakeGoogleCalendar.start({
    publicKey: keys.publicKey,
    clientEmail: CLIENT_EMAIL,
    tokenLifetimeS: 30,
  });
  fake.busy.set(CALENDAR, [
    { start: '2027-01-04T08:00:00Z', end: '2027-01-04T08:30:00Z' },
    { start: '2027-01-05T08:00:00Z', end: '2027-01-05T08:30:00Z' },
  ]);
});

afterAll(async () => {
  await Promise.all([fake.close(), shortLived.close()]);
  await database.close();
});

describe(`the Google Calendar client on ${testEngine()}`, () => {
  it('signs in as a service account (RS256 JWT) and asks for free/busy times', async () => {
    const tokensBefore = fake.callsOf('token').length;
    const busy = await calendar().freeBusy({
      timeMin: '2027-01-04T00:00:00Z',
      timeMax: '2027-01-05T00:00:00Z',
    });
    expect(busy).toEqual({ [CALENDAR]: [{ start: '2027-01-04T08:00:00Z', end: '2027-01-04T08:30:00Z' }] });
    const [token] = fake.callsOf('token').slice(tokensBefore);
    expect(token?.body).toMatchObject({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer' });
    expect(fake.callsOf('freeBusy.query').at(-1)?.body).toEqual({
      timeMin: '2027-01-04T00:00:00Z',
      timeMax: '2027-01-05T00:00:00Z',
      items: [{ id: CALENDAR }],
    });
  });

  it('caches the access token until shortly before it expires', async () => {
    const client = calendar();
    const before = fake.callsOf('token').length;
    const range = { timeMin: '2027-01-04T00:00:00Z', timeMax: '2027-01-05T00:00:00Z' };
    await Promise.all([client.freeBusy(range), client.freeBusy(range)]);
    await client.freeBusy(range);
    expect(fake.callsOf('token').length - before).toBe(1);

    // A token living 30 s is inside the one-minute margin: each call fetches a fresh one.
    const brief = calendar({ server: shortLived });
    shortLived.busy.set(CALENDAR, []);
    await brief.freeBusy(range);
    await brief.freeBusy(range);
    expect(shortLived.callsOf('token')).toHaveLength(2);
  });

  it('shares the cache between clients of the same credentials, not between different ones', async () => {
    const cache = new TokenCache();
    const before = fake.callsOf('token').length;
    const range = { timeMin: '2027-01-04T00:00:00Z', timeMax: '2027-01-05T00:00:00Z' };
    await calendar({ cache }).freeBusy(range);
    await calendar({ cache }).freeBusy(range);
    expect(fake.callsOf('token').length - before).toBe(1);
    await calendar({
      cache,
      credentials: {
        type: 'oauth',
        client_id: OAUTH.clientId,
        client_secret: OAUTH.clientSecret,
        refresh_token: OAUTH.refreshToken,
      },
    }).freeBusy(range);
    expect(fake.callsOf('token').length - before).toBe(2);
  });

  it('signs in with an OAuth refresh token', async () => {
    const client = calendar({
      credentials: {
        type: 'oauth',
        client_id: OAUTH.clientId,
        client_secret: OAUTH.clientSecret,
        refresh_token: OAUTH.refreshToken,
      },
    });
    const event = await client.insertEvent(EVENT, { requestId: randomUUID(), conference: false });
    expect(event.status).toBe('confirmed');
    expect(fake.callsOf('token').at(-1)?.body).toEqual({
      grant_type: 'refresh_token',
      client_id: OAUTH.clientId,
      client_secret: OAUTH.clientSecret,
      refresh_token: OAUTH.refreshToken,
    });
  });

  it('fails with Google’s reason when the key is not the service account’s, without retrying', async () => {
    const before = fake.callsOf('token').length;
    const error = await failure(
      calendar({ credentials: serviceAccount(keyPair().privateKey) }).freeBusy({
        timeMin: '2027-01-04T00:00:00Z',
        timeMax: '2027-01-05T00:00:00Z',
      }),
    );
    expect(error).toMatchObject({ kind: 'http', status: 400, details: { code: 'invalid_grant' } });
    expect(fake.callsOf('token').length - before).toBe(1);
  });

  it('fetches a new token once when Google no longer accepts the cached one', async () => {
    const client = calendar();
    const range = { timeMin: '2027-01-04T00:00:00Z', timeMax: '2027-01-05T00:00:00Z' };
    await client.freeBusy(range);
    fake.revokeTokens();
    const before = fake.callsOf('token').length;
    await client.freeBusy(range);
    expect(fake.callsOf('token').length - before).toBe(1);
  });

  it('inserts an event with a Meet conference and a client request id', async () => {
    const requestId = randomUUID();
    const event = await calendar().insertEvent(EVENT, { requestId, sendUpdates: 'all' });
    expect(event).toMatchObject({ id: eventIdFor(requestId), status: 'confirmed', summary: EVENT.summary });
    expect(event.hangoutLink).toMatch(/^https:\/\/meet\.google\.com\//);
    const call = fake.callsOf('events.insert').at(-1);
    expect(call?.path).toBe(`/calendar/v3/calendars/${encodeURIComponent(CALENDAR)}/events`);
    expect(call?.query.get('conferenceDataVersion')).toBe('1');
    expect(call?.query.get('sendUpdates')).toBe('all');
    expect(call?.body).toMatchObject({
      id: eventIdFor(requestId),
      conferenceData: { createRequest: { requestId, conferenceSolutionKey: { type: 'hangoutsMeet' } } },
    });
    expect(eventIdFor(requestId)).toMatch(/^[a-v0-9]{5,1024}$/);
  });

  it('does not duplicate an insert repeated with the same request id', async () => {
    const requestId = randomUUID();
    const client = calendar();
    const first = await client.insertEvent(EVENT, { requestId });
    const second = await client.insertEvent(EVENT, { requestId });
    expect(second.id).toBe(first.id);
    expect(second.hangoutLink).toBe(first.hangoutLink);
    expect(fake.eventsOf(CALENDAR).filter((e) => e.id === first.id)).toHaveLength(1);
    expect(fake.callsOf('events.get').at(-1)?.path).toContain(first.id ?? 'none');
  });

  it('retries an insert that timed out, and finds the event the first attempt made', async () => {
    const requestId = randomUUID();
    const countBefore = fake.eventsOf(CALENDAR).length;
    fake.delayNext('events.insert', 1_500);
    const correlationId = randomUUID();
    const event = await calendar({ timeoutMs: 300 }).insertEvent(EVENT, { requestId }, { correlationId });
    expect(event.id).toBe(eventIdFor(requestId));
    expect(fake.eventsOf(CALENDAR).length - countBefore).toBe(1);
    const rows = await database.db
      .selectFrom('integration_logs')
      .select(['operation', 'status', 'attempt', 'idempotency_key'])
      .where('correlation_id', '=', correlationId)
      .where('operation', '!=', 'token')
      .orderBy('started_at')
      .orderBy('attempt')
      .execute();
    expect(rows).toEqual([
      { operation: 'events.insert', status: 'timeout', attempt: 1, idempotency_key: eventIdFor(requestId) },
      { operation: 'events.insert', status: 'success', attempt: 2, idempotency_key: eventIdFor(requestId) },
      { operation: 'events.get', status: 'success', attempt: 1, idempotency_key: null },
    ]);
  });

  it('patches an event, and reports an unknown one', async () => {
    const client = calendar();
    const event = await client.insertEvent(EVENT, { requestId: randomUUID() });
    const patched = await client.patchEvent(event.id ?? '', { summary: 'Moved consultation' });
    expect(patched).toMatchObject({ id: event.id, summary: 'Moved consultation', start: EVENT.start });
    expect(fake.callsOf('events.patch').at(-1)?.method).toBe('PATCH');
    const error = await failure(client.patchEvent('unknown00001', { summary: 'x' }));
    expect(error).toMatchObject({ status: 404, details: { code: 'notFound' } });
  });

  it('deletes an event; one already gone (410) or never there (404) counts as done', async () => {
    const client = calendar();
    const event = await client.insertEvent(EVENT, { requestId: randomUUID() });
    expect(await client.deleteEvent(event.id ?? '')).toEqual({ alreadyGone: false });
    expect(fake.eventsOf(CALENDAR).find((e) => e.id === event.id)?.status).toBe('cancelled');
    expect(await client.deleteEvent(event.id ?? '')).toEqual({ alreadyGone: true });
    expect(await client.deleteEvent('neverexisted01')).toEqual({ alreadyGone: true });
    const rows = await database.db
      .selectFrom('integration_logs')
      .select(['status', 'response_data'])
      .where('operation', '=', 'events.delete')
      .orderBy('started_at')
      .execute();
    expect(rows.slice(-3).map((r) => [r.status, (r.response_data as { status: number }).status])).toEqual([
      ['success', 204],
      ['success', 410],
      ['success', 404],
    ]);
  });

  it('reports a calendar Google has no free/busy for', async () => {
    const error = await failure(
      calendar().freeBusy({
        timeMin: '2027-01-04T00:00:00Z',
        timeMax: '2027-01-05T00:00:00Z',
        calendarIds: ['missing@group.calendar.google.com'],
      }),
    );
    expect(error.details.code).toBe('notFound');
  });

  it('logged every call the fakes received, and stored no key, secret or token', async () => {
    const rows = await database.db
      .selectFrom('integration_logs')
      .selectAll()
      .where('integration_name', '=', 'google_calendar')
      .execute();
    expect(rows).toHaveLength(fake.calls.length + shortLived.calls.length);
    const stored = JSON.stringify(rows);
    const privateKeyBody = keys.privateKey.split('\n')[5] ?? 'missing';
    const assertions = [...fake.callsOf('token'), ...shortLived.callsOf('token')]
      .map((c) => (c.body as { assertion?: string }).assertion)
      .filter((a): a is string => typeof a === 'string');
    expect(assertions.length).toBeGreaterThan(3);
    for (const secret of [
      privateKeyBody,
      OAUTH.clientSecret,
      OAUTH.refreshToken,
      ...fake.issuedTokens,
      ...shortLived.issuedTokens,
      ...assertions,
    ]) {
      expect(stored).not.toContain(secret);
    }
    const token = rows.find((r) => r.operation === 'token' && r.status === 'success');
    expect(token?.response_data).toMatchObject({ body: { access_token: REDACTED, token_type: 'Bearer' } });
    const insert = rows.find((r) => r.operation === 'events.insert');
    expect(insert?.request_data).toMatchObject({ headers: { authorization: REDACTED } });
  });
});
