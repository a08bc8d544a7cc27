import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import { computeLockDigests } from "@/lib/charts/edit/helm-lock-digest";
import { readUmbrellaChart } from "@/lib/charts/read-umbrella-chart";
import type { Workspace } from "@/lib/config/load-workspace-config";
import { mergeReleaseRequest } from "@/lib/releases/decide-release-request";
import { chooseRollback, planRollback, previewRollback } from "@/lib/releases/plan-rollback";
import { raiseUpgrade } from "@/lib/releases/raise-upgrade";
import { readVersionsAt } from "@/lib/releases/read-versions-at";
import { type DemoReleaseDeps, closeDemoReleases, openDemoReleases } from "../support/demo-releases";
import { type TestDatabase, databaseFactories } from "../support/test-database";

const ben: Principal = { username: "ben", email: "ben@slipway.example", name: "Ben Backend", source: "local", oidcGroups: [], githubTeams: [] };
const gita: Principal = { username: "gita", email: "gita@slipway.example", source: "local", oidcGroups: [], githubTeams: [] };
const GIT_ENV = { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@t", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@t" };

const NOTIFICATIONS = `  - name: notifications\n    version: 1.9.1\n    repository: "@demo"\n`;
const NOTIFICATIONS_LOCK = `- name: notifications\n  repository: '@demo'\n  version: 1.9.1\n`;

