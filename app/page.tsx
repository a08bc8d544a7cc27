import { Alert, Space } from "antd";
import { z } from "zod";
import { OverviewFilters } from "@/components/overview-filters";
import { PageHeader } from "@/components/page-header";
import { RefreshButton } from "@/components/refresh-button";
import { refreshStacks } from "@/app/refresh-action";
import { RelativeTime } from "@/components/relative-time";
import { StatusLegend } from "@/components/status-legend";
import { StatusMatrix } from "@/components/status-matrix";
import { requirePageViewer } from "@/lib/auth/require-page-viewer";
import { readOverview } from "@/lib/snapshots/read-overview";

export const dynamic = "force-dynamic";

const asList = (v: unknown) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

const searchSchema = z.object({
  group: z.string().max(200).regex(/^[^:]+:.+$/).optional().catch(undefined),
  service: z.preprocess(asList, z.array(z.string().max(100)).max(200)).catch([]),
  behind: z.enum(["1", "true"]).optional().catch(undefined),
});

export default async function OverviewPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const viewer = await requirePageViewer("/");
  const query = searchSchema.parse(await searchParams);
  const filters = { group: query.group, services: query.service, onlyBehind: Boolean(query.behind) };
  const overview = await readOverview(viewer, filters);
  const broken = overview.environments.filter((e) => e.error);

  return (
    <>
      <PageHeader
        title="Overview"
        subtitle={
          overview.lastRefresh ? (
            <>
              Last refresh <RelativeTime iso={overview.lastRefresh.finishedAt ?? overview.lastRefresh.startedAt} />
              {overview.lastRefresh.finishedAt ? "" : " (in progress)"} · {overview.environments.length} environments ·{" "}
              {overview.services.length} services
            </>
          ) : (
            "Not refreshed yet: the first refresh starts with the server."
          )
        }
        extra={<RefreshButton refresh={refreshStacks} />}
      />
      {viewer.environments.length === 0 ? (
        // Signed in, but no grant in slipway.yaml covers this person: say so rather than show an empty matrix.
        <Alert
          type="info"
          showIcon
          title="You have no access to any environment"
          description={`You are signed in as ${viewer.principal.username}, but no access grant in slipway.yaml covers you (by user name, e-mail domain, OIDC group or GitHub team). Ask a Slipway admin to grant you a role.`}
        />
      ) : (
        <OverviewFilters value={filters} groupOptions={overview.groupOptions} serviceOptions={overview.serviceOptions} />
      )}
      {broken.length > 0 || overview.registryErrors.length > 0 || overview.discoveryProblems.length > 0 ? (
        <Space orientation="vertical" style={{ width: "100%", marginBottom: 16 }}>
          {broken.map((env) => (
            <Alert key={env.name} type="error" showIcon title={`${env.name} could not be read`} description={env.error} />
          ))}
          {overview.registryErrors.map((r) => (
            <Alert key={r.registry} type="warning" showIcon title={`Registry ${r.registry} could not be read`} description={r.error} />
          ))}
          {overview.discoveryProblems.map((d) => (
            <Alert
              key={d.source}
              type="warning"
              showIcon
              title={d.error ? `Release file ${d.source} could not be read: its environments are as last read` : `Release file ${d.source} has entries Slipway skipped`}
              description={[d.error, ...d.problems].filter(Boolean).join(" · ")}
            />
          ))}
        </Space>
      ) : null}
      {viewer.environments.length > 0 ? (
        <>
          <StatusMatrix matrix={overview.compact} />
          <StatusLegend />
        </>
      ) : null}
    </>
  );
}
