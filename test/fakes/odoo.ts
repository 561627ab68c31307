import { FakeServer, type FakeCall, type FakeResponse } from './server.ts';

/**
 * A fake Odoo speaking both external APIs:
 *  - JSON-RPC (17/18): POST /jsonrpc {"jsonrpc":"2.0","method":"call","params":{"service","method","args"},"id"};
 *    common.authenticate(db, login, password, {}) answers the uid or false; object.execute_kw(db, uid, password,
 *    model, method, args, kwargs). Errors: HTTP 200 with {"error": {"code": 200, "message": "Odoo Server Error",
 *    "data": {"name", "message", "arguments", "context", "debug"}}}.
 *  - JSON-2 (19+): POST /json/2/<model>/<method> with `Authorization: bearer <key>` and named arguments; answers
 *    the plain result; errors as HTTP 4xx/5xx with {"name", "message", "arguments", "context", "debug"}.
 * Models hold records in memory; search, search_read, create, write and read are understood, with domains of
 * [field, op, value] terms (=, !=, ilike, like, in, not in) and '&', '|', '!' in prefix notation.
 * Operations are named "authenticate" and "<model>.<method>".
 */

export interface FakeOdooOptions {
  database?: string;
  login?: string;
  password?: string;
  apiKey?: string;
  uid?: number;
}

type Values = Record<string, unknown>;
type Term = string | [string, string, unknown];

const MODELS = ['res.partner', 'crm.lead', 'event.event', 'event.registration'];

export class OdooFault extends Error {
  constructor(
    override readonly name: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value ?? '');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** A SQL LIKE pattern as a regular expression: % any run, _ any one character, \\ escapes the next. */
function likePattern(pattern: string, flags: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charAt(i);
    if (c === '\\' && i + 1 < pattern.length) source += escapeRegExp(pattern.charAt(++i));
    else if (c === '%') source += '.*';
    else if (c === '_') source += '.';
    else source += escapeRegExp(c);
  }
  return new RegExp(`^${source}$`, `s${flags}`);
}

function matches(record: Values, term: [string, string, unknown]): boolean {
  const [field, op, value] = term;
  const actual = record[field];
  switch (op) {
    case '=':
      return actual === value;
    case '!=':
      return actual !== value;
    case '=like':
      return likePattern(show(value), '').test(show(actual));
    case '=ilike':
      // As in Odoo (PostgreSQL ILIKE): the value is a pattern, % and _ wildcards, backslash escapes.
      return likePattern(show(value), 'i').test(show(actual));
    case 'ilike':
      return show(actual).toLowerCase().includes(show(value).toLowerCase());
    case 'like':
      return show(actual).includes(show(value));
    case 'in':
      return Array.isArray(value) && value.includes(actual);
    case 'not in':
      return Array.isArray(value) && !value.includes(actual);
    default:
      throw new OdooFault('ValueError', `Invalid leaf ${JSON.stringify(term)}`);
  }
}

/** Evaluates a domain in Odoo's prefix notation; consecutive terms are joined by an implicit '&'. */
export function evaluateDomain(record: Values, domain: Term[]): boolean {
  let position = 0;
  const next = (): boolean => {
    const token = domain[position++];
    if (token === '&') return [next(), next()].every(Boolean);
    if (token === '|') {
      const a = next();
      const b = next();
      return a || b;
    }
    if (token === '!') return !next();
    if (!Array.isArray(token)) throw new OdooFault('ValueError', `Invalid domain ${JSON.stringify(domain)}`);
    return matches(record, token);
  };
  let result = true;
  while (position < domain.length) result = next() && result;
  return result;
}

export class FakeOdoo extends FakeServer {
  readonly database: string;
  readonly login: string;
  readonly password: string;
  readonly apiKey: string;
  readonly uid: number;
  private readonly records = new Map<string, Map<number, Values>>(MODELS.map((m) => [m, new Map()]));
  private nextId = 1;

