import type { OverviewMatrix } from "@/lib/snapshots/filter-overview";
import type { ServiceCell } from "@/lib/snapshots/dashboard-types";
import styles from "./status-matrix.module.css";

/**
 * The state of all stacks at a glance: services × environments. The largest thing Slipway renders (4,000 cells on
 * a 50 × 80 workspace), so it is kept lean: a server component with plain anchors (no client component per cell)
 * and one CSS class per badge colour instead of an inline style on every cell.
 */

/**
 * The badge palette (lib/versions/badge.ts) as stylesheet classes: no <style> element in the page, which the
 * Content-Security-Policy would refuse after a client-side navigation (its nonce is the fetch's, not the document's).
 */
const BADGE_COLOR_CLASSES: Record<string, string | undefined> = {
  "#52c41a": styles.level0,
  "#faad14": styles.level1,
  "#fa8c16": styles.level2,
  "#f5222d": styles.level3,
  "#cf1322": styles.level4,
  "#820014": styles.level5,
  "#1677ff": styles.ahead,
};

function badgeColorClass(color: string): string {
  return BADGE_COLOR_CLASSES[color.toLowerCase()] ?? styles.unknown!;
}
export function StatusMatrix({ matrix }: { matrix: OverviewMatrix }) {
  return (
    <div className={styles.scroller}>
      <table className={styles.matrix} aria-label="Service versions by environment">
        <thead>
          <tr>
            <th scope="col">Service</th>
            {matrix.environments.map((env) => (
              <th scope="col" key={env.name}>
                <span className={styles.group}>{Object.values(env.groups).join(" · ")}</span>
                <a href={`/environments/${encodeURIComponent(env.name)}`}>{env.name}</a>
                {env.error ? (
                  <span className={styles.envError} title={env.error} aria-label={`${env.name} has an error`}>
                    {" "}⚠
                  </span>
                ) : null}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {matrix.services.map((service) => (
            <tr key={service}>
              <th scope="row">{service}</th>
              {matrix.environments.map((env) => {
                const cell = matrix.cells[env.name]?.[service];
                return (
                  <td key={env.name}>
                    {cell ? <MatrixBadge environment={env.name} cell={cell} colorClass={badgeColorClass(cell.badgeColor)} /> : <span className={styles.empty}>—</span>}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function MatrixBadge({ environment, cell, colorClass }: { environment: string; cell: ServiceCell; colorClass: string }) {
  const behind = cell.status === "behind" || cell.status === "far-behind";
  const label = `${cell.service} in ${environment}: ${cell.running ?? "unknown"}, ${cell.badgeLabel}${cell.latest ? `, latest ${cell.latest}` : ""}`;
  return (
    <>
      <a
        href={`/environments/${encodeURIComponent(environment)}#service-${encodeURIComponent(cell.service)}`}
        className={`${styles.badge} ${colorClass}${cell.badgeLevel === 1 ? ` ${styles.dark}` : ""}`}
        aria-label={label}
        data-status={cell.status}
      >
        {cell.running ?? "?"}
      </a>
      {behind ? <span className={styles.latest}>→ {cell.latest}</span> : null}
    </>
  );
}
