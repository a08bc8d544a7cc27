import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runUpgradeCommand } from "@/lib/cli/run-upgrade-command";
import { runUserAddCommand } from "@/lib/cli/run-user-add-command";
import { createDemoWorkspace } from "@/lib/demo/create-demo-workspace";
import { type ChildProcess } from "node:child_process";
import { spawnScript, waitForExit, waitForLine } from "./child-process";

let root: string;
let config: string;
let app: ChildProcess;

// Issue 7 item 1b: with the app serving, `slipway upgrade` wrote change request #1 into the folder the app had open.
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "slipway-cli-locked-"));
  config = (await createDemoWorkspace(root)).configPath;
  process.env.SLIPWAY_CACHE_DIR = path.join(root, "cache");
  process.env.SLIPWAY_DATA_DIR = path.join(root, "data");
  delete process.env.DATABASE_URL;
  // Stands in for the running app: a process with the embedded database open.
  app = spawnScript("test/database/hold-embedded-database.ts", [path.join(root, "data"), "hold"]);
  await waitForLine(app, "ready", 90_000);
}, 120_000);

afterAll(async () => {
  app?.kill("SIGKILL");
  if (app) await waitForExit(app);
  await rm(root, { recursive: true, force: true });
});

describe("the CLI while another process has the embedded database open", () => {
  it("slipway upgrade refuses, naming the process and the ways out", async () => {
    process.env.SLIPWAY_USER = "ben";
    const attempt = runUpgradeCommand({ config, env: "payments-eu", targets: ["checkout"] });
    await expect(attempt).rejects.toMatchObject({ name: "DataDirLockedError", status: 409 });
    const message = await attempt.catch((error: Error) => error.message);
    expect(message).toContain(`in use by process ${app.pid}`);
    expect(message).toContain("Stop the app first");
    expect(message).toContain(`kill ${app.pid}`);
    expect(message).toContain("/environments/payments-eu/upgrade");
    expect(message).toContain("DATABASE_URL");
  }, 120_000);

  it("slipway user add refuses the same way", async () => {
    process.env.SLIPWAY_USER = "ada";
    const attempt = runUserAddCommand({ config, username: "zed", password: "a-long-enough-password" });
    await expect(attempt).rejects.toMatchObject({ name: "DataDirLockedError" });
    const message = await attempt.catch((error: Error) => error.message);
    expect(message).toContain(`in use by process ${app.pid}`);
    expect(message).toContain("Stop the app first");
    expect(message).toContain("DATABASE_URL");
  });
});
