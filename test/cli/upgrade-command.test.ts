import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseUpgradeTarget, runUpgradeCommand } from "@/lib/cli/run-upgrade-command";
import { createDemoWorkspace } from "@/lib/demo/create-demo-workspace";
import { ForbiddenError, ValidationError } from "@/lib/errors";

let root: string;
let config: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "slipway-cli-upgrade-"));
  config = (await createDemoWorkspace(root)).configPath;
  process.env.SLIPWAY_CACHE_DIR = path.join(root, "cache");
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe("slipway upgrade", () => {
  it("parses SERVICE and SERVICE@VERSION", () => {
    expect(parseUpgradeTarget("orders")).toEqual({ service: "orders", version: undefined });
    expect(parseUpgradeTarget("orders@1.4.2")).toEqual({ service: "orders", version: "1.4.2" });
    expect(() => parseUpgradeTarget("@1.0.0")).toThrow(ValidationError);
  });

  it("prints the plan — versions, tickets, diff — and raises nothing with --dry-run", async () => {
    process.env.SLIPWAY_USER = "ben";
    const stack = path.join(root, "repos/stacks/payments-eu");
    const branches = execFileSync("git", ["branch", "--list"], { cwd: stack }).toString();
    const output = await runUpgradeCommand({ config, env: "payments-eu", targets: ["checkout", "gateway@4.2.0"], dryRun: true });
    expect(output).toMatch(/^Upgrade 2 services in payments-eu: checkout 1\.3\.2, gateway 4\.2\.0$/m);
    expect(output).toMatch(/^checkout {2}1\.3\.0 → 1\.3\.2$/m);
    expect(output).toMatch(/^ {2}CHK-\d+: /m);
    expect(output).toMatch(/^--- a\/Chart\.yaml$/m);
    expect(output).toMatch(/^\+ +version: "?1\.3\.2"?$/m);
    expect(output.endsWith("(dry run: nothing was raised)")).toBe(true);
    expect(execFileSync("git", ["branch", "--list"], { cwd: stack }).toString()).toBe(branches);
  });

  it("refuses a viewer, and an unknown version, before touching anything", async () => {
    process.env.SLIPWAY_USER = "dana";
    await expect(runUpgradeCommand({ config, env: "payments-eu", targets: ["checkout"], dryRun: true })).rejects.toThrow(ForbiddenError);
    process.env.SLIPWAY_USER = "ben";
    await expect(runUpgradeCommand({ config, env: "payments-eu", targets: ["checkout@7.0.0"], dryRun: true })).rejects.toThrow(
      /The registry has no checkout 7\.0\.0/,
    );
  });
});
