import Link from "next/link";
import type { OverviewMatrix } from "@/lib/snapshots/filter-overview";
import type { ServiceCell } from "@/lib/snapshots/dashboard-types";
import styles from "./status-matrix.module.css";

/**
 * The state of all stacks at a glance: services × environments. A plain server-rendered table (no client
 * JavaScript per cell) because it is the largest thing Slipway renders — thousands of cells on big workspaces.
 */
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
                <Link href={`/environments/${encodeURIComponent(env.name)}`}>{env.name}</Link>
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
                return <td key={env.name}>{cell ? <MatrixBadge environment={env.name} cell={cell} /> : <span className={styles.empty}>—</span>}</td>;
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function MatrixBadge({ environment, cell }: { environment: string; cell: ServiceCell }) {
  const behind = cell.status === "behind" || cell.status === "far-behind";
  const label = `${cell.service} in ${environment}: ${cell.running ?? "unknown"}, ${cell.badgeLabel}${cell.latest ? `, latest ${cell.latest}` : ""}`;
  return (
    <>
      <Link
        href={`/environments/${encodeURIComponent(environment)}#service-${encodeURIComponent(cell.service)}`}
        className={cell.badgeLevel === 1 ? `${styles.badge} ${styles.dark}` : styles.badge}
        style={{ background: cell.badgeColor }}
        aria-label={label}
        data-status={cell.status}
      >
        {cell.running ?? "?"}
      </Link>
      {behind ? <span className={styles.latest}>→ {cell.latest}</span> : null}
    </>
  );
}
