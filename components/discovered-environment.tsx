import { Alert, type DescriptionsProps } from "antd";
import type { EnvironmentDetail } from "@/lib/snapshots/read-environment-detail";

/** A discovered environment's release file entry: where it was found, and what it says. */
export function discoveredItems(discovered: EnvironmentDetail["discovered"]): NonNullable<DescriptionsProps["items"]> {
  if (!discovered) return [];
  return [
    {
      key: "discovered",
      label: "Discovered from",
      children: (
        <>
          <code>{`${discovered.repo}:${discovered.file}`}</code> on <code>{discovered.fileBranch}</code>
        </>
      ),
    },
    { key: "release", label: "Release", children: discovered.release },
    { key: "cluster", label: "Cluster", children: discovered.cluster ?? "—" },
    { key: "values", label: "Values file", children: discovered.values ? <code>{discovered.values}</code> : "—" },
    ...(discovered.namespace ? [{ key: "namespace", label: "Namespace", children: discovered.namespace }] : []),
  ];
}

/** For admins (only they get `error` and `problems`): what went wrong reading the release file. */
export function DiscoveryAlerts({ discovered }: { discovered: EnvironmentDetail["discovered"] }) {
  if (!discovered?.error && !discovered?.problems?.length) return null;
  return (
    <>
      {discovered.error ? (
        <Alert
          type="warning"
          showIcon
          title={`${discovered.file} could not be read at the last refresh`}
          description={
            <>
              {discovered.error}
              <div>The environments found in it before are kept.</div>
            </>
          }
        />
      ) : null}
      {discovered.problems?.length ? (
        <Alert
          type="warning"
          showIcon
          title={`${discovered.file}: ${discovered.problems.length === 1 ? "1 entry was" : `${discovered.problems.length} entries were`} skipped`}
          description={
            <ul style={{ margin: 0, paddingLeft: 20 }}>
              {discovered.problems.map((problem) => (
                <li key={problem}>{problem}</li>
              ))}
            </ul>
          }
        />
      ) : null}
    </>
  );
}
