import { randomUUID } from 'node:crypto';
import {
  IntegrationError,
  type CallContext,
  type IntegrationHttp,
  type RemoteError,
  type RetryContext,
} from './http.ts';

/**
 * Odoo over either of its external APIs, chosen by configuration:
 *  - 'jsonrpc' (Odoo 17/18, deprecated from 19): POST /jsonrpc, `common.authenticate` once for the uid, then
 *    `object.execute_kw(db, uid, password, model, method, args, kwargs)`; errors come as HTTP 200 with an
 *    "error" member. The password may be an API key.
 *  - 'json2' (Odoo 19+): POST /json/2/<model>/<method> with named arguments, `Authorization: bearer <API key>`
 *    and `X-Odoo-Database`; errors come as HTTP 4xx/5xx with {name, message}.
 * Reads and writes are retried on transient failures; a bare create is not (it may have happened). ensure()
 * searches before it creates, so repeating it after a timeout finds the record instead of making a second.
 */

export type OdooProtocol = 'jsonrpc' | 'json2';

export interface OdooConfig {
  /** Base URL, e.g. https://voltaic.odoo.com */
  url: string;
  database: string;
  /** JSON-RPC: the user's login. */
  login?: string;
  /** JSON-RPC: the user's password (or an API key in its place). */
  password?: string;
  /** JSON-2: the API key (bearer); JSON-RPC uses it in place of the password when given. */
  apiKey?: string;
  protocol: OdooProtocol;
  timeoutMs?: number;
}

export const ODOO_MODELS = ['res.partner', 'crm.lead', 'event.event', 'event.registration'] as const;
export type OdooModel = (typeof ODOO_MODELS)[number];

/** An Odoo domain: terms [field, operator, value], with '&', '|' and '!' in prefix notation. */
export type OdooDomain = (string | [string, string, unknown])[];
export type OdooValues = Record<string, unknown>;
export type OdooRecord = { id: number } & OdooValues;

type Method = 'search' | 'search_read' | 'create' | 'write';

interface Named {
  domain?: OdooDomain;
  fields?: string[];
  limit?: number;
  vals_list?: OdooValues[];
  ids?: number[];
  vals?: OdooValues;
}

interface CallOptions {
  idempotent: boolean;
  retryContext?: RetryContext | null;
}

export interface EnsureInput {
  /** How to recognise the record if it already exists, e.g. [['email_from', '=', 'a@b.c']]. */
  match: OdooDomain;
  values: OdooValues;
  /** Found records get `values` written too (default: left as they are). */
  update?: boolean;
}

function jsonRpcError(body: unknown): RemoteError | null {
  const error = (body as { error?: { message?: string; data?: { name?: string; message?: string } } } | null)
    ?.error;
  if (!error) return null;
  return {
    code: error.data?.name ?? 'odoo.error',
    message: error.data?.message ?? error.message ?? 'Odoo answered with an error',
  };
}

function json2Error(status: number, body: unknown): RemoteError {
  if (body && typeof body === 'object' && 'name' in body) {
    const { name, message } = body as { name?: string; message?: string };
    return { code: name ?? `http_${status}`, message: message ?? `Odoo answered HTTP ${status}` };
  }
  return {
    code: `http_${status}`,
    message: typeof body === 'string' && body ? body.slice(0, 500) : `Odoo answered HTTP ${status}`,
  };
}

export class OdooClient {
  private uid: number | null = null;
  private rpcId = 0;
  private readonly base: string;

  constructor(
    private readonly config: OdooConfig,
    private readonly http: IntegrationHttp,
  ) {
    this.base = config.url.replace(/\/+$/, '');
    if (config.protocol === 'json2' && !config.apiKey) {
      throw new IntegrationError('config', 'Odoo JSON-2 needs an API key');
    }
    if (config.protocol === 'jsonrpc' && (!config.login || !(config.password ?? config.apiKey))) {
      throw new IntegrationError('config', 'Odoo JSON-RPC needs a login and a password or API key');
    }
  }

  private get secrets(): (string | undefined)[] {
    return [this.config.password, this.config.apiKey];
  }

  async searchRead(
    model: OdooModel,
    domain: OdooDomain,
    options: { fields?: string[]; limit?: number } = {},
    context: CallContext = {},
  ): Promise<OdooRecord[]> {
    const result = await this.call(
      model,
      'search_read',
      { domain, ...options },
      { idempotent: true },
      context,
    );
    return result as OdooRecord[];
  }

  async search(
    model: OdooModel,
    domain: OdooDomain,
    options: { limit?: number } = {},
    context: CallContext = {},
    retryContext?: RetryContext,
  ): Promise<number[]> {
    const result = await this.call(
      model,
      'search',
      { domain, ...options },
      { idempotent: true, retryContext: retryContext ?? null },
      context,
    );
    return result as number[];
  }

  /** One record; not retried (a timed-out create may have happened): use ensure() where a retry may follow. */
  async create(
    model: OdooModel,
    values: OdooValues,
    context: CallContext = {},
    retryContext?: RetryContext,
  ): Promise<number> {
    const result = await this.call(
      model,
      'create',
      { vals_list: [values] },
      { idempotent: false, retryContext: retryContext ?? null },
      context,
    );
    const id = Array.isArray(result) ? (result[0] as unknown) : result;
    if (typeof id !== 'number') throw new IntegrationError('remote', `Odoo create answered no id`);
    return id;
  }