  private constructor(options: FakeOdooOptions) {
    super();
    this.database = options.database ?? 'voltaic';
    this.login = options.login ?? 'bot@voltaic.systems';
    this.password = options.password ?? 'odoo-password-s3cr3t';
    this.apiKey = options.apiKey ?? 'odoo-api-key-0123456789abcdef';
    this.uid = options.uid ?? 7;
  }

  static start(options: FakeOdooOptions = {}): Promise<FakeOdoo> {
    return new FakeOdoo(options).listen();
  }

  /** Puts a record in place, as if someone had made it in Odoo; answers its id. */
  seed(model: string, values: Values): number {
    const id = this.nextId++;
    this.table(model).set(id, { ...values });
    return id;
  }

  /** The records of a model, oldest first. */
  all(model: string): (Values & { id: number })[] {
    return [...(this.records.get(model)?.entries() ?? [])].map(([id, values]) => ({ ...values, id }));
  }

  /** A fault as the protocol of the call reports it: a JSON-RPC error object, or an HTTP error with a body. */
  static fault(name: string, message: string, status = 400): (call: FakeCall) => FakeResponse {
    return (call) => FakeOdoo.faultResponse(call, new OdooFault(name, message, status));
  }

  private static faultResponse(call: FakeCall, fault: OdooFault): FakeResponse {
    const data = {
      name: fault.name,
      message: fault.message,
      arguments: [fault.message],
      context: {},
      debug: 'Traceback',
    };
    if (call.path === '/jsonrpc') {
      const id = (call.body as { id?: unknown } | null)?.id ?? null;
      return {
        status: 200,
        body: { jsonrpc: '2.0', id, error: { code: 200, message: 'Odoo Server Error', data } },
      };
    }
    return { status: fault.status, body: data };
  }

  protected operationOf(method: string, path: string, body: unknown): string {
    if (path === '/jsonrpc') {
      const params = (body as { params?: { service?: string; method?: string; args?: unknown[] } } | null)
        ?.params;
      if (params?.method === 'execute_kw') return `${String(params.args?.[3])}.${String(params.args?.[4])}`;
      return String(params?.method);
    }
    const json2 = /^\/json\/2\/([^/]+)\/([^/]+)$/.exec(path);
    return json2 ? `${json2[1] ?? ''}.${json2[2] ?? ''}` : `${method} ${path}`;
  }

  protected handle(call: FakeCall): FakeResponse {
    try {
      if (call.method !== 'POST')
        throw new OdooFault('werkzeug.exceptions.MethodNotAllowed', 'Method Not Allowed', 405);
      if (call.path === '/jsonrpc') return this.jsonRpc(call);
      const json2 = /^\/json\/2\/([^/]+)\/([^/]+)$/.exec(call.path);
      if (json2?.[1] && json2[2]) return this.json2(call, json2[1], json2[2]);
      throw new OdooFault('werkzeug.exceptions.NotFound', 'Not Found', 404);
    } catch (error) {
      if (error instanceof OdooFault) return FakeOdoo.faultResponse(call, error);
      throw error;
    }
  }

  private jsonRpc(call: FakeCall): FakeResponse {
    const request = call.body as {
      jsonrpc?: string;
      method?: string;
      id?: unknown;
      params?: { service?: string; method?: string; args?: unknown[] };
    };
    if (request.jsonrpc !== '2.0' || request.method !== 'call' || !request.params) {
      throw new OdooFault('werkzeug.exceptions.BadRequest', 'Invalid JSON-RPC request');
    }
    const { service, method, args = [] } = request.params;
    const answer = (result: unknown): FakeResponse => ({
      status: 200,
      body: { jsonrpc: '2.0', id: request.id ?? null, result },
    });
    if (service === 'common' && method === 'authenticate') {
      const [db, login, password] = args;
      const ok =
        db === this.database &&
        login === this.login &&
        (password === this.password || password === this.apiKey);
      return answer(ok ? this.uid : false);
    }
    if (service === 'object' && method === 'execute_kw') {
      const [db, uid, password, model, modelMethod, positional, kwargs] = args as [
        string,
        number,
        string,
        string,
        string,
        unknown[] | undefined,
        Values | undefined,
      ];
      if (
        db !== this.database ||
        uid !== this.uid ||
        (password !== this.password && password !== this.apiKey)
      ) {
        throw new OdooFault('odoo.exceptions.AccessDenied', 'Access Denied');
      }
      return answer(this.execute(model, modelMethod, positional ?? [], kwargs ?? {}));
    }
    throw new OdooFault('builtins.NameError', `service ${String(service)}.${String(method)} does not exist`);
  }

