import "server-only";
import { annotationKeyTag, type NewAnnotation } from "./grafana-client";

/**
 * The annotations a merged release request leaves in Grafana, pure: one per service, tagged with the environment, the
 * service and the version now running (plus `slipway`, the kind, and the key tag a retry finds it by), the text naming
 * the request and its tickets. A rollback annotates too, and names the tickets that left.
 */

export interface ReleaseAnnotationInput {
  requestId: string;
  kind: "upgrade" | "rollback" | "promotion";
  environment: string;
  items: { service: string; from: string | null; to: string | null }[];
  tickets: { key: string }[];
  ticketsLeaving?: { key: string }[];
  /** The release request's page in Slipway. */
  requestUrl?: string;
  /** When it merged. */
  time: Date;
}

/** Grafana keeps a tag in a 100-character column. */
const tag = (value: string) => value.slice(0, 100);

function listKeys(tickets: { key: string }[], max = 20): string {
  const shown = tickets.slice(0, max).map((t) => t.key).join(", ");
  return tickets.length > max ? `${shown} and ${tickets.length - max} more` : shown;
}

export function buildReleaseAnnotations(input: ReleaseAnnotationInput): { keyTag: string; annotation: NewAnnotation }[] {
  return input.items.map((item) => {
    const keyTag = annotationKeyTag(input.requestId, item.service);
    const version = item.to ?? "removed";
    const change = `${item.from ?? "new"} → ${item.to ?? "removed"}`;
    const lines = [
      `Slipway ${input.kind} of ${item.service} in ${input.environment}: ${change}`,
      `Release request ${input.requestId}${input.requestUrl ? ` ${input.requestUrl}` : ""}`,
    ];
    if (input.tickets.length > 0) lines.push(`Tickets: ${listKeys(input.tickets)}`);
    if (input.kind === "rollback" && input.ticketsLeaving && input.ticketsLeaving.length > 0) {
      lines.push(`Tickets leaving ${input.environment}: ${listKeys(input.ticketsLeaving)}`);
    }
    const tags = [...new Set([tag(input.environment), tag(item.service), tag(version), "slipway", input.kind, keyTag])];
    return { keyTag, annotation: { time: input.time, tags, text: lines.join("\n") } };
  });
}
