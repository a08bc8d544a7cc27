import { defineConfig, devices } from "@playwright/test";
import { OIDC_TEST_CLIENT } from "./test/oidc/oidc-test-fixtures";

const port = Number(process.env.E2E_PORT ?? 3100);
// The OpenID Connect test provider (test/oidc) the app signs in against, beside its local accounts.
const oidcPort = Number(process.env.E2E_OIDC_PORT ?? 3199);
const oidcIssuer = `http://127.0.0.1:${oidcPort}`;
// Local stand-ins for Jira, Slack and Grafana (test/stand-ins): control port here, the servers on the next three.
const standInsPort = Number(process.env.E2E_STAND_INS_PORT ?? 3190);
const standInsUrl = `http://127.0.0.1:${standInsPort}`;
// A second demo, its integrations on and pointed at the stand-ins, for the specs of the "integrations" project.
const integrationsPort = Number(process.env.E2E_INTEGRATIONS_PORT ?? 3101);
// A generated 50 × 80 workspace (4,000 cells) for the large-overview spec of the "scale" project.
const scalePort = Number(process.env.E2E_SCALE_PORT ?? 3102);

/**
 * Browser tests drive the built app in Debian's Chromium (Playwright's own browser download cannot work here),
 * served on a fresh demo workspace of their own under .slipway/e2e. The follow-through spec runs against a second demo
 * (.slipway/e2e-integrations) whose Jira, Slack and Grafana are local stand-ins, so that the other specs see the demo
 * exactly as `npm run demo` shows it, without integrations.
 */
export default defineConfig({
  testDir: "e2e",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  projects: [
    {
      name: "desktop",
      use: { ...devices["Desktop Chrome"], viewport: { width: 1440, height: 900 } },
      testIgnore: [/mobile\.spec\.ts/, /follow-through\.spec\.ts/, /scale\.spec\.ts/],
    },
    { name: "phone", use: { ...devices["Pixel 7"] }, testMatch: /mobile\.spec\.ts/ },
    {
      name: "integrations",
      use: { ...devices["Desktop Chrome"], viewport: { width: 1440, height: 900 }, baseURL: `http://127.0.0.1:${integrationsPort}` },
      testMatch: /follow-through\.spec\.ts/,
    },
    {
      name: "scale",
      use: { ...devices["Desktop Chrome"], viewport: { width: 1440, height: 900 }, baseURL: `http://127.0.0.1:${scalePort}` },
      testMatch: /scale\.spec\.ts/,
    },
  ],
  webServer: [
    {
      command: `npx tsx test/oidc/serve-oidc.ts --port ${oidcPort} --redirect-uri http://127.0.0.1:${port}/api/auth/callback/oidc`,
      url: `${oidcIssuer}/.well-known/openid-configuration`,
      timeout: 60_000,
      reuseExistingServer: !process.env.CI,
      stdout: "pipe",
      stderr: "pipe",
    },
    {
      command: `npx tsx --conditions=react-server scripts/demo.ts --root .slipway/e2e --fresh --port ${port}`,
      url: `http://127.0.0.1:${port}/api/health?require=snapshots`,
      timeout: 600_000,
      reuseExistingServer: !process.env.CI,
      stdout: "pipe",
      stderr: "pipe",
      // Added to the inherited environment (Playwright merges it over process.env): local accounts stay on.
      env: {
        OIDC_ISSUER: oidcIssuer,
        OIDC_CLIENT_ID: OIDC_TEST_CLIENT.clientId,
        OIDC_CLIENT_SECRET: OIDC_TEST_CLIENT.clientSecret,
        OIDC_NAME: "Test IdP",
      },
    },
    // Started after the first demo, which builds the app when needed: the second one finds the build fresh.
    {
      command: `npx tsx test/stand-ins/serve-stand-ins.ts --port ${standInsPort}`,
      url: `${standInsUrl}/__stand-ins/integrations`,
      timeout: 60_000,
      reuseExistingServer: !process.env.CI,
      stdout: "pipe",
      stderr: "pipe",
    },
    {
      command: `npx tsx --conditions=react-server scripts/serve-scale-workspace.ts --root .slipway/e2e-scale --port ${scalePort}`,
      url: `http://127.0.0.1:${scalePort}/api/health?require=snapshots`,
      timeout: 300_000,
      reuseExistingServer: !process.env.CI,
      stdout: "pipe",
      stderr: "pipe",
    },
    {
      command: `npx tsx --conditions=react-server scripts/demo.ts --root .slipway/e2e-integrations --fresh --port ${integrationsPort} --integrations ${standInsUrl}`,
      url: `http://127.0.0.1:${integrationsPort}/api/health?require=snapshots`,
      timeout: 600_000,
      reuseExistingServer: !process.env.CI,
      stdout: "pipe",
      stderr: "pipe",
    },
  ],
});
