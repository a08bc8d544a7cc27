import type { WorkspaceConfig } from "@/lib/config/schema";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { GitProvider } from "@/lib/git/git-provider";
import type { HistoryEntry } from "@/lib/history/history-types";
import { readRecentHistory } from "@/lib/history/read-recent-history";

/** Of each environment's newest entries, about this many went through Slipway in the demo's past (the others by hand). */
const SEEDED_PER_ENVIRONMENT = 2;
const ENTRIES_READ = 5;

function isRollback(subject: string): boolean {
  return /^roll(ed)? back/i.test(subject);
}

/** Who raised and who approved, by the environment's brand (the demo's grants: ben on payments, ada elsewhere). */
function people(environment: string): { requester: string; approver: string } {
  return environment.startsWith("payments") ? { requester: "ben", approver: "gita" } : { requester: "ada", approver: "gita" };
}

/**
 * The demo's past as Slipway would have recorded it: of each environment's newest history entries, every other one
 * becomes a merged release request (upgrade, or rollback when its subject says so) whose merge commit is that entry,
 * so the release list, the history's request links and the audit-free record of who raised and approved are filled
 * on first start. Only into an empty release list: a second start, or a demo already used, is left as it is.
 */
export async function seedDemoReleases(db: PrismaClient, config: WorkspaceConfig, git: GitProvider): Promise<number> {
  if ((await db.releaseRequest.count()) > 0) return 0;
  const picks: { env: (typeof config.environments)[number]; entry: HistoryEntry }[] = [];
  for (const env of config.environments) {
    let entries;
    try {
      entries = (await readRecentHistory(git, env, ENTRIES_READ)).entries;
    } catch {
      continue; // the demo's broken sandbox, say
    }
    // Every other entry, and any rollback (the demo's rollbacks were raised through Slipway).
    const picked = entries
      .filter((entry) => entry.kind === "changed" && entry.changes.some((c) => c.kind === "changed"))
      .filter((entry, i) => i % 2 === 0 || isRollback(entry.subject))
      .slice(0, SEEDED_PER_ENVIRONMENT + 1);
    picks.push(...picked.map((entry) => ({ env, entry })));
  }
  // Oldest first, so request numbers follow time as they would have (the release list orders by number).
  picks.sort((a, b) => a.entry.date.getTime() - b.entry.date.getTime());
  for (const { env, entry } of picks) {
    const { requester, approver } = people(env.name);
    const changes = entry.changes.filter((c) => c.kind === "changed" && c.from && c.to);
    const rollback = isRollback(entry.subject);
    await db.releaseRequest.create({
      data: {
        kind: rollback ? "rollback" : "upgrade",
        environment: env.name,
        state: "merged",
        title: entry.subject.replace(/\s*\(#\d+\)$/, ""),
        body: `Version changes for **${env.name}** (recorded with the demo's history).\n\n---\nRequested by ${requester} through Slipway.`,
        requester,
        requesterSource: "local",
        idempotencyKey: `demo:${env.name}:${entry.sha}`,
        provider: "local",
        repo: env.repo,
        baseBranch: env.branch,
        baseSha: entry.sha,
        branch: `slipway/${env.name}/${rollback ? "rollback" : "upgrade"}-demo-${entry.sha.slice(0, 7)}`,
        headSha: entry.sha,
        files: [],
        createdAt: new Date(entry.date.getTime() - 3 * 3_600_000),
        // Last changed when it merged: the job runner's catch-up follows through requests changed in the last day, and
        // the demo's past is not news to announce in Slack or Grafana when integrations are on.
        updatedAt: entry.date,
        approvedBy: approver,
        approvedAt: entry.date,
        mergedBy: approver,
        mergedAt: entry.date,
        mergeSha: entry.sha,
        items: { create: changes.map((c) => ({ service: c.service, chart: c.chart, fromVersion: c.from!, toVersion: c.to!, tickets: [] })) },
      },
    });
  }
  return picks.length;
}