  private json2(call: FakeCall, model: string, method: string): FakeResponse {
    const auth = call.headers.authorization ?? '';
    const [scheme, key] = auth.split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || key !== this.apiKey) {
      throw new OdooFault('werkzeug.exceptions.Unauthorized', 'Invalid apikey', 401);
    }
    const database = call.headers['x-odoo-database'];
    if (database !== undefined && database !== this.database) {
      throw new OdooFault('werkzeug.exceptions.NotFound', `Database ${String(database)} not found`, 404);
    }
    const named = (call.body ?? {}) as Values;
    switch (method) {
      case 'search':
      case 'search_read':
        return { status: 200, body: this.execute(model, method, [named.domain ?? []], named) };
      case 'create':
        return { status: 200, body: this.execute(model, method, [named.vals_list], {}) };
      case 'write':
        return { status: 200, body: this.execute(model, method, [named.ids, named.vals], {}) };
      case 'read':
        return { status: 200, body: this.execute(model, method, [named.ids], named) };
      default:
        throw new OdooFault('werkzeug.exceptions.NotFound', `Method ${method} not found on ${model}`, 404);
    }
  }

  private table(model: string): Map<number, Values> {
    const table = this.records.get(model);
    if (!table) throw new OdooFault('builtins.KeyError', `Model ${model} does not exist`, 404);
    return table;
  }

  private execute(model: string, method: string, args: unknown[], kwargs: Values): unknown {
    const table = this.table(model);
    const project = (id: number, values: Values, fields?: unknown): Values => {
      const all: Values = { ...values, id };
      if (!Array.isArray(fields) || fields.length === 0) return all;
      const names = fields.filter((f): f is string => typeof f === 'string');
      return Object.fromEntries([['id', id], ...names.map((f) => [f, all[f] ?? false] as const)]);
    };
    switch (method) {
      case 'search':
      case 'search_read': {
        const domain = (args[0] ?? []) as Term[];
        const limit = typeof kwargs.limit === 'number' ? kwargs.limit : Infinity;
        const found = [...table.entries()]
          .filter(([, values]) => evaluateDomain(values, domain))
          .slice(0, limit);
        return method === 'search'
          ? found.map(([id]) => id)
          : found.map(([id, v]) => project(id, v, kwargs.fields));
      }
      case 'create': {
        const list = Array.isArray(args[0]) ? (args[0] as Values[]) : [args[0] as Values];
        const ids = list.map((values) => {
          const id = this.nextId++;
          table.set(id, { ...values });
          return id;
        });
        return Array.isArray(args[0]) ? ids : ids[0];
      }
      case 'write': {
        const [ids, values] = args as [number[], Values];
        for (const id of ids) {
          const existing = table.get(id);
          if (!existing)
            throw new OdooFault('odoo.exceptions.MissingError', `Record ${model}(${id}) does not exist`, 404);
          table.set(id, { ...existing, ...values });
        }
        return true;
      }
      case 'read': {
        const ids = (args[0] ?? []) as number[];
        return ids.flatMap((id) => {
          const values = table.get(id);
          return values ? [project(id, values, kwargs.fields)] : [];
        });
      }
      default:
        throw new OdooFault(
          'builtins.AttributeError',
          `The method '${method}' does not exist on the model '${model}'`,
        );
    }
  }
}
