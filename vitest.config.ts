import { defineConfig } from 'vitest/config';

// The admin panel's browser tests (test/browser) drive Chromium against the app on the embedded database. CI runs
// the suite twice at once, on PGlite and on the PostgreSQL server (TEST_DATABASE_URL); the browser tests run in
// the PGlite pass only, since what they test is the panel, and two Chromiums at once would only halve the cores
// each gets. BROWSER_TESTS=1 runs them on the server too.
// The website's HTML checks (W3C Nu Html Checker on Java, `valid-html.test.ts`) check markup, which no database
// changes: they run in the PGlite pass only too.
const onServer = Boolean(process.env['TEST_DATABASE_URL']) && process.env['BROWSER_TESTS'] !== '1';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**', ...(onServer ? ['test/browser/**', '**/valid-html.test.ts'] : [])],
    globalSetup: ['test/setup/global.ts'],
    setupFiles: ['test/setup/argon2.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
