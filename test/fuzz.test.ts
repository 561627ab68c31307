import type { LightMyRequestResponse } from 'fastify';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { ROLE_PERMISSIONS, ROLES, type Permission, type Role } from '../src/modules/identity/permissions.ts';
import { seedEssentials } from '../src/platform/seed.ts';
import { useTestApp } from './fixture.ts';
import { takeResponseViolations } from './helpers/app.ts';
import { KINDS, targetsOf, toInput, type FuzzInput } from './fuzz/inputs.ts';
import { operationsOf, type Operation } from './fuzz/operations.ts';
import { normalized, report, type Failure } from './fuzz/report.ts';
import { buildWorld } from './fuzz/world.ts';

/*
 * Every operation of the published OpenAPI document (so routes added later are covered without editing this
 * file), fed generated good and bad input as every caller: without a session and as each role, with bearer
 * tokens. It fails on
 * - any 5xx;
 * - a 2xx the operation's permission forbids: without a session on an operation that needs one, or as a role
 *   whose permissions (ROLE_PERMISSIONS) lack the operation's x-permission;
 * - an answer that does not match the response schema its route declares (the fixture's check), and an error
 *   answer not in the documented shape {"error": {"code", "message", "details"}}.
 * 429 and every other 4xx are fine. All failures of a run are collected and reported at the end, grouped by
 * problem and by operation, the first request of each in full.
 *
 * Reproducible: the inputs come from fast-check, seeded from SEED, the operation, the caller, the kind of input
 * and the parameter it aims at. FUZZ_SEED=<n> explores other inputs; FUZZ_ONLY='POST /api/v1/media' runs the
 * operations whose key contains the text; FUZZ_VERBOSE=1 prints, per operation, what good and bad inputs were
 * answered, to see how deep good inputs get.
 *
 * Some inputs end the caller's own session (sign-out, ending all sessions) or lock the caller's account (wrong
 * current passwords count as failed sign-ins). Nothing is left out for that: after such an answer the caller
 * signs in again as a fresh user of the same role, and a request refused because of it is sent again.
 */
const SEED = Number(process.env['FUZZ_SEED'] ?? 20_260_612);
/** Generated good inputs per operation and caller. */
const GOOD_INPUTS = 5;
/** Generated inputs per kind of bad input, operation and caller (per parameter, for URL parameters). */
const BAD_INPUTS = 2;
/** Generated inputs per kind that spoils one field of a good body (which field is drawn at random). */
const FIELD_INPUTS = 4;
/** Failures shown with their whole request. */
const SHOWN_IN_FULL = 40;
const VERBOSE = process.env['FUZZ_VERBOSE'] === '1';
/** Only the operations whose "METHOD /path" contains this (to reproduce one failure quickly). */
const ONLY = process.env['FUZZ_ONLY'] ?? '';

type Caller = 'anonymous' | Role;
const CALLERS: Caller[] = ['anonymous', ...ROLES];

/** Operations after which the caller's own session may be gone: sign-out, sessions, password, 2FA, users. */
const MAY_END_SESSION = /^\/api\/v1\/(auth|users)(\/|$)/;
/** Sign-in's 423 is about the account named in the body, not the caller's. */
const LOGIN = '/api/v1/auth/login';

/** The server-side error behind each answer, by request id (the app's logger is off in tests). */
const thrown = new Map<string, Error>();

const t = useTestApp({
  // What a real start seeds (settings, a first super admin): the settings routes have keys to read and write.
  before: async (database) => {
    await seedEssentials(database.db, { email: 'fuzz-root@example.com', password: 'fuzz root password 1' });
  },
  extend: (app) => {
    app.addHook('onError', async (request, _reply, error) => {
      thrown.set(request.id, error);
    });
  },
});

/** FNV-1a: a seed per operation, caller, kind and parameter, so adding a route or a kind changes no other input. */
function seedOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash ^ SEED) | 0;
}

/** Whether the caller may get a 2xx from the operation at all. */
function permitted(op: Operation, caller: Caller): boolean {
  if (op.isPublic) return true;
  if (caller === 'anonymous') return false;
  return typeof op.permission !== 'string' || ROLE_PERMISSIONS[caller].has(op.permission as Permission);
}

function errorJson(
  response: LightMyRequestResponse,
): { code?: unknown; message?: unknown; details?: unknown } | undefined {
  try {
    const body = response.json<{ error?: unknown }>();
    return typeof body.error === 'object' && body.error !== null ? body.error : undefined;
  } catch {
    return undefined;
  }
}

