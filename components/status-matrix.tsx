import { readCspNonce } from "@/lib/http/csp-nonce";
import type { OverviewMatrix } from "@/lib/snapshots/filter-overview";
import type { ServiceCell } from "@/lib/snapshots/dashboard-types";
import styles from "./status-matrix.module.css";

/**
 * The state of all stacks at a glance: services × environments. The largest thing Slipway renders (4,000 cells on
 * a 50 × 80 workspace), so it is kept lean: a server component with plain anchors (no client component per cell)
 * and one CSS class per badge colour instead of an inline style on every cell.
 */
export async function StatusMatrix({ matrix }: { matrix: OverviewMatrix }) {
  // The badge colours are one <style>: the Content-Security-Policy accepts it only with this response's nonce.
  const nonce = await readCspNonce();
  const colorClasses = new Map<string, string>();
  for (const env of matrix.environments) {
    for (const cell of Object.values(matrix.cells[env.name] ?? {})) {
      if (!colorClasses.has(cell.badgeColor)) colorClasses.set(cell.badgeColor, `b${colorClasses.size}`);
    }
  }
  const colorCss = [...colorClasses]
    .filter(([color]) => /^#[0-9a-f]{3,8}$/i.test(color))
    .map(([color, cls]) => `.${styles.matrix} .${cls}{background:${color}}`)
    .join("");

  return (
    <div className={styles.scroller}>
      <style nonce={nonce}>{colorCss}</style>
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
                    {cell ? <MatrixBadge environment={env.name} cell={cell} colorClass={colorClasses.get(cell.badgeColor)!} /> : <span className={styles.empty}>—</span>}
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