  /** Writes the same values again when retried: harmless, so it is. */
  async write(
    model: OdooModel,
    ids: number[],
    values: OdooValues,
    context: CallContext = {},
    retryContext?: RetryContext,
  ): Promise<void> {
    await this.call(
      model,
      'write',
      { ids, vals: values },
      {
        idempotent: true,
        retryContext: retryContext ?? { operation: 'write', input: { model, ids, values } },
      },
      context,
    );
  }

  /**
   * The record `match` finds, or a new one: search before create, so that repeating it after a timeout or
   * failure (here, or by a job or an admin's retry) never makes a duplicate. A transient failure of the
   * create is answered by searching again after a pause: the timed-out create may have landed.
   */
  async ensure(
    model: OdooModel,
    input: EnsureInput,
    context: CallContext = {},
  ): Promise<{ id: number; created: boolean }> {
    const ctx = { ...context, correlationId: context.correlationId ?? randomUUID() };
    const retryContext: RetryContext = { operation: 'ensure', input: { model, ...input } };
    const rounds = Math.max(1, this.http.retryPolicy.attempts);
    for (let round = 1; ; round++) {
      try {
        const [found] = await this.search(model, input.match, { limit: 1 }, ctx, retryContext);
        if (found !== undefined) {
          if (input.update) await this.write(model, [found], input.values, ctx, retryContext);
          return { id: found, created: false };
        }
        return { id: await this.create(model, input.values, ctx, retryContext), created: true };
      } catch (error) {
        if (!(error instanceof IntegrationError) || !error.transient || round >= rounds) throw error;
        await this.http.pause(round);
      }
    }
  }

  private async call(
    model: OdooModel,
    method: Method,
    named: Named,
    options: CallOptions,
    context: CallContext,
  ): Promise<unknown> {
    return this.config.protocol === 'json2'
      ? this.callJson2(model, method, named, options, context)
      : this.callJsonRpc(model, method, named, options, context);
  }

  private async callJson2(
    model: OdooModel,
    method: Method,
    named: Named,
    options: CallOptions,
    context: CallContext,
  ): Promise<unknown> {
    const response = await this.http.request(
      {
        operation: `${model}.${method}`,
        method: 'POST',
        url: `${this.base}/json/2/${model}/${method}`,
        headers: {
          authorization: `bearer ${this.config.apiKey ?? ''}`,
          'x-odoo-database': this.config.database,
          'user-agent': 'magnetiq',
        },
        json: named,
        idempotent: options.idempotent,
        describeError: json2Error,
        secrets: this.secrets,
        retryContext: options.retryContext ?? null,
      },
      context,
    );
    return response.body;
  }

  private rpc(service: 'common' | 'object', method: string, args: unknown[]) {
    this.rpcId += 1;
    return { jsonrpc: '2.0', method: 'call', params: { service, method, args }, id: this.rpcId };
  }

  private get rpcPassword(): string {
    return this.config.password ?? this.config.apiKey ?? '';
  }

  private async authenticate(context: CallContext, retryContext: RetryContext | null): Promise<number> {
    if (this.uid !== null) return this.uid;
    const response = await this.http.request(
      {
        operation: 'authenticate',
        method: 'POST',
        url: `${this.base}/jsonrpc`,
        json: this.rpc('common', 'authenticate', [
          this.config.database,
          this.config.login,
          this.rpcPassword,
          {},
        ]),
        idempotent: true,
        remoteError: jsonRpcError,
        secrets: this.secrets,
        retryContext,
      },
      context,
    );
    const uid = (response.body as { result?: unknown }).result;
    if (typeof uid !== 'number') {
      throw new IntegrationError('remote', `Odoo refused the login ${this.config.login ?? ''}`, {
        code: 'odoo.access_denied',
        logId: response.logId,
      });
    }
    this.uid = uid;
    return uid;
  }

  private async callJsonRpc(
    model: OdooModel,
    method: Method,
    named: Named,
    options: CallOptions,
    context: CallContext,
  ): Promise<unknown> {
    const uid = await this.authenticate(context, options.retryContext ?? null);
    let args: unknown[];
    let kwargs: Record<string, unknown> = {};
    switch (method) {
      case 'search':
      case 'search_read':
        args = [named.domain ?? []];
        kwargs = Object.fromEntries(
          Object.entries({ fields: named.fields, limit: named.limit }).filter(([, v]) => v !== undefined),
        );
        break;
      case 'create':
        args = [named.vals_list ?? []];
        break;
      case 'write':
        args = [named.ids ?? [], named.vals ?? {}];
        break;
    }
    const response = await this.http.request<{ result?: unknown }>(
      {
        operation: `${model}.${method}`,
        method: 'POST',
        url: `${this.base}/jsonrpc`,
        json: this.rpc('object', 'execute_kw', [
          this.config.database,
          uid,
          this.rpcPassword,
          model,
          method,
          args,
          kwargs,
        ]),
        idempotent: options.idempotent,
        remoteError: jsonRpcError,
        secrets: this.secrets,
        retryContext: options.retryContext ?? null,
      },
      context,
    );
    return response.body.result;
  }
}
