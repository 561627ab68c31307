import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a fake received, with the operation it understood (e.g. "crm.lead.create", "events.insert"). */
export interface FakeCall {
  op: string;
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** The parsed JSON or form body (null when empty). */
  body: unknown;
  raw: string;
}

export interface FakeResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

type Matcher = string | ((call: FakeCall) => boolean);

interface Rule {
  match: Matcher;
  remaining: number;
  /** Answer this instead of doing the work. */
  fail?: (call: FakeCall) => FakeResponse;
  /** Wait this long: after doing the work (the client may give up, the work is done) or before it. */
  delayMs?: number;
  delayWhen?: 'before' | 'after';
}

/**
 * The shared part of the fake outside systems: a node:http server on a free port that records every call and
 * can be told to fail or be slow for the next calls of an operation.
 */
export abstract class FakeServer {
  readonly calls: FakeCall[] = [];
  private readonly rules: Rule[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private server: Server | undefined;
  url = '';

  /** Names the operation of a request (before its body is handled). */
  protected abstract operationOf(method: string, path: string, body: unknown): string;
  protected abstract handle(call: FakeCall): Promise<FakeResponse> | FakeResponse;

  async listen(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        void this.serve(
          req.method ?? 'GET',
          req.url ?? '/',
          req.headers,
          Buffer.concat(chunks).toString(),
          res,
        );
      });
    });
    await new Promise<void>((resolve) => {
      this.server?.listen(0, '127.0.0.1', resolve);
    });
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) =>
      server.close(() => {
        resolve();
      }),
    );
  }

  /** The next `times` calls of `match` answer `response` (a status and body, or built from the call). */
  failNext(match: Matcher, response: FakeResponse | ((call: FakeCall) => FakeResponse), times = 1): void {
    this.rules.push({
      match,
      remaining: times,
      fail: typeof response === 'function' ? response : () => response,
    });
  }

  /** The next `times` calls of `match` take `ms` longer; by default the work is done first, then the wait. */
  delayNext(match: Matcher, ms: number, options: { times?: number; when?: 'before' | 'after' } = {}): void {
    this.rules.push({
      match,
      remaining: options.times ?? 1,
      delayMs: ms,
      delayWhen: options.when ?? 'after',
    });
  }

  callsOf(op: string): FakeCall[] {
    return this.calls.filter((call) => call.op === op);
  }

  reset(): void {
    this.calls.length = 0;
    this.rules.length = 0;
  }

  private takeRule(call: FakeCall): Rule | undefined {
    const rule = this.rules.find(
      (r) => r.remaining > 0 && (typeof r.match === 'string' ? r.match === call.op : r.match(call)),
    );
    if (rule) rule.remaining -= 1;
    return rule;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }

  private async serve(
    method: string,
    rawUrl: string,
    headers: IncomingHttpHeaders,
    raw: string,
    res: ServerResponse,
  ): Promise<void> {
    const url = new URL(rawUrl, 'http://fake');
    let body: unknown = null;
    if (raw) {
      body = headers['content-type']?.startsWith('application/x-www-form-urlencoded')
        ? Object.fromEntries(new URLSearchParams(raw))
        : safeJson(raw);
    }
    const call: FakeCall = {
      op: this.operationOf(method, url.pathname, body),
      method,
      path: url.pathname,
      query: url.searchParams,
      headers,
      body,
      raw,
    };
    this.calls.push(call);
    const rule = this.takeRule(call);
    let response: FakeResponse;
    try {
      if (rule?.delayMs && rule.delayWhen === 'before') await this.sleep(rule.delayMs);
      response = rule?.fail ? rule.fail(call) : await this.handle(call);
      if (rule?.delayMs && rule.delayWhen === 'after') await this.sleep(rule.delayMs);
    } catch (error) {
      response = { status: 500, body: { error: String(error) } };
    }
    if (res.destroyed) return;
    const text = response.body === undefined ? '' : JSON.stringify(response.body);
    res.writeHead(response.status, {
      ...(text ? { 'content-type': 'application/json; charset=utf-8' } : {}),
      ...response.headers,
    });
    res.end(text);
  }
}

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}