/** Every error answers {"error": {"code", "message", "details": [...]}} (the OpenAPI document's promise). */
function inOurShape(response: LightMyRequestResponse): boolean {
  const error = errorJson(response);
  return typeof error?.code === 'string' && typeof error.message === 'string' && Array.isArray(error.details);
}

function codeOf(response: LightMyRequestResponse): string {
  const error = errorJson(response);
  if (typeof error?.code === 'string') return error.code;
  try {
    const { code } = response.json<{ code?: unknown }>();
    if (typeof code === 'string') return code;
  } catch {
    // not JSON
  }
  return normalized(response.body.slice(0, 60));
}

it(
  'no input makes any operation answer 5xx, or 2xx to a caller its permission forbids',
  { timeout: 900_000 },
  async () => {
    const started = Date.now();
    const doc: unknown = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    // Reads first and deletions last, so the rows the world made are still there for most operations.
    const order = (op: Operation) => (op.method === 'GET' ? 0 : op.method === 'DELETE' ? 2 : 1);
    const operations = operationsOf(doc)
      .filter((op) => op.key.includes(ONLY))
      .sort((a, b) => order(a) - order(b));
    expect(operations.length, 'operations in the OpenAPI document').toBeGreaterThan(0);
    const world = await buildWorld(t, doc);

    const tokens = new Map<Role, string>();
    for (const role of ROLES) tokens.set(role, (await t.as(role)).session.access_token);
    let renewed = 0;
    const renew = async (role: Role) => {
      tokens.set(role, (await t.newUser(role)).session.access_token);
      renewed += 1;
    };
    const asRole = (role: Role) => ({ authorization: `Bearer ${tokens.get(role) ?? ''}` });
    const alive = async (role: Role): Promise<boolean> => {
      const response = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: asRole(role) });
      takeResponseViolations(t.app);
      return response.statusCode === 200;
    };

    // Good inputs carry the version the row has now (else most changes would only meet 409 stale_version), read
    // from the operation's resource: the GET of its path up to the first parameter.
    const readable = new Set(operations.filter((op) => op.method === 'GET').map((op) => op.path));
    const withCurrentVersion = async (op: Operation, input: FuzzInput): Promise<FuzzInput> => {
      const resourcePath = op.path.slice(0, op.path.indexOf('}') + 1);
      const json =
        typeof input.payload === 'string' && input.payload.startsWith('{') ? input.payload : undefined;
      const hasVersion = /[?&]version=/.test(input.url) || json?.includes('"version":') === true;
      if (!resourcePath || !hasVersion || !readable.has(resourcePath)) return input;
      const depth = resourcePath.split('/').length;
      const url = input.url.split('?')[0]?.split('/').slice(0, depth).join('/') ?? '';
      const response = await t.app.inject({ method: 'GET', url, headers: asRole('super_admin') });
      takeResponseViolations(t.app);
      const version =
        response.statusCode === 200 ? response.json<{ version?: unknown }>().version : undefined;
      if (typeof version !== 'number') return input;
      const withVersion = { ...input, url: input.url.replace(/([?&]version=)[^&]*/, `$1${version}`) };
      if (!json) return withVersion;
      const body = JSON.parse(json) as Record<string, unknown>;
      if ('version' in body) body['version'] = version;
      return { ...withVersion, payload: JSON.stringify(body) };
    };

    const failures: Failure[] = [];
    const byStatus = new Map<string, number>();
    const answers = new Map<string, Map<string, number>>();
    /** Operations a good input got a 2xx from, per caller: proof the sessions and inputs reach the handlers. */
    const reached = new Map<Caller, Set<string>>(CALLERS.map((c) => [c, new Set<string>()]));
    let sent = 0;

    const send = async (op: Operation, caller: Caller, input: FuzzInput): Promise<number> => {
      const headers = caller === 'anonymous' ? input.headers : { ...input.headers, ...asRole(caller) };
      const fail = (problem: string, status: number, code: string, cause: string, body: string) =>
        failures.push({ operation: op.key, caller, problem, status, code, cause, body, input });
      sent += 1;
      let response: LightMyRequestResponse;
      try {
        response = await t.app.inject({
          method: input.method as 'GET',
          url: input.url,
          headers,
          ...(input.payload === undefined ? {} : { payload: input.payload }),
        });
      } catch (error) {
        byStatus.set('threw', (byStatus.get('threw') ?? 0) + 1);
        fail('the request threw', 0, 'threw', normalized(String(error)), '');
        return 0;
      }
      const status = response.statusCode;
      const statusClass = `${String(status).charAt(0)}xx`;
      byStatus.set(statusClass, (byStatus.get(statusClass) ?? 0) + 1);
      const body = response.body.length > 300 ? `${response.body.slice(0, 300)}…` : response.body;
      const cause = thrown.get(String(response.headers['x-request-id'] ?? ''));
      thrown.clear();

      if (status < 300 && input.kind === 'good') reached.get(caller)?.add(op.key);
      if (status >= 500) {
        const why = cause
          ? `${(cause as { code?: string }).code ?? cause.name}: ${normalized(cause.message)}`
          : '';
        fail('5xx', status, codeOf(response), why, body);
      } else if (status >= 200 && status < 300 && !permitted(op, caller)) {
        const problem =
          caller === 'anonymous'
            ? '2xx without a session'
            : `2xx without the permission ${String(op.permission)}`;
        fail(problem, status, String(status), '', body);
      }
      if (status >= 400 && input.method !== 'HEAD' && !inOurShape(response)) {
        fail('error answer not in the documented shape', status, codeOf(response), '', body);
      }
      for (const violation of takeResponseViolations(t.app)) {
        fail('answer does not match its schema', violation.status, violation.route, violation.errors, body);
      }
      if (VERBOSE) {
        const key = `${op.key} ${permitted(op, caller) ? 'permitted' : 'denied'} ${input.kind === 'good' ? 'good' : 'bad'}`;
        const counts = answers.get(key) ?? new Map<string, number>();
        const answer = status < 400 ? String(status) : `${status} ${codeOf(response)}`;
        counts.set(answer, (counts.get(answer) ?? 0) + 1);
        answers.set(key, counts);
      }
      return status;
    };

    for (const op of operations) {
      for (const caller of CALLERS) {
        // The guard turns a caller away before the body is read: bodies are spoiled only for callers that get
        // that far (the URL and headers, read before the guard, are spoiled for every caller).
        const pastGuard = permitted(op, caller);
        for (const kind of KINDS) {
          if (!kind.applies(op) || (kind.anonymousOnly && caller !== 'anonymous')) continue;
          if (!kind.beforeGuard && !pastGuard) continue;
          const count =
            kind.name === 'good' ? GOOD_INPUTS : kind.perField && pastGuard ? FIELD_INPUTS : BAD_INPUTS;
          for (const target of targetsOf(kind, op, pastGuard)) {
            const inputs = fc.sample(kind.build(op, world, target), {
              seed: seedOf(`${op.key} ${caller} ${kind.name} ${target ?? ''}`),
              numRuns: count,
            });
            for (const parts of inputs) {
              let input = toInput(op, target ? `${kind.name} (${target})` : kind.name, parts);
              if (kind.name === 'good' && pastGuard) input = await withCurrentVersion(op, input);
              const status = await send(op, caller, input);
              if (caller === 'anonymous') continue;
              const locked = status === 423 && op.path !== LOGIN;
              const maybeEnded = status === 401 || (MAY_END_SESSION.test(op.path) && status < 300);
              if (locked || (maybeEnded && !(await alive(caller)))) {
                await renew(caller);
                if (status === 401 || locked) await send(op, caller, input);
              }
            }
          }
        }
      }
    }

    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const classes = [...byStatus.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    const reach = CALLERS.map((c) => `${c} ${reached.get(c)?.size ?? 0}`).join(', ');
    console.log(
      `fuzz (${t.engine}, seed ${SEED}): ${sent} requests to ${operations.length} operations as ${CALLERS.length} ` +
        `callers in ${seconds} s; ${classes}; ${renewed} sessions renewed; ${failures.length} failures; ` +
        `operations answering a good input with 2xx: ${reach}`,
    );
    if (VERBOSE) {
      for (const [key, counts] of answers) {
        console.log(`${key}: ${[...counts.entries()].map(([answer, n]) => `${answer} ×${n}`).join(', ')}`);
      }
    }
    // A role that reached (almost) nothing, its sessions broken say, would pass without having been tested.
    const unreached = ONLY ? [] : ROLES.filter((role) => (reached.get(role)?.size ?? 0) < 10);
    const problems = [
      ...unreached.map(
        (role) => `${role}: good inputs reached fewer than 10 operations; is its session working?`,
      ),
      ...(failures.length > 0 ? [report(failures, SHOWN_IN_FULL)] : []),
    ];
    if (problems.length > 0) throw new Error(problems.join('\n\n'));
  },
);
