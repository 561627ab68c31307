/**
 * HTTP benchmark harness: `npm run bench`.
 *
 * Starts the server as a separate child process (`node --import tsx src/main.ts`) against a dedicated
 * PostgreSQL database, drives it from this process with autocannon one scenario at a time, samples the
 * child's resident memory while each scenario runs, prints a table and stops the server again.
 *
 * Environment:
 *   BENCH_DATABASE_URL  database the server uses (created when missing);
 *                       default postgres://postgres@127.0.0.1:5432/magnetiq_bench
 *   BENCH_CONNECTIONS   concurrent connections (default 50)
 *   BENCH_DURATION      measured seconds per scenario (default 10); each is preceded by a 2 s warm-up
 *
 * Exit code: 0 when every scenario finished without connection errors or non-2xx responses, 1 otherwise
 * (also when the server could not be started).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';

/** One benchmarked request. Later issues append to SCENARIOS. */
interface Scenario {
  name: string;
  path: string;
  method?: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  headers?: Record<string, string>;
  body?: string;
  /** Sent with the bench admin's bearer token (signed in once before the scenarios run). */
  signedIn?: boolean;
  /** At most this many connections, for deliberately expensive requests (password hashing). */
  maxConnections?: number;
}

const ADMIN = { email: 'bench@example.com', password: 'bench-password-123' };
const HEALTH_LIVE = 'health/live (framework floor)';
const PAGE_BY_SLUG = 'public page by slug (cached, 10,000 pages)';
/** The page-by-slug scenario must reach at least this share of /health/live's requests per second. */
const PAGE_RATIO_TARGET = 0.5;
const JSON_HEADERS = { 'content-type': 'application/json' };

const SCENARIOS: readonly Scenario[] = [
  { name: HEALTH_LIVE, path: '/health/live' },
  { name: 'health/ready (1 db round trip)', path: '/health/ready' },
  { name: 'auth/me (guard: session, grants; user)', path: '/api/v1/auth/me', signedIn: true },
  { name: 'users list (page + count)', path: '/api/v1/users?per_page=25', signedIn: true },
  {
    name: 'auth/login (argon2id verify, new session)',
    path: '/api/v1/auth/login',
    method: 'POST',
    headers: JSON_HEADERS,
    body: JSON.stringify(ADMIN),
    // Each verification is ~170 ms of CPU by design; 50 queued sign-ins would only measure the queue.
    maxConnections: 4,
  },
  { name: PAGE_BY_SLUG, path: '/api/v1/public/pages/bench-page-05000?lang=de' },
  {
    name: 'public search (german, ranked, snippets)',
    path: `/api/v1/public/search?q=${encodeURIComponent('Beratung Häuser')}&lang=de`,
  },
];

/** The bench admin's access token, for the signed-in scenarios. */
async function signIn(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: JSON_HEADERS,
    body: JSON.stringify(ADMIN),
  });
  if (!response.ok) throw new BenchError(`sign-in failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/magnetiq_bench';
const WARMUP_SECONDS = 2;
const READY_POLL_MS = 200;
const READY_TIMEOUT_MS = 60_000;
const RSS_SAMPLE_MS = 100;
const STOP_TIMEOUT_MS = 10_000;
const OUTPUT_TAIL_BYTES = 64 * 1024;

/** An expected failure (server would not start, crashed, bad configuration): reported without a stack. */
class BenchError extends Error {}

interface ScenarioReport {
  name: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  total: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  errorSamples: string[];
  peakRssMiB: number | null;
}

// ---------------------------------------------------------------------------------------------------------
// Configuration

function positiveNumberFromEnv(name: string, fallback: number, integer: boolean): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new BenchError(`${name} must be a positive ${integer ? 'integer' : 'number'}, got "${raw}"`);
  }
  return value;
}

// ---------------------------------------------------------------------------------------------------------
// Database

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function errorCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
}

/** Creates the benchmark database on the same server when it does not exist yet. */
async function ensureDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (database === '') throw new BenchError(`BENCH_DATABASE_URL has no database name: ${databaseUrl}`);
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${quoteIdentifier(database)}`);
    console.log(`created database ${database}`);
  } catch (error) {
    if (errorCode(error) !== '42P04') throw error; // duplicate_database: already there
  } finally {
    await client.end();
  }
}