describe.each(databaseFactories())("a rollback that removes a service added since and brings back one removed since, on $name", ({ create }) => {
  let root: string;
  let workspace: Workspace;
  let deps: DemoReleaseDeps;
  let database: TestDatabase;
  /** payments-eu's head before the change below: the state to roll back to. */
  let target: string;
  let targetFiles: { chartYaml: string; chartLock: string };
  const stack = () => path.join(workspace.baseDir, "repos/stacks/payments-eu");
  const git = (...args: string[]) => execFileSync("git", args, { cwd: stack(), env: GIT_ENV }).toString().trim();
  const env = () => workspace.config.environments.find((e) => e.name === "payments-eu")!;

  beforeAll(async () => {
    ({ root, workspace, database, deps } = await openDemoReleases(create, "slipway-rollback-membership-"));
    target = git("rev-parse", "main");
    targetFiles = { chartYaml: readFileSync(path.join(stack(), "Chart.yaml"), "utf8"), chartLock: readFileSync(path.join(stack(), "Chart.lock"), "utf8") };
    // Someone dropped notifications, added mailer and took orders back a patch, by hand, with a lock Helm would accept.
    const chartYaml = targetFiles.chartYaml
      .replace(NOTIFICATIONS, "")
      .replace("  - name: orders\n    version: 1.4.2\n", "  - name: orders\n    version: 1.4.1\n")
      .concat(`  - name: mailer\n    version: 0.1.0\n    repository: "@demo"\n`);
    let chartLock = targetFiles.chartLock
      .replace(NOTIFICATIONS_LOCK, "")
      .replace("- name: orders\n  repository: '@demo'\n  version: 1.4.2\n", "- name: orders\n  repository: '@demo'\n  version: 1.4.1\n- name: mailer\n  repository: '@demo'\n  version: 0.1.0\n");
    chartLock = chartLock.replace(/digest: sha256:[0-9a-f]{64}/, `digest: ${computeLockDigests(chartYaml, "Chart.yaml", chartLock, "Chart.lock").helm3}`);
    expect(chartYaml).not.toBe(targetFiles.chartYaml);
    expect(chartLock).not.toContain("notifications");
    writeFileSync(path.join(stack(), "Chart.yaml"), chartYaml);
    writeFileSync(path.join(stack(), "Chart.lock"), chartLock);
    git("commit", "-q", "-am", "Drop notifications, add mailer, orders back to 1.4.1");
    expect(readUmbrellaChart({ chartYaml, chartLock }).lockReport.state).toBe("in-sync");
  });
  afterAll(() => closeDemoReleases({ root, database }));

  it("lists the services added and removed since, and by default leaves them as they are, saying so", async () => {
    const preview = await previewRollback(deps, env(), target);
    expect(preview.changes).toEqual([{ service: "orders", chart: "orders", from: "1.4.1", to: "1.4.2" }]);
    expect(preview.addedSince).toEqual([{ service: "mailer", chart: "mailer", version: "0.1.0" }]);
    expect(preview.removedSince).toEqual([{ service: "notifications", chart: "notifications", version: "1.9.1" }]);

    const { plan, membership } = await planRollback(deps, env(), { to: target });
    expect(membership).toEqual({ removed: [], restored: [] });
    expect(plan.items.map((i) => i.service)).toEqual(["orders"]);
    expect(plan.body).not.toMatch(/mailer|notifications/);
    expect(plan.files.map((f) => f.path)).toEqual(["Chart.yaml", "Chart.lock"]);
  });

  it("refuses choices that do not fit the preview, naming the ones that do", async () => {
    await expect(planRollback(deps, env(), { to: target, services: ["mailer"] })).rejects.toThrow(/mailer was added since .*Choose to remove it instead/);
    await expect(planRollback(deps, env(), { to: target, services: ["notifications"] })).rejects.toThrow(/notifications was removed since .*bring it back instead/);
    await expect(planRollback(deps, env(), { to: target, remove: ["orders"] })).rejects.toThrow(/orders was not added since .*the services added since are: mailer/);
    await expect(planRollback(deps, env(), { to: target, restore: ["mailer"] })).rejects.toThrow(/mailer was not removed since .*the services removed since are: notifications/);
  });

  it("raises one commit whose Chart.yaml and Chart.lock are the target's again, as Helm reads them", async () => {
    const choice = { remove: ["mailer"], restore: ["notifications"] };
    const { plan, preview, membership } = await planRollback(deps, env(), { to: target, ...choice });
    expect(membership).toEqual({
      removed: [{ service: "mailer", chart: "mailer", version: "0.1.0" }],
      restored: [{ service: "notifications", chart: "notifications", version: "1.9.1" }],
    });
    expect(plan.title).toBe(`Roll back orders to 1.4.2, remove mailer, bring back notifications 1.9.1 in payments-eu, as at ${target.slice(0, 8)}`);
    expect(plan.branch).toMatch(/^slipway\/payments-eu\/rollback-orders-1\.4\.2-remove-mailer-restore-notificatio/);
    expect(plan.notes.slice(0, 2)).toEqual([
      "mailer (0.1.0) is removed from the environment: its dependency entry and lock entry are taken out.",
      "notifications 1.9.1 is brought back into the environment, with its dependency entry as it was then.",
    ]);
    expect(plan.body).toContain("| mailer | 0.1.0 | **removed** (added since) |");
    expect(plan.body).toContain("| notifications | not deployed | 1.9.1 (**brought back**, removed since) |");
    expect(plan.body).toContain("Services **removed** from payments-eu by this rollback: mailer 0.1.0.");
    expect(plan.body).toContain("Services **brought back** into payments-eu by this rollback: notifications 1.9.1.");

    const { targets, purpose } = chooseRollback(preview, choice);
    const raised = await raiseUpgrade(deps, ben, env(), { targets, baseSha: plan.baseSha, purpose });
    // Asking again is the same request; a rollback of the versions alone is another.
    expect((await raiseUpgrade(deps, ben, env(), { targets, baseSha: plan.baseSha, purpose })).id).toBe(raised.id);
    const versionsOnly = await raiseUpgrade(deps, ben, env(), { targets, baseSha: plan.baseSha, purpose: { kind: "rollback", to: purpose.to } });
    expect(versionsOnly.id).not.toBe(raised.id);

    const request = await database.db.releaseRequest.findUniqueOrThrow({ where: { id: raised.id }, include: { items: true } });
    expect(request).toMatchObject({ kind: "rollback", state: "open", branch: plan.branch, title: plan.title });
    expect(request.body).toContain("**removed**");
    expect(request.items.map((i) => [i.service, i.fromVersion, i.toVersion])).toEqual([["orders", "1.4.1", "1.4.2"]]);
    expect(git("rev-list", "--count", `${plan.baseSha}..${request.branch}`)).toBe("1");

    const chartYaml = git("show", `${request.branch}:Chart.yaml`) + "\n";
    const chartLock = git("show", `${request.branch}:Chart.lock`) + "\n";
    // Byte for byte the chart it was, and the lock too but for when it was generated.
    expect(chartYaml).toBe(targetFiles.chartYaml);
    const withoutGenerated = (text: string) => text.replace(/generated: .*/, "");
    expect(withoutGenerated(chartLock)).toBe(withoutGenerated(targetFiles.chartLock));
    const chart = readUmbrellaChart({ chartYaml, chartLock });
    expect(chart.lockReport.state).toBe("in-sync");
    expect(chart.lockReport.digest?.matches).toBe(true);
    expect(chart.dependencies.map((d) => [d.service, d.lockedVersion])).toEqual(
      readUmbrellaChart(targetFiles).dependencies.map((d) => [d.service, d.lockedVersion]),
    );

    await mergeReleaseRequest(deps, gita, raised.id);
    const after = await readVersionsAt(deps.git, env(), git("rev-parse", "main"));
    expect([...after.keys()].sort()).toEqual([...(await readVersionsAt(deps.git, env(), target)).keys()].sort());
    expect(after.get("notifications")?.version).toBe("1.9.1");
    expect(after.has("mailer")).toBe(false);
  });
});
