import escapeHtml from "escape-html";
import { type CompactMatrix, decodeCell } from "@/lib/snapshots/encode-overview-matrix";
import { TONE_CLASS, badgeTone, describeVersionStatus } from "@/lib/versions/describe-version-status";

/**
 * The matrix's body as HTML: a row per service, a cell per environment. It is the bulk of the overview (4,000 cells
 * at 50 × 80), so it is not a tree of React elements: React would build, render and hydrate some 20,000 of them for
 * every page view. The same function makes the same text on the server, where the string is kept per matrix id (the
 * matrix itself is kept per snapshot state, lib/snapshots/read-overview.ts), and in the browser, where React hydrates
 * the <tbody> without walking its cells. Every name and version comes from git or a registry: all text is escaped.
 *
 * A cell: the running version in a badge (colour and shape by tone, components/status-matrix.css), and in words for
 * assistive technology — "orders 1.2.0 far behind: 6 releases (major), 80 days; latest 1.4.2" (the badge is an
 * inline block, so a browser puts a space after it in the name; no comma then). The first cell is the grid's one tab
 * stop.
 */
export function statusMatrixBodyHtml(matrix: CompactMatrix): string {
  // On the server the matrix is a fresh copy of the one the page computed, every request: kept by its id. In the
  // browser the same object comes back on every render: kept by identity.
  const byId = typeof window === "undefined" && matrix.id !== undefined;
  let html = byId ? keptById.get(matrix.id!) : kept.get(matrix);
  if (html === undefined) {
    html = matrix.rows.map((service, row) => rowHtml(matrix, service, row)).join("");
    if (byId) {
      if (keptById.size >= MAX_KEPT_BY_ID) keptById.delete(keptById.keys().next().value!);
      keptById.set(matrix.id!, html);
    } else {
      kept.set(matrix, html);
    }
  } else if (byId) {
    // Most recently used last: the oldest is the one to go.
    keptById.delete(matrix.id!);
    keptById.set(matrix.id!, html);
  }
  return html;
}

const kept = new WeakMap<CompactMatrix, string>();
/** Bodies the server keeps: a few views (filters) of the current snapshots, ~0.6 MB each at 50 × 80, 1.3 MB at 125 × 80. */
const keptById = new Map<string, string>();
const MAX_KEPT_BY_ID = 8;

function rowHtml(matrix: CompactMatrix, service: string, row: number): string {
  const name = escapeHtml(service);
  let html = `<tr><th scope="row">${name}</th>`;
  for (let column = 0; column < matrix.columns.length; column++) {
    const tabStop = row === 0 && column === 0 ? ' tabindex="0"' : "";
    const cell = decodeCell(matrix, row, column);
    if (!cell) {
      html += `<td class="n"${tabStop}><i>${name} not deployed</i></td>`;
      continue;
    }
    const words = escapeHtml(describeVersionStatus(cell));
    const latest = (cell.status === "behind" || cell.status === "far-behind") && cell.latest ? escapeHtml(cell.latest) : undefined;
    const running = cell.running === undefined ? "<i>unknown version</i>" : escapeHtml(cell.running);
    html +=
      `<td class="${TONE_CLASS[badgeTone(cell.status, cell.level)]}"${tabStop}><i>${name} </i><b>${running}</b>` +
      (latest ? `<i> ${words}; latest </i><small>${latest}</small></td>` : `<i> ${words}</i></td>`);
  }
  return `${html}</tr>`;
}
