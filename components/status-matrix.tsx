"use client";

import "./status-matrix.css";
import { useRouter } from "next/navigation";
import { type KeyboardEvent, type MouseEvent, useEffect, useRef } from "react";
import { type CompactMatrix, decodeCell } from "@/lib/snapshots/encode-overview-matrix";
import { statusMatrixBodyHtml } from "./status-matrix-body";

/**
 * The state of all stacks at a glance: services × environments, as a grid a keyboard can walk (arrow keys, Home/End,
 * Page Up/Down; Enter opens the environment at the service) and a screen reader can read (row and column headers,
 * each cell's status in words).
 *
 * It is the largest thing Slipway renders, so its markup is lean: a cell is a few short tags with one-letter classes
 * (the tones in status-matrix.css), no link or handler per cell — one listener on the table finds the cell — the
 * props arrive as numbers (lib/snapshots/encode-overview-matrix.ts), and the body is one string of HTML
 * (components/status-matrix-body.ts).
 */

/** Rows a Page Up or Page Down moves. */
const PAGE_ROWS = 10;

export function StatusMatrix({ matrix }: { matrix: CompactMatrix }) {
  const router = useRouter();
  const table = useRef<HTMLTableElement>(null);

  // New data (a filter, a refresh) re-renders the body: one tab stop again, on the first cell.
  useEffect(() => {
    const cells = table.current?.querySelectorAll<HTMLTableCellElement>('tbody td[tabindex="0"]');
    cells?.forEach((cell, i) => {
      if (i > 0) cell.tabIndex = -1;
    });
  }, [matrix]);

  function hrefOf(cell: HTMLTableCellElement): string | undefined {
    const row = (cell.parentElement as HTMLTableRowElement).sectionRowIndex;
    const column = matrix.columns[cell.cellIndex - 1];
    const service = matrix.rows[row];
    if (!column || !service) return undefined;
    const env = `/environments/${encodeURIComponent(column.name)}`;
    return decodeCell(matrix, row, cell.cellIndex - 1) ? `${env}#service-${encodeURIComponent(service)}` : env;
  }

  function open(cell: HTMLTableCellElement, newTab: boolean) {
    const href = hrefOf(cell);
    if (!href) return;
    if (newTab) window.open(href, "_blank", "noopener");
    else router.push(href);
  }

  function onClick(event: MouseEvent<HTMLTableElement>) {
    const cell = (event.target as Element).closest("tbody td");
    if (cell instanceof HTMLTableCellElement) open(cell, event.metaKey || event.ctrlKey);
  }

  function onAuxClick(event: MouseEvent<HTMLTableElement>) {
    const cell = (event.target as Element).closest("tbody td");
    if (event.button === 1 && cell instanceof HTMLTableCellElement) open(cell, true);
  }

  function onKeyDown(event: KeyboardEvent<HTMLTableElement>) {
    const cell = event.target;
    if (!(cell instanceof HTMLTableCellElement) || !cell.closest("tbody")) return;
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      open(cell, event.metaKey || event.ctrlKey);
      return;
    }
    const body = table.current?.tBodies[0];
    if (!body) return;
    const row = (cell.parentElement as HTMLTableRowElement).sectionRowIndex;
    const column = cell.cellIndex - 1;
    const lastRow = body.rows.length - 1;
    const lastColumn = matrix.columns.length - 1;
    const target = moveFrom(event, row, column, lastRow, lastColumn);
    if (!target) return;
    event.preventDefault();
    const next = body.rows[target[0]]?.cells[target[1] + 1];
    if (!next || next === cell) return;
    cell.tabIndex = -1;
    next.tabIndex = 0;
    next.focus();
  }

  return (
    <div className="slipway-matrix-scroller">
      <table
        ref={table}
        role="grid"
        className="slipway-matrix"
        aria-label="Service versions by environment"
        aria-rowcount={matrix.rows.length + 1}
        onClick={onClick}
        onAuxClick={onAuxClick}
        onKeyDown={onKeyDown}
      >
        <thead>
          <tr>
            <th scope="col">Service</th>
            {matrix.columns.map((column) => (
              <th scope="col" key={column.name}>
                {column.groups ? <span className="group">{column.groups}</span> : null}
                <a href={`/environments/${encodeURIComponent(column.name)}`}>{column.name}</a>
                {column.error ? (
                  <span className="env-error" title={column.error} role="img" aria-label={`${column.name} has an error`}>
                    {" ⚠"}
                  </span>
                ) : null}
              </th>
            ))}
          </tr>
        </thead>
        {/* The cells as one string (components/status-matrix-body.ts); React hydrates the body without its cells. */}
        <tbody dangerouslySetInnerHTML={{ __html: statusMatrixBodyHtml(matrix) }} />
      </table>
    </div>
  );
}

function moveFrom(
  event: KeyboardEvent,
  row: number,
  column: number,
  lastRow: number,
  lastColumn: number,
): [number, number] | undefined {
  const clampRow = (r: number) => Math.max(0, Math.min(lastRow, r));
  switch (event.key) {
    case "ArrowUp":
      return [clampRow(row - 1), column];
    case "ArrowDown":
      return [clampRow(row + 1), column];
    case "ArrowLeft":
      return [row, Math.max(0, column - 1)];
    case "ArrowRight":
      return [row, Math.min(lastColumn, column + 1)];
    case "Home":
      return event.ctrlKey ? [0, 0] : [row, 0];
    case "End":
      return event.ctrlKey ? [lastRow, lastColumn] : [row, lastColumn];
    case "PageUp":
      return [clampRow(row - PAGE_ROWS), column];
    case "PageDown":
      return [clampRow(row + PAGE_ROWS), column];
    default:
      return undefined;
  }
}