const BENCH_PAGES = 10_000;
const SEED_BATCH = 1_000;
const WORDS_EN = [
  'house',
  'consulting',
  'software',
  'security',
  'data',
  'analysis',
  'cloud',
  'network',
  'training',
  'audit',
  'strategy',
  'automation',
  'customers',
  'project',
  'solution',
  'integration',
  'platform',
  'quality',
  'infrastructure',
  'migration',
  'support',
  'compliance',
  'innovation',
  'workshop',
];
const WORDS_DE = [
  'Haus',
  'Beratung',
  'Software',
  'Sicherheit',
  'Daten',
  'Analyse',
  'Wolke',
  'Netzwerk',
  'Schulung',
  'Prüfung',
  'Strategie',
  'Automatisierung',
  'Kunden',
  'Projekt',
  'Lösung',
  'Integration',
  'Plattform',
  'Qualität',
  'Infrastruktur',
  'Migration',
  'Unterstützung',
  'Häuser',
  'Innovation',
  'Werkstatt',
];

/**
 * Makes sure the benchmark database holds BENCH_PAGES published pages (bench-page-00001…): inserts the
 * missing ones in batches, with bilingual titles and content built from varied words so that searches match
 * some pages and not others. Idempotent: an existing page of that slug is left as it is. Runs after the
 * server started (its migrations created the table; the bench admin authors the pages).
 */
async function ensurePages(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const present = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pages WHERE slug LIKE 'bench-page-%' AND deleted_at IS NULL`,
    );
    if ((present.rows[0]?.n ?? 0) >= BENCH_PAGES) return;
    const author = await client.query<{ id: string }>('SELECT id FROM admin_users WHERE email = $1', [
      ADMIN.email,
    ]);
    const authorId = author.rows[0]?.id;
    if (authorId === undefined) throw new BenchError(`the bench admin ${ADMIN.email} does not exist`);
    const started = Date.now();
    for (let first = 1; first <= BENCH_PAGES; first += SEED_BATCH) {
      const last = Math.min(BENCH_PAGES, first + SEED_BATCH - 1);
      // Word i mod n, (i / 7) mod n, (i / 49) mod n: neighbouring pages differ, every word recurs.
      await client.query(
        `INSERT INTO pages (slug, title, content, excerpt, meta_description, status, published_at,
                            sort_order, created_by, updated_by)
         SELECT 'bench-page-' || lpad(i::text, 5, '0'),
                jsonb_build_object(
                  'en', initcap(en[1 + i % n]) || ' ' || en[1 + (i / 7) % n] || ' ' || i,
                  'de', de[1 + i % n] || ' und ' || de[1 + (i / 7) % n] || ' ' || i),
                jsonb_build_object(
                  'en', '# ' || initcap(en[1 + i % n]) || E'\n\nOur ' || en[1 + (i / 7) % n] || ' team helps with '
                        || en[1 + (i / 49) % n] || ' and ' || en[1 + (i / 3) % n] || ' for customers of every size. '
                        || repeat('We plan, build and run ' || en[1 + (i / 11) % n] || ' systems. ', 8),
                  'de', '# ' || de[1 + i % n] || E'\n\nUnser Team für ' || de[1 + (i / 7) % n] || ' hilft bei '
                        || de[1 + (i / 49) % n] || ' und ' || de[1 + (i / 3) % n] || ' für Kunden jeder Größe. '
                        || repeat('Wir planen, bauen und betreiben Systeme für ' || de[1 + (i / 11) % n] || '. ', 8)),
                jsonb_build_object('en', 'About ' || en[1 + i % n], 'de', 'Über ' || de[1 + i % n]),
                CASE WHEN i % 2 = 0 THEN jsonb_build_object('en', 'Page ' || i) END,
                'published', now() - interval '1 day', i, $3, $3
         FROM generate_series($1::int, $2::int) AS i,
              (SELECT $4::text[] AS en, $5::text[] AS de, cardinality($4::text[]) AS n) AS words
         ON CONFLICT (slug) WHERE deleted_at IS NULL DO NOTHING`,
        [first, last, authorId, WORDS_EN, WORDS_DE],
      );
    }
    await client.query('ANALYZE pages');
    console.log(`seeded up to ${BENCH_PAGES} bench pages in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------------------
// Server process

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

/** Keeps the last `limit` bytes of a stream so a failure can show what the server said. */
class OutputTail {
  private chunks: Buffer[] = [];
  private size = 0;

  constructor(private readonly limit: number) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size > this.limit && this.chunks.length > 1) {
      const dropped = this.chunks.shift();
      this.size -= dropped?.length ?? 0;
    }
  }

  text(): string {
    const all = Buffer.concat(this.chunks);
    return all
      .subarray(Math.max(0, all.length - this.limit))
      .toString('utf8')
      .trimEnd();
  }
}

