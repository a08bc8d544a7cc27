import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runWhereCommand } from "@/lib/cli/run-where-command";
import { createDemoWorkspace } from "@/lib/demo/create-demo-workspace";
import { ForbiddenError } from "@/lib/errors";
import { createLocalGitProvider } from "@/lib/git/local/local-git-provider";
import { loadWorkspaceConfig } from "@/lib/config/load-workspace-config";
import { buildChangelog } from "@/lib/changelog/build-changelog";

let root: string;
let config: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "slipway-cli-where-"));
  config = (await createDemoWorkspace(root)).configPath;
  process.env.SLIPWAY_CACHE_DIR = path.join(root, "cache");
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe("slipway where", () => {
  it("prints, per environment, whether it runs a ticket, as text and as JSON", async () => {
    const workspace = loadWorkspaceConfig(config);
    const git = createLocalGitProvider({ baseDir: workspace.baseDir, cacheDir: path.join(root, "cache") });
    const checkout = workspace.config.services.checkout!;
    const { tickets } = await buildChangelog({ git, repo: checkout.repo!, tagPattern: checkout.tagPattern, from: "1.3.0", to: "1.3.2", jiraProject: checkout.jiraProject });
    process.env.SLIPWAY_USER = "dana";
    const text = await runWhereCommand({ config, query: tickets[0]!.key });
    expect(text).toMatch(/^checkout: released in 1\.3\.\d \(\d+ commit\(s\)\)$/m);
    expect(text).toMatch(/^ {2}payments-eu +1\.3\.0 +no$/m);
    const json = JSON.parse(await runWhereCommand({ config, query: tickets[0]!.key, json: true }));
    expect(json).toMatchObject({ schemaVersion: 1, kind: "ticket", query: tickets[0]!.key });
    expect(json.services[0].environments.length).toBeGreaterThan(1);
  });

  it("refuses someone who may see nothing", async () => {
    process.env.SLIPWAY_USER = "eve";
    await expect(runWhereCommand({ config, query: "CHK-1" })).rejects.toThrow(ForbiddenError);
    process.env.SLIPWAY_USER = "dana";
  });
});
