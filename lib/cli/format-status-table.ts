import type { EnvironmentStatusJson } from "./status-json";

const STATUS_MARK: Record<string, string> = {
  current: "●",
  behind: "▲",
  "far-behind": "▲▲",
  ahead: "◆",
  "not-in-registry": "○",
  vendored: "□",
  unparseable: "?",
  unknown: "·",
};

/** Plain-text status for a terminal: one block per environment, aligned columns, no colour codes. */
export function formatStatusTable(environments: EnvironmentStatusJson[]): string {
  const out: string[] = [];
  for (const env of environments) {
    const where = `${env.repo}@${env.branch}${env.path ? `:${env.path}` : ""}`;
    out.push(`${env.name}  (${where}${env.commit ? ` ${env.commit.sha.slice(0, 10)}` : ""})`);
    if (env.error) {
      out.push(`  ERROR: ${env.error}`, "");
      continue;
    }
    for (const warning of env.warnings) out.push(`  warning: ${warning}`);
    if (env.lock && env.lock.state !== "in-sync" && env.lock.state !== "no-dependencies") out.push(`  lock: ${env.lock.summary}`);
    const rows = env.services.map((s) => [
      s.service,
      s.running ?? "?",
      s.latest ?? "-",
      `${STATUS_MARK[s.status] ?? ""} ${s.badge.label}`,
      s.daysBehind === null ? "" : `${s.daysBehind}d`,
      s.error ?? "",
    ]);
    const header = ["SERVICE", "RUNNING", "LATEST", "STATUS", "DAYS", ""];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    for (const row of [header, ...rows]) {
      out.push(`  ${row.map((cell, i) => cell.padEnd(widths[i]!)).join("  ")}`.trimEnd());
    }
    out.push("");
  }
  return out.join("\n");
}
