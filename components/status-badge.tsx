import "./status-matrix.css";
import "./status-badge.css";
import { TONE_CLASS, badgeTone } from "@/lib/versions/describe-version-status";
import type { VersionStatusKind } from "@/lib/versions/types";

/**
 * A status badge outside the matrix (an environment's services, the upgrade wizard): the matrix's tone — its colours
 * for the light and the dark theme, each at 4.5:1 or more, and its shape — chosen by status and level, never by a
 * stored colour, with the status in words. `status` is the stored text; anything unknown reads as the grey tone.
 */
export function StatusBadge({ status, level, label }: { status: string; level: number; label: string }) {
  const tone = badgeTone(status as VersionStatusKind, level);
  return <span className={`slipway-status-badge ${TONE_CLASS[tone]}`}>{label}</span>;
}
