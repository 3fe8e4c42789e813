// Playwright drives the real console (`npm start`: migrate, seed, build if stale, console + gateway)
// in Debian's Chromium, against a database and Redis key prefix of its own that the global teardown
// removes. One worker, no retries: the suite must pass the first time, every time.
import { randomBytes } from "node:crypto";
import { defineConfig, devices } from "@playwright/test";
import { E2E_BASE_URL, E2E_GATEWAY_PORT, E2E_PORT, e2eDatabaseUrl, e2eRedisPrefix } from "./e2e/run";

// Set once in the runner process; workers and the teardown inherit it through the environment.
// Start time in base 36, then 6 random hex digits: the teardown recognises abandoned runs by age.
process.env.E2E_RUN_ID ??= `${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  // Generous waits, not sleeps: the suite shares a 2-CPU machine with builds and other suites, and
  // under that load a page has taken 11 s to hydrate. Nothing here measures time.
  timeout: 90_000,
  expect: { timeout: 20_000 },
  reporter: "list",
  globalTeardown: "./e2e/global-teardown.ts",
  use: {
    baseURL: E2E_BASE_URL,
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: {
          executablePath: "/usr/bin/chromium",
          args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        },
      },
    },
  ],
  webServer: {
    command: "npx tsx scripts/start.ts",
    url: `${E2E_BASE_URL}/api/healthz`,
    timeout: 300_000,
    reuseExistingServer: false,
    // Without this Playwright SIGKILLs the process group at once; SIGTERM lets scripts/start.ts stop
    // the console and gateway itself. The global teardown has normally done so already (see there);
    // then Playwright can only wait out the timeout (its "close" event has fired, but unreaped
    // zombies keep the group signalable), so keep it short.
    gracefulShutdown: { signal: "SIGTERM", timeout: 5_000 },
    stdout: "ignore",
    stderr: "pipe",
    env: {
      ...(process.env as Record<string, string>),
      DATABASE_URL: e2eDatabaseUrl(),
      REDIS_KEY_PREFIX: e2eRedisPrefix(),
      PORT: String(E2E_PORT),
      GATEWAY_PORT: String(E2E_GATEWAY_PORT),
      MCPCAN_PUBLIC_URL: E2E_BASE_URL,
      // A fixed, test-only value (48 characters); never used outside this suite.
      MCPCAN_SECRET: "e2e-only-secret-not-for-production-0123456789abc",
      MCPCAN_SIGNIN_RATE_LIMIT: "1000",
      NEXT_TELEMETRY_DISABLED: "1",
    },
  },
});
