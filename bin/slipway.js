#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so `npx slipway` works straight from a checkout without a build step.
const { spawnSync } = require("node:child_process");
const path = require("node:path");

const root = path.join(__dirname, "..");
const tsx = require.resolve("tsx/cli", { paths: [root] });
const result = spawnSync(process.execPath, [tsx, "--conditions=react-server", "--tsconfig", path.join(root, "tsconfig.json"), path.join(root, "cli", "slipway.ts"), ...process.argv.slice(2)], {
  stdio: "inherit",
  env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? "warn" },
});
process.exit(result.status ?? 1);