interface ServerHandle {
  child: ChildProcess;
  pid: number;
  baseUrl: string;
  stdout: OutputTail;
  stderr: OutputTail;
  exited: Promise<void>;
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function describeExit(child: ChildProcess): string {
  return child.signalCode !== null ? `signal ${child.signalCode}` : `exit code ${String(child.exitCode)}`;
}

function serverOutput(server: ServerHandle): string {
  const stderr = server.stderr.text();
  const stdout = server.stdout.text();
  const parts: string[] = [];
  parts.push(`--- server stderr ---\n${stderr === '' ? '(empty)' : stderr}`);
  if (stdout !== '') parts.push(`--- server stdout ---\n${stdout}`);
  return parts.join('\n');
}

function startServer(env: Record<string, string>, port: number): ServerHandle {
  // Spawn node itself (not npm/tsx wrappers) so the pid we sample is the server's own process.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new BenchError('could not spawn the server process');
  const stdout = new OutputTail(OUTPUT_TAIL_BYTES);
  const stderr = new OutputTail(OUTPUT_TAIL_BYTES);
  child.stdout.on('data', (chunk: Buffer) => {
    stdout.push(chunk);
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr.push(chunk);
  });
  const exited = new Promise<void>((resolve) => {
    if (hasExited(child)) resolve();
    else
      child.once('exit', () => {
        resolve();
      });
  });
  return { child, pid: child.pid, baseUrl: `http://127.0.0.1:${port}`, stdout, stderr, exited };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitUntilReady(server: ServerHandle): Promise<void> {
  const url = `${server.baseUrl}/health/ready`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (hasExited(server.child)) {
      throw new BenchError(
        `server exited (${describeExit(server.child)}) before ${url} answered 200\n${serverOutput(server)}`,
      );
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.status === 200) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await sleep(READY_POLL_MS);
  }
  throw new BenchError(
    `server did not answer 200 on ${url} within ${READY_TIMEOUT_MS / 1000} s (last: ${last})\n${serverOutput(server)}`,
  );
}

async function stopServer(server: ServerHandle): Promise<void> {
  if (hasExited(server.child)) return;
  server.child.kill('SIGTERM');
  const timedOut = await Promise.race([
    server.exited.then(() => false),
    sleep(STOP_TIMEOUT_MS).then(() => true),
  ]);
  if (timedOut && !hasExited(server.child)) {
    console.error(`server did not exit within ${STOP_TIMEOUT_MS / 1000} s of SIGTERM; sending SIGKILL`);
    server.child.kill('SIGKILL');
    await server.exited;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Memory sampling

async function readRssKiB(pid: number): Promise<number | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match?.[1] === undefined ? null : Number(match[1]);
  } catch {
    return null; // not Linux, or the process is gone
  }
}

/** Samples VmRSS of one pid every RSS_SAMPLE_MS until stopped; reports the peak. */
class RssSampler {
  private peakKiB: number | null = null;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;

