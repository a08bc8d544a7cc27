import { Alert, Tag } from "antd";
import type { LockSyncReport } from "@/lib/charts/check-lock-sync";

const STATE_TAGS: Record<LockSyncReport["state"], { color: string; label: string }> = {
  "in-sync": { color: "green", label: "in sync" },
  "out-of-sync": { color: "red", label: "out of sync" },
  "no-lock": { color: "orange", label: "no lock" },
  "no-dependencies": { color: "default", label: "nothing to lock" },
};

/** The lock's state as a tag, for the environment's facts; the sentence says what `helm dependency build` does. */
export function LockStateTag({ report }: { report: LockSyncReport | undefined }) {
  if (!report) return <>—</>;
  const tag = STATE_TAGS[report.state] ?? { color: "default", label: report.state };
  return (
    <span title={report.summary}>
      <Tag color={tag.color}>{tag.label}</Tag>
      {report.lockFile ? <code>{report.lockFile}</code> : null}
    </span>
  );
}

/** Shown only when the build would not use the lock as it is: what is out of step, entry by entry. */
export function LockReportAlert({ report }: { report: LockSyncReport | undefined }) {
  if (!report || report.state === "in-sync" || report.state === "no-dependencies") return null;
  const details = [
    ...report.dependenciesWithoutEntry.map((service) => `${service}: no lock entry`),
    ...report.entriesNotInChart.map((entry) => `${entry.name} ${entry.version} (${entry.repository || "no repository"}): locked, but no longer a dependency`),
    ...report.repositoryChanged.map((change) => `${change.service}: repository changed from ${change.locked} to ${change.declared}`),
    ...(report.digest && !report.digest.matches
      ? [`digest: the lock records ${report.digest.recorded ?? "none"}, the files hash to ${report.digest.computed}`]
      : []),
  ];
  return (
    <Alert
      type={report.state === "out-of-sync" ? "error" : "warning"}
      showIcon
      title={report.state === "out-of-sync" ? "The lock file is out of sync" : "This chart has no lock file"}
      description={
        <>
          <div>{report.summary}</div>
          {details.length > 0 ? (
            <ul aria-label="Lock differences">
              {details.map((detail) => (
                <li key={detail}>{detail}</li>
              ))}
            </ul>
          ) : null}
        </>
      }
    />
  );
}
