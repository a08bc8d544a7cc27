import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runStatusCommand } from "@/lib/cli/run-status-command";
import type { StatusDocument } from "@/lib/cli/status-json";
import { createDemoWorkspace } from "@/lib/demo/create-demo-workspace";
import { ForbiddenError, NotFoundError } from "@/lib/errors";

let root: string;
let config: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "slipway-cli-"));
  config = (await createDemoWorkspace(root)).configPath;
  process.env.SLIPWAY_CACHE_DIR = path.join(root, "cache");
  process.env.SLIPWAY_USER = "dana"; // a viewer of every environment in the demo's slipway.yaml
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe("slipway status", () => {
  it("prints the JSON contract for the chosen environments", async () => {
    const { output, exitCode } = await runStatusCommand({ config, env: ["shop-production", "legacy-backoffice"], json: true });
    expect(exitCode).toBe(0);
    const doc = JSON.parse(output) as StatusDocument;
    expect(doc.schemaVersion).toBe(1);
    expect(doc.config).toBe(config);
    expect(doc.environments.map((e) => e.name)).toEqual(["shop-production", "legacy-backoffice"]);
    const production = doc.environments[0]!;
    expect(production).toMatchObject({ branch: "release/production", path: "stack", error: null, chart: { format: "helm3" } });
    expect(production.commit?.sha).toMatch(/^[0-9a-f]{40}$/);
    expect(production.services.find((s) => s.service === "orders")).toMatchObject({
      running: "1.2.0", latest: "1.4.2", status: "far-behind", releasesBehind: 6, resolvedFrom: "lock", unpinned: false, error: null,
    });
    const shipping = doc.environments[1]!.services.find((s) => s.service === "shipping");
    expect(shipping).toMatchObject({ resolvedFrom: "range", unpinned: true, status: "current" });
    expect(doc.environments[1]!.chart?.format).toBe("helm2");
  });

  it("exits 1 when an environment cannot be read, still printing the others", async () => {
    const { output, exitCode } = await runStatusCommand({ config, env: ["sandbox", "payments-eu"] });
    expect(exitCode).toBe(1);
    expect(output).toMatch(/sandbox .*\n  ERROR: Chart\.yaml is not valid YAML/);
    expect(output).toMatch(/payments-eu[\s\S]*SERVICE +RUNNING +LATEST/);
  });

  it("names the known environments when asked for an unknown one", async () => {
    await expect(runStatusCommand({ config, env: ["prod"] })).rejects.toThrow(NotFoundError);
    await expect(runStatusCommand({ config, env: ["prod"] })).rejects.toThrow(/unknown environment "prod"; known: shop-dev, /);
  });

  it("asks the permission model: a user without a grant sees nothing", async () => {
    process.env.SLIPWAY_USER = "eve";
    try {
      await expect(runStatusCommand({ config })).rejects.toThrow(/eve may not view any environment/);
      await expect(runStatusCommand({ config, env: ["shop-dev"] })).rejects.toThrow(ForbiddenError);
    } finally {
      process.env.SLIPWAY_USER = "dana";
    }
  });

  it("tells a new user who runs it as the operating-system user how to say who they are", async () => {
    delete process.env.SLIPWAY_USER;
    try {
      // The README's first CLI example, as root on the demo: the message must name the fix.
      await expect(runStatusCommand({ config })).rejects.toThrow(/may not view any environment\. .*SLIPWAY_USER=dana npx slipway status/);
    } finally {
      process.env.SLIPWAY_USER = "dana";
    }
  });

  it("runs as `npx slipway status` with exit code 2 for bad input", () => {
    const bin = path.resolve(__dirname, "../../bin/slipway.js");
    let status = 0;
    let stderr = "";
    try {
      execFileSync(process.execPath, [bin, "status", "--env", "nope", "--config", config], { stdio: "pipe" });
    } catch (error) {
      status = (error as { status: number }).status;
      stderr = String((error as { stderr: Buffer }).stderr);
    }
    expect(status).toBe(2);
    expect(stderr).toMatch(/slipway: unknown environment "nope"/);
  });
});