  constructor(private readonly pid: number) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => {
      this.sample();
    }, RSS_SAMPLE_MS);
  }

  private sample(): void {
    if (this.inFlight !== undefined) return;
    this.inFlight = readRssKiB(this.pid).then((kib) => {
      if (kib !== null && (this.peakKiB === null || kib > this.peakKiB)) this.peakKiB = kib;
      this.inFlight = undefined;
    });
  }

  async stop(): Promise<number | null> {
    clearInterval(this.timer);
    await this.inFlight;
    return this.peakKiB === null ? null : this.peakKiB / 1024;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Load

function loadOptions(server: ServerHandle, scenario: Scenario, connections: number, duration: number) {
  const options: autocannon.Options = {
    url: `${server.baseUrl}${scenario.path}`,
    method: scenario.method ?? 'GET',
    connections,
    duration,
    title: scenario.name,
  };
  if (scenario.headers !== undefined) options.headers = scenario.headers;
  if (scenario.body !== undefined) options.body = scenario.body;
  return options;
}

async function runScenario(
  server: ServerHandle,
  scenario: Scenario,
  connections: number,
  duration: number,
): Promise<ScenarioReport> {
  process.stdout.write(`${scenario.name}: warm-up ${WARMUP_SECONDS} s… `);
  await autocannon(loadOptions(server, scenario, connections, WARMUP_SECONDS));

  process.stdout.write(`measuring ${duration} s… `);
  const errorSamples = new Map<string, number>();
  const sampler = new RssSampler(server.pid);
  sampler.start();
  let result: autocannon.Result;
  let peakRssMiB: number | null;
  try {
    const instance = autocannon(loadOptions(server, scenario, connections, duration));
    instance.on('reqError', (error) => {
      const key = error.message || error.name;
      errorSamples.set(key, (errorSamples.get(key) ?? 0) + 1);
    });
    result = await instance;
  } finally {
    peakRssMiB = await sampler.stop();
  }
  process.stdout.write('done\n');

  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats)) statusCodes[code] = stat.count;
  const total = Object.values(statusCodes).reduce((sum, count) => sum + count, 0);

  return {
    name: scenario.name,
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    errorSamples: [...errorSamples].slice(0, 5).map(([message, count]) => `${count}× ${message}`),
    peakRssMiB,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Output

function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => {
        const width = widths[column] ?? cell.length;
        return column === 0 ? cell.padEnd(width) : cell.padStart(width);
      })
      .join('  ');
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/** autocannon records latency in whole milliseconds; avoid implying more precision than that. */
function formatMs(value: number): string {
  return String(Number(value.toFixed(2)));
}

function printReports(reports: readonly ScenarioReport[]): void {
  const header = ['scenario', 'req/s (avg)', 'p50 ms', 'p99 ms', 'non-2xx', 'errors', 'peak RSS MiB'];
  const rows = reports.map((report) => [
    report.name,
    report.requestsPerSecond.toFixed(0),
    formatMs(report.p50),
    formatMs(report.p99),
    String(report.non2xx),
    String(report.errors),
    report.peakRssMiB === null ? 'n/a' : report.peakRssMiB.toFixed(1),
  ]);
  console.log(`\n${formatTable(header, rows)}\n`);

  for (const report of reports) {
    if (report.non2xx === 0 && report.errors === 0) continue;
    const codes = Object.entries(report.statusCodes)
      .map(([code, count]) => `${code}: ${count}`)
      .join(', ');
    console.log(
      `! ${report.name}: ${report.non2xx} non-2xx, ${report.errors} errors (${report.timeouts} timeouts)`,
    );
    console.log(`    status codes: ${codes === '' ? 'none' : codes}`);
    for (const sample of report.errorSamples) console.log(`    error: ${sample}`);
  }
}

