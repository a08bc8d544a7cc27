import "server-only";
import { buildReleaseAnnotations } from "@/lib/integrations/grafana/release-annotations";
import type { FollowThroughPayload } from "./follow-through-jobs";

/**
 * The Grafana annotation one `grafana.annotate` job creates, with the tag it is found again by: what the job sends,
 * and what the settings page previews, from the one payload.
 */
export function annotationOfJob(input: FollowThroughPayload<"grafana.annotate">) {
  const [built] = buildReleaseAnnotations({
    requestId: String(input.requestId),
    kind: input.kind,
    environment: input.environment,
    items: [input.item],
    tickets: input.tickets.map((key) => ({ key })),
    ...(input.ticketsLeaving ? { ticketsLeaving: input.ticketsLeaving.map((key) => ({ key })) } : {}),
    ...(input.requestUrl ? { requestUrl: input.requestUrl } : {}),
    time: new Date(input.time),
  });
  return built!;
}
