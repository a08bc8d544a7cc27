import "server-only";
import { Card, Descriptions, Tag } from "antd";
import type { ReactNode } from "react";
import { type GithubRateLimit as RateLimit, readGithubRateLimits } from "@/lib/git/github/github-usage";
import { LocalNumber } from "./local-number";
import { LocalTime } from "./local-time";

/** The resources Slipway spends: REST ("core") and GraphQL points; any other GitHub reported is listed after them. */
const RESOURCES = ["core", "graphql"];
const LABELS: Record<string, string> = { core: "REST (core)", graphql: "GraphQL (points)" };

/** "4,987 of 5,000 left, resets at 10:42 (in 12 min)": counts and time in the viewer's locale and zone. */
function describe(limit: RateLimit | undefined, now: Date): ReactNode {
  if (!limit) return "not seen yet";
  const minutes = Math.max(0, Math.ceil((limit.resetAt.getTime() - now.getTime()) / 60_000));
  return (
    <>
      <LocalNumber value={limit.remaining} /> of <LocalNumber value={limit.limit} /> left,{" "}
      {limit.resetAt.getTime() <= now.getTime() ? (
        "reset already"
      ) : (
        <>
          resets at <LocalTime iso={limit.resetAt.toISOString()} precision="time" /> (in {minutes} min)
        </>
      )}
    </>
  );
}

/**
 * GitHub's rate limit left, per resource, as GitHub last reported it on an answer to this server process (the
 * refresher, when it runs as a process of its own, spends from the same limits but reports to its own /metrics).
 * Server-rendered: the figures are read when the page is.
 */
export function GithubRateLimit() {
  const now = new Date();
  const limits = readGithubRateLimits();
  const byResource = new Map(limits.map((limit) => [limit.resource, limit]));
  const resources = [...RESOURCES, ...limits.map((limit) => limit.resource).filter((resource) => !RESOURCES.includes(resource))];
  const low = limits.some((limit) => limit.remaining < limit.limit * 0.1 && limit.resetAt > now);
  return (
    <section aria-labelledby="settings-github-rate-limit" style={{ marginBottom: 24 }}>
      <Card
        title={<span id="settings-github-rate-limit">GitHub rate limit</span>}
        extra={low ? <Tag color="orange">Below 10%</Tag> : undefined}
        size="small"
      >
        <Descriptions
          column={1}
          size="small"
          items={resources.map((resource) => ({
            key: resource,
            label: LABELS[resource] ?? resource,
            children: describe(byResource.get(resource), now),
          }))}
        />
      </Card>
    </section>
  );
}
