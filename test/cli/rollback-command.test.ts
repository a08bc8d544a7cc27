import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runRollbackCommand } from "@/lib/cli/run-rollback-command";
import { createDemoWorkspace } from "@/lib/demo/create-demo-workspace";
import { ForbiddenError } from "@/lib/errors";

let root: string;
let config: string;
const stack = () => path.join(root, "repos/stacks/payments-eu");
const git = (...args: string[]) => execFileSync("git", args, { cwd: stack() }).toString().trim();

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "slipway-cli-rollback-"));
  config = (await createDemoWorkspace(root)).configPath;
  process.env.SLIPWAY_CACHE_DIR = path.join(root, "cache");
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe("slipway rollback", () => {
  it("prints what goes back, what stays, the backwards changelog and the diff, and raises nothing with --dry-run", async () => {
    process.env.SLIPWAY_USER = "ben";
    const to = git("rev-list", "--first-parent", "--skip=3", "-1", "main");
    const branches = git("branch", "--list");
    const output = await runRollbackCommand({ config, env: "payments-eu", to: to.slice(0, 10), dryRun: true });
    expect(output).toMatch(new RegExp(`^Rolling payments-eu back to ${to.slice(0, 10)} \\(`));
    expect(output).toMatch(/^Roll back .* in payments-eu, as at [0-9a-f]{8}$/m);
    expect(output).toMatch(/^ {2}removes \d+ commit\(s\)/m);
    expect(output).toMatch(/^--- a\/Chart\.(yaml|lock)$/m);
    expect(output.endsWith("(dry run: nothing was raised)")).toBe(true);
    expect(git("branch", "--list")).toBe(branches);
  });

  it("refuses a viewer, and a rollback to the current state, before touching anything", async () => {
    process.env.SLIPWAY_USER = "dana";
    await expect(runRollbackCommand({ config, env: "payments-eu", to: git("rev-parse", "main"), dryRun: true })).rejects.toThrow(ForbiddenError);
    process.env.SLIPWAY_USER = "ben";
    await expect(runRollbackCommand({ config, env: "payments-eu", to: git("rev-parse", "main"), dryRun: true })).rejects.toThrow(
      /is the head of main: payments-eu already runs that state/,
    );
  });

  it("names the services added and removed since, and removes or brings back only those named in --remove / --restore", async () => {
    process.env.SLIPWAY_USER = "ben";
    const to = git("rev-parse", "main");
    const chartYaml = readFileSync(path.join(stack(), "Chart.yaml"), "utf8");
    const chartLock = readFileSync(path.join(stack(), "Chart.lock"), "utf8");
    writeFileSync(
      path.join(stack(), "Chart.yaml"),
      chartYaml.replace(`  - name: notifications\n    version: 1.9.1\n    repository: "@demo"\n`, "").concat(`  - name: mailer\n    version: 0.1.0\n    repository: "@demo"\n`),
    );
    writeFileSync(path.join(stack(), "Chart.lock"), chartLock.replace(`- name: notifications\n  repository: '@demo'\n  version: 1.9.1\n`, ""));
    execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-am", "Swap notifications for mailer"], { cwd: stack() });

    const untouched = await runRollbackCommand({ config, env: "payments-eu", to, services: [], remove: ["mailer"], dryRun: true });
    expect(untouched).toMatch(/^removes: mailer 0\.1\.0 \(added since\)$/m);
    expect(untouched).toMatch(/^stays removed: notifications \(ran 1\.9\.1 then; --restore notifications brings it back\)$/m);
    expect(untouched).not.toMatch(/^\+ {2}- name: notifications$/m);

    const both = await runRollbackCommand({ config, env: "payments-eu", to, remove: ["mailer"], restore: ["notifications"], dryRun: true });
    expect(both).toMatch(/^warning: 2 services move at once; --services, --remove and --restore pick them$/m);
    expect(both).toMatch(/^brings back: notifications 1\.9\.1 \(removed since\)$/m);
    expect(both).toMatch(/^Roll back remove mailer, bring back notifications 1\.9\.1 in payments-eu, as at [0-9a-f]{8}$/m);
    expect(both).toMatch(/^-  - name: mailer$/m);
    expect(both).toMatch(/^\+  - name: notifications$/m);
    expect(both).toMatch(/^\+- name: notifications$/m);
    expect(both.endsWith("(dry run: nothing was raised)")).toBe(true);

    await expect(runRollbackCommand({ config, env: "payments-eu", to, services: ["mailer"], dryRun: true })).rejects.toThrow(/Choose to remove it instead/);
  });
});
