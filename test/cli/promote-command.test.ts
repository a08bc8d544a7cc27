import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPromoteCommand } from "@/lib/cli/run-promote-command";
import { createDemoWorkspace } from "@/lib/demo/create-demo-workspace";
import { ForbiddenError } from "@/lib/errors";

let root: string;
let config: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "slipway-cli-promote-"));
  config = (await createDemoWorkspace(root)).configPath;
  process.env.SLIPWAY_CACHE_DIR = path.join(root, "cache");
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe("slipway promote", () => {
  it("prints what moves, what is left out and why, the changelogs and the diff, and raises nothing with --dry-run", async () => {
    process.env.SLIPWAY_USER = "ada";
    const stack = path.join(root, "repos/stacks/shop");
    const branches = execFileSync("git", ["branch", "--list"], { cwd: stack }).toString();
    const output = await runPromoteCommand({ config, from: "shop-dev", to: "shop-staging", dryRun: true });
    expect(output).toMatch(/^Promoting shop-dev \([0-9a-f]{10}\) to shop-staging$/m);
    expect(output).toMatch(/^not promoted: notifications: notifications 1\.8\.5 is not published in /m);
    expect(output).toMatch(/^Promote .* from shop-dev to shop-staging$/m);
    expect(output).toMatch(/^--- a\/stack\/Chart\.(yaml|lock)$/m);
    expect(output.endsWith("(dry run: nothing was raised)")).toBe(true);
    expect(execFileSync("git", ["branch", "--list"], { cwd: stack }).toString()).toBe(branches);
  });

  it("promotes a snapshot by its tag, saying why it is a version edit rather than a merge of the tag", async () => {
    process.env.SLIPWAY_USER = "ada";
    const stack = path.join(root, "repos/stacks/shop");
    const tag = execFileSync("git", ["tag", "--list", "dev-*", "--sort=-creatordate"], { cwd: stack }).toString().split("\n")[0]!;
    const output = await runPromoteCommand({ config, from: tag, to: "shop-staging", dryRun: true });
    expect(output).toMatch(new RegExp(`^Promoting shop-dev snapshot ${tag.replace(/\./g, "\\.")} \\([0-9a-f]{10}\\) to shop-staging, as a version edit$`, "m"));
    expect(output).toMatch(/Promoted as a version edit, not a merge of the tag: (the merge would move notifications|shop-staging changed Chart)/);
  });

  it("refuses someone who may not raise on the target, and a promotion onto itself", async () => {
    process.env.SLIPWAY_USER = "dana";
    await expect(runPromoteCommand({ config, from: "shop-dev", to: "shop-staging", dryRun: true })).rejects.toThrow(ForbiddenError);
    process.env.SLIPWAY_USER = "ada";
    await expect(runPromoteCommand({ config, from: "shop-dev", to: "shop-dev", dryRun: true })).rejects.toThrow(/cannot be promoted onto itself/);
  });
});
