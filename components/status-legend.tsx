import "./status-matrix.css";
import { BADGE_LEGEND, TONE_CLASS } from "@/lib/versions/describe-version-status";

/**
 * What the badges mean: each tone's colour and shape beside its words. "Behind" deepens with distance — the step
 * (patch, minor, major), how many releases, and how long ago the first newer one came out.
 */
export function StatusLegend() {
  return (
    <ul className="slipway-legend" aria-label="Badge legend">
      {BADGE_LEGEND.map(({ tone, label }) => (
        <li key={tone} className={TONE_CLASS[tone]}>
          <b aria-hidden="true">&nbsp;</b>
          {label}
        </li>
      ))}
    </ul>
  );
}
