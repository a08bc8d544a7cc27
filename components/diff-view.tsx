import type { CSSProperties } from "react";

// Translucent backgrounds so the colours read on both the light and the dark theme.
const ADDED: CSSProperties = { background: "rgba(46, 160, 67, 0.18)" };
const REMOVED: CSSProperties = { background: "rgba(248, 81, 73, 0.18)" };
const HUNK: CSSProperties = { background: "rgba(128, 128, 128, 0.16)" };
const HEADER: CSSProperties = { fontWeight: 600 };

function lineStyle(line: string): CSSProperties | undefined {
  if (line.startsWith("+++") || line.startsWith("---") || line.startsWith("diff ") || line.startsWith("index ")) return HEADER;
  if (line.startsWith("@@")) return HUNK;
  if (line.startsWith("+")) return ADDED;
  if (line.startsWith("-")) return REMOVED;
  return undefined;
}

/**
 * One file's unified diff, line by line. The text comes from git and is rendered as text; the colours only repeat
 * what the +/- prefix already says, so the diff reads the same without them.
 */
export function DiffView({ path, diff }: { path: string; diff: string }) {
  const lines = diff.replace(/\n$/, "").split("\n");
  return (
    <figure style={{ margin: 0 }}>
      <figcaption style={{ fontFamily: "monospace", fontWeight: 600, marginBottom: 4 }}>{path}</figcaption>
      {diff.trim() === "" ? (
        <p style={{ margin: 0 }}>No changes to this file.</p>
      ) : (
        <pre
          role="region"
          aria-label={`Diff of ${path}`}
          // Scrollable content must be reachable by keyboard.
          tabIndex={0}
          style={{
            margin: 0,
            padding: "8px 0",
            overflowX: "auto",
            fontSize: 12,
            lineHeight: "18px",
            border: "1px solid rgba(128, 128, 128, 0.3)",
            borderRadius: 6,
          }}
        >
          {lines.map((line, index) => (
            <span key={index} style={{ display: "block", padding: "0 12px", minWidth: "max-content", ...lineStyle(line) }}>
              {line === "" ? " " : line}
            </span>
          ))}
        </pre>
      )}
    </figure>
  );
}