/** The published page by slug against the framework floor of the same run; false when below the target. */
function printPageRatio(reports: readonly ScenarioReport[]): boolean {
  const live = reports.find((report) => report.name === HEALTH_LIVE);
  const page = reports.find((report) => report.name === PAGE_BY_SLUG);
  if (!live || !page || live.requestsPerSecond === 0) return true;
  const ratio = page.requestsPerSecond / live.requestsPerSecond;
  const met = ratio >= PAGE_RATIO_TARGET;
  console.log(
    `page by slug / health/live: ${page.requestsPerSecond.toFixed(0)} / ${live.requestsPerSecond.toFixed(0)} req/s` +
      ` = ${ratio.toFixed(2)} (target ≥ ${PAGE_RATIO_TARGET}: ${met ? 'met' : 'NOT met'})\n`,
  );
  return met;
}

// ---------------------------------------------------------------------------------------------------------
// Main

async function main(): Promise<number> {
  const connections = positiveNumberFromEnv('BENCH_CONNECTIONS', 50, true);
  const duration = positiveNumberFromEnv('BENCH_DURATION', 10, false);
  const databaseUrl = process.env['BENCH_DATABASE_URL'] ?? DEFAULT_DATABASE_URL;

  const cpus = os.cpus();
  console.log(
    `machine: ${cpus.length} CPUs (${cpus[0]?.model.trim() ?? 'unknown model'}), ` +
      `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB RAM, ${os.platform()} ${os.release()}`,
  );
  console.log(`node ${process.version}`);
  console.log(
    `load: ${connections} connections, ${duration} s per scenario after a ${WARMUP_SECONDS} s warm-up; ` +
      `database ${new URL(databaseUrl).pathname.slice(1)}\n`,
  );

  await ensureDatabase(databaseUrl);

  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'magnetiq-bench-'));
  const port = await freePort();
  let server: ServerHandle | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    console.error(`\n${signal}: stopping the server`);
    const stop = server === undefined ? Promise.resolve() : stopServer(server);
    void stop.finally(() => rm(dataDir, { recursive: true, force: true })).finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    server = startServer(
      {
        DATABASE_URL: databaseUrl,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
        // The sign-in scenario would otherwise measure the rate limiter's 429s.
        AUTH_RATE_LIMIT: '0',
        // Long enough that the token of the signed-in scenarios outlives the run.
        ACCESS_TOKEN_MINUTES: '120',
      },
      port,
    );
    const startedAt = Date.now();
    await waitUntilReady(server);
    const idleRss = await readRssKiB(server.pid);
    console.log(
      `server pid ${server.pid} ready on ${server.baseUrl} after ${((Date.now() - startedAt) / 1000).toFixed(1)} s` +
        (idleRss === null ? '' : `, idle RSS ${(idleRss / 1024).toFixed(1)} MiB`) +
        '\n',
    );

    await ensurePages(databaseUrl);
    const token = await signIn(server.baseUrl);
    const reports: ScenarioReport[] = [];
    for (const listed of SCENARIOS) {
      const scenario = listed.signedIn
        ? { ...listed, headers: { ...listed.headers, authorization: `Bearer ${token}` } }
        : listed;
      const limit = Math.min(connections, scenario.maxConnections ?? connections);
      reports.push(await runScenario(server, scenario, limit, duration));
      if (hasExited(server.child)) {
        printReports(reports);
        throw new BenchError(
          `server exited (${describeExit(server.child)}) during "${scenario.name}"\n${serverOutput(server)}`,
        );
      }
    }

    printReports(reports);
    const ratioMet = printPageRatio(reports);
    const failed = reports.filter((report) => report.non2xx > 0 || report.errors > 0);
    if (failed.length > 0) {
      console.error(
        `FAILED: ${failed.map((report) => report.name).join(', ')} had errors or non-2xx responses`,
      );
      const output = serverOutput(server);
      if (server.stderr.text() !== '') console.error(output);
      return 1;
    }
    return ratioMet ? 0 : 1;
  } finally {
    if (server !== undefined) await stopServer(server);
    await rm(dataDir, { recursive: true, force: true });
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    let detail = String(error);
    if (error instanceof BenchError) detail = error.message;
    else if (error instanceof Error) detail = error.stack ?? error.message;
    console.error(`\nbench failed: ${detail}`);
    process.exit(1);
  },
);
