/**
 * The admin panel as a person meets it: `npm run bench:panel`.
 *
 * Builds dist/admin when stale, starts the server (`node --import tsx src/main.ts`) on a fresh embedded database
 * in a temporary DATA_DIR, adds 200 pages through the API, then drives Debian's Chromium (playwright-core):
 *
 * 1. What the first screen (the sign-in form) costs: the JavaScript and CSS it loads, as sent (the server's
 *    pre-compressed gzip files; Chromium is asked for gzip only, as the budget is stated in gzip) and unpacked.
 * 2. Time until the sign-in form is usable (its e-mail input visible and enabled), from the start of the
 *    navigation, with an empty cache (a new browser context each run) and with a warm one (a reload).
 * 3. Time until the page list is usable (its first row visible), from a click on the menu after signing in.
 *
 * Each time is the median of BENCH_RUNS runs (default 7). It prints the figures against the budget below and
 * exits 1 when one is over (or when anything fails).
 *
 * Environment: BENCH_RUNS (default 7), CHROMIUM_PATH (default /usr/bin/chromium).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.env['BENCH_RUNS'] ?? 7);
const ADMIN = { email: 'bench-panel@example.com', password: 'bench-panel-password' };

/** The budget this bench holds the panel to (see bench/README.md for why these numbers). */
const BUDGET = {
  firstScreenJsGzipKiB: 420,
  firstScreenCssGzipKiB: 10,
  signInUsableColdMs: 1500,
  signInUsableWarmMs: 800,
  pageListUsableMs: 2000,
};

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  return port;
}

async function startServer(dataDir: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      APP_SECRET: 'bench-panel-secret-of-at-least-32-characters',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      AUTH_RATE_LIMIT: '0',
      NODE_ENV: 'production',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode})`);
    const ready = await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => null);
    if (ready?.ok) return child;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill('SIGKILL');
  throw new Error('the server did not become ready in 60 s');
}

async function addPages(origin: string, count: number): Promise<void> {
  const login = await fetch(`${origin}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  if (!login.ok) throw new Error(`sign-in failed: ${login.status} ${await login.text()}`);
  const { access_token: token } = (await login.json()) as { access_token: string };
  for (let i = 1; i <= count; i++) {
    const created = await fetch(`${origin}/api/v1/pages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        slug: `bench-panel-${String(i).padStart(3, '0')}`,
        title: { en: `Bench page ${i}`, de: `Testseite ${i}` },
      }),
    });
    if (!created.ok) throw new Error(`creating a page failed: ${created.status} ${await created.text()}`);
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
};

interface Transfer {
  js: { sent: number; size: number };
  css: { sent: number; size: number };
}

/** Loads the sign-in screen in a fresh context; answers the time until its e-mail input is usable. */
async function signInScreen(browser: Browser, origin: string, transfer?: Transfer): Promise<number> {
  const context = await browser.newContext({ extraHTTPHeaders: { 'accept-encoding': 'gzip' } });
  const page = await context.newPage();
  if (transfer) {
    page.on('response', (response) => {
      const type = response.request().resourceType();
      if (type !== 'script' && type !== 'stylesheet') return;
      void (async () => {
        const body = await response.body();
        const sent = Number((await response.allHeaders())['content-length'] ?? body.length);
        const entry = type === 'script' ? transfer.js : transfer.css;
        entry.sent += sent;
        entry.size += body.length;
      })();
    });
  }
  const started = Date.now();
  await page.goto(`${origin}/admin/login`);
  await usable(page, 'input[name="email"]');
  const elapsed = Date.now() - started;
  await context.close();
  return elapsed;
}

async function usable(page: Page, selector: string): Promise<void> {
  await page.waitForSelector(`${selector}:not([disabled])`, { state: 'visible', timeout: 30_000 });
}

async function main(): Promise<void> {
  const built = spawnSync(process.execPath, ['scripts/build.js', '--admin', '--if-stale'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (built.status !== 0) throw new Error('building the panel failed');

  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'magnetiq-bench-panel-'));
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const server = await startServer(dataDir, port);
  const browser = await chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  try {
    await addPages(origin, 200);

    const transfer: Transfer = { js: { sent: 0, size: 0 }, css: { sent: 0, size: 0 } };
    await signInScreen(browser, origin, transfer);
    // Let the response handlers finish reading the bodies.
    await new Promise((resolve) => setTimeout(resolve, 500));

    const cold: number[] = [];
    for (let i = 0; i < RUNS; i++) cold.push(await signInScreen(browser, origin));

    const warm: number[] = [];
    const list: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${origin}/admin/login`);
      await usable(page, 'input[name="email"]');
      let started = Date.now();
      await page.reload();
      await usable(page, 'input[name="email"]');
      warm.push(Date.now() - started);

      await page.fill('input[name="email"]', ADMIN.email);
      await page.fill('input[name="password"]', ADMIN.password);
      await page.click('button[type="submit"]');
      await page.waitForURL((url) => !url.pathname.endsWith('/login'));
      const menu = page.locator('a[href="/admin/pages"]').first();
      await menu.waitFor();
      started = Date.now();
      await menu.click();
      await page
        .locator('table tbody tr')
        .first()
        .waitFor({ timeout: 30_000 })
        .catch(async (error: unknown) => {
          await page.screenshot({ path: path.join(os.tmpdir(), 'bench-panel-list.png') });
          throw error;
        });
      list.push(Date.now() - started);
      await context.close();
    }

    const kib = (bytes: number) => bytes / 1024;
    const rows: [string, number, number, string][] = [
      [
        'first screen JavaScript, gzip (KiB)',
        kib(transfer.js.sent),
        BUDGET.firstScreenJsGzipKiB,
        `${kib(transfer.js.size).toFixed(0)} KiB unpacked`,
      ],
      [
        'first screen CSS, gzip (KiB)',
        kib(transfer.css.sent),
        BUDGET.firstScreenCssGzipKiB,
        `${kib(transfer.css.size).toFixed(0)} KiB unpacked (MUI styles are made at run time)`,
      ],
      [
        'sign-in form usable, empty cache (ms)',
        median(cold),
        BUDGET.signInUsableColdMs,
        `runs: ${cold.join(', ')}`,
      ],
      [
        'sign-in form usable, warm cache (ms)',
        median(warm),
        BUDGET.signInUsableWarmMs,
        `runs: ${warm.join(', ')}`,
      ],
      [
        'page list usable after the menu click (ms)',
        median(list),
        BUDGET.pageListUsableMs,
        `runs: ${list.join(', ')}`,
      ],
    ];
    let over = 0;
    console.log(`admin panel on ${os.cpus().length} CPUs, median of ${RUNS} runs\n`);
    for (const [name, value, budget, note] of rows) {
      const ok = value <= budget;
      if (!ok) over++;
      console.log(
        `${ok ? 'ok  ' : 'OVER'} ${name.padEnd(46)} ${value.toFixed(0).padStart(6)}  (budget ${budget})  ${note}`,
      );
    }
    if (over > 0) process.exitCode = 1;
  } finally {
    await browser.close();
    server.kill('SIGTERM');
    await once(server, 'exit');
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
