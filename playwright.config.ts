import { defineConfig, devices } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from './e2e/support/find-chromium.ts';

const chromium = findChromium();
// E2E_PORT lets several checkouts run their suites side by side on one machine.
const port = Number(process.env.E2E_PORT ?? 4173);

const browser = {
  ...devices['Desktop Chrome'],
  launchOptions: {
    ...(chromium.executablePath ? { executablePath: chromium.executablePath } : {}),
    args: [...CHROMIUM_ARGS],
  },
};

export default defineConfig({
  testDir: 'e2e',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  // A flaky test is a bug to fix, not to retry: a retry would hide it.
  retries: 0,
  workers: 2,
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
  use: {
    baseURL: `http://127.0.0.1:${port}/`,
    // A failed test keeps its trace: each action, its locator and error, the console and the
    // network. Not the screencast nor a DOM snapshot at every action: on the 2,600-node main
    // view those cost about a third of a test's time (three explorer tests at load ~20: 101 s and
    // 82 s with them, 50 s and 71 s without, 80 s and 56 s with no trace at all). To see the
    // page at each step, re-run the failing test with `--trace on`.
    trace: { mode: 'retain-on-failure', screenshots: false, snapshots: false },
    // The built app installs an offline service worker; requests it answers bypass page.route,
    // which many specs use. Only e2e/offline.spec.ts lets it run.
    serviceWorkers: 'block',
  },
  // Tests assert what the app does, never how fast: the suite must pass on a busy machine (timing
  // goals live in `npm run bench` and `npm run bench:browser`). The time limits are generous
  // for a real browser doing heavy work on a loaded machine.
  // A wait that passes ends as soon as its condition holds: a longer limit costs nothing then,
  // and under two CPU-bound jobs a first load and its engine run take well over 15 s.
  timeout: 180_000,
  expect: { timeout: 30_000 },
  projects: [{ name: 'chromium', use: browser }],
  // The suite runs against the built app, as users get it, not the dev server.
  webServer: {
    command: `npx vite preview --port ${port} --strictPort --host 127.0.0.1`,
    url: `http://127.0.0.1:${port}/`,
    // Never another server's: one already on the port (another checkout's suite, a preview of an
    // older build) would be tested in this build's place, and pass or fail for its own reasons.
    // A port in use fails the run at once; E2E_PORT picks another.
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
