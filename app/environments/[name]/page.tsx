import { Alert, Descriptions, Space, Tag } from "antd";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { DiscoveryAlerts, discoveredItems } from "@/components/discovered-environment";
import { EnvironmentServicesTable } from "@/components/environment-services-table";
import { LinkButton } from "@/components/link-button";
import { LockReportAlert, LockStateTag } from "@/components/lock-report";
import { PageHeader } from "@/components/page-header";
import { RefreshButton } from "@/components/refresh-button";
import { refreshStacks } from "@/app/refresh-action";
import { RelativeTime } from "@/components/relative-time";
import { requirePageViewer } from "@/lib/auth/require-page-viewer";
import { readEnvironmentDetail } from "@/lib/snapshots/read-environment-detail";

export const dynamic = "force-dynamic";

const ACCESS_LABELS = { view: "view", request: "raise releases", approve: "approve and merge", admin: "administer" } as const;
const ACCESS_COLORS = { view: "default", request: "blue", approve: "purple", admin: "gold" } as const;

const paramsSchema = z.object({ name: z.string().min(1).max(100) });

type Props = { params: Promise<{ name: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { name } = await params;
  return { title: decodeURIComponent(name) };
}

export default async function EnvironmentPage({ params }: Props) {
  const parsed = paramsSchema.safeParse(await params);
  if (!parsed.success) notFound();
  const name = decodeURIComponent(parsed.data.name);
  // An environment the viewer may not see is a 404, like one that does not exist: names cannot be probed.
  const viewer = await requirePageViewer(`/environments/${encodeURIComponent(name)}`, "environment.view", name);
  const detail = await readEnvironmentDetail(viewer, name);
  const env = detail.environment;

  return (
    <>
      <PageHeader
        title={env.name}
        subtitle={
          env.refreshedAt ? (
            <>
              Refreshed <RelativeTime iso={env.refreshedAt} />
            </>
          ) : (
            "Not refreshed yet"
          )
        }
        extra={
          <Space wrap>
            <LinkButton href={`/environments/${encodeURIComponent(env.name)}/history`}>History</LinkButton>
            {detail.promotion ? (
              <LinkButton href={`/environments/${encodeURIComponent(detail.promotion.to)}/promote?from=${encodeURIComponent(env.name)}`}>
                {`Promote to ${detail.promotion.to}: ${detail.promotion.differ === 1 ? "1 service differs" : `${detail.promotion.differ} services differ`}`}
              </LinkButton>
            ) : null}
            {detail.allowed.includes("request") ? (
              <LinkButton type="primary" href={`/environments/${encodeURIComponent(env.name)}/upgrade`}>
                Upgrade services
              </LinkButton>
            ) : null}
            <RefreshButton refresh={refreshStacks} />
          </Space>
        }
      />
      <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
        {env.error ? (
          <Alert
            type="error"
            showIcon
            title="This environment could not be read"
            description={
              <>
                {env.error}
                {env.lastSuccessAt ? (
                  <div>
                    Showing the last good read, from <RelativeTime iso={env.lastSuccessAt} />.
                  </div>
                ) : null}
              </>
            }
          />
        ) : null}
        <LockReportAlert report={detail.lock} />
        {env.warnings.map((warning) => (
          <Alert key={warning} type="warning" showIcon title={warning} />
        ))}
        <DiscoveryAlerts discovered={detail.discovered} />
        <Descriptions
          size="small"
          bordered
          column={{ xs: 1, sm: 1, md: 2, lg: 3 }}
          items={[
            { key: "groups", label: "Groups", children: Object.entries(env.groups).map(([k, v]) => <Tag key={k}>{`${k}: ${v}`}</Tag>) },
            { key: "repo", label: "Repository", children: env.repo },
            { key: "branch", label: "Branch", children: <code>{env.branch}</code> },
            { key: "path", label: "Chart folder", children: detail.path || "/" },
            ...discoveredItems(detail.discovered),
            { key: "commit", label: "Commit", children: env.commitSha ? <code>{env.commitSha.slice(0, 12)}</code> : "—" },
            { key: "chart", label: "Umbrella chart", children: env.chart ?? "—" },
            { key: "lock", label: "Lock", children: <LockStateTag report={detail.lock} /> },
            ...(detail.snapshots
              ? [
                  {
                    key: "snapshots",
                    label: "Snapshots",
                    children:
                      detail.snapshots.length === 0 ? (
                        "none yet"
                      ) : (
                        <Space size={4} wrap>
                          {detail.snapshots.map((s) =>
                            detail.promotion ? (
                              <Link
                                key={s.tag}
                                href={`/environments/${encodeURIComponent(detail.promotion.to)}/promote?from=${encodeURIComponent(env.name)}&snapshot=${encodeURIComponent(s.tag)}`}
                                aria-label={`Promote snapshot ${s.tag} to ${detail.promotion.to}`}
                              >
                                <Tag>{s.tag}</Tag>
                              </Link>
                            ) : (
                              <Tag key={s.tag}>{s.tag}</Tag>
                            ),
                          )}
                        </Space>
                      ),
                  },
                ]
              : []),
            {
              key: "url",
              label: "Environment",
              children: env.url ? (
                <a href={env.url} target="_blank" rel="noreferrer">
                  {env.url}
                </a>
              ) : (
                "—"
              ),
            },
            { key: "prereleases", label: "Prereleases", children: detail.includePrereleases ? "included" : "ignored" },
            {
              key: "access",
              label: "Your access",
              children: detail.allowed.map((action) => <Tag key={action} color={ACCESS_COLORS[action]}>{ACCESS_LABELS[action]}</Tag>),
            },
          ]}
        />
        <EnvironmentServicesTable services={detail.services} rollbackFor={detail.allowed.includes("request") ? env.name : undefined} />
      </Space>
    </>
  );
}
