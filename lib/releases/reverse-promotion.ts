import { tagName } from "@/lib/changelog/build-changelog";
import type { WorkspaceConfig } from "@/lib/config/schema";
import { errorMessage } from "@/lib/errors";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import type { GitProvider } from "@/lib/git/git-provider";

/** One follow-up step of a merged request and how it went, stored on the request (`followUps`). */
export interface FollowUp {
  kind: "reverse-promotion";
  service: string;
  repo: string;
  branch: string;
  version: string;
  state: "created" | "fast-forwarded" | "unchanged" | "failed";
  detail?: string;
}

/**
 * MPB's reverse promotion: after a release request merged in an environment, each service of it whose slipway.yaml
 * entry sets `reversePromotion` gets its repository's `release/<environment>` branch moved forward to the release tag
 * of the version now deployed, so each service repository shows what runs where. Never rewritten: a branch that
 * diverged is reported, not forced. The outcomes are stored on the request; a failure never undoes the merge.
 */
export async function reversePromote(
  deps: { db: PrismaClient; git: GitProvider; config: Pick<WorkspaceConfig, "services"> },
  requestId: number,
): Promise<FollowUp[]> {
  const request = await deps.db.releaseRequest.findUnique({ where: { id: requestId }, include: { items: true } });
  if (!request || request.state !== "merged") return [];
  const followUps: FollowUp[] = [];
  for (const item of request.items) {
    const service = deps.config.services[item.service] ?? Object.values(deps.config.services).find((s) => s.chart === item.chart);
    if (!service?.reversePromotion || !service.repo) continue;
    const branch = `release/${request.environment}`;
    const step = { kind: "reverse-promotion" as const, service: item.service, repo: service.repo, branch, version: item.toVersion };
    try {
      const tag = tagName(service.tagPattern, item.toVersion);
      const sha = (await deps.git.listTags(service.repo)).get(tag);
      if (!sha) {
        followUps.push({ ...step, state: "failed", detail: `${service.repo} has no tag ${tag}` });
        continue;
      }
      followUps.push({ ...step, state: await deps.git.advanceBranch(service.repo, branch, sha) });
    } catch (error) {
      followUps.push({ ...step, state: "failed", detail: errorMessage(error) });
    }
  }
  if (followUps.length > 0) {
    await deps.db.releaseRequest.update({ where: { id: requestId }, data: { followUps: followUps as unknown as Prisma.InputJsonArray } });
  }
  return followUps;
}
