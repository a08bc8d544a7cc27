/** A traffic-light badge: the colour comes from the status computation, the label says it in words. */
export function StatusBadge({ color, level, label }: { color: string; level: number; label: string }) {
  return (
    <span
      style={{
        display: "inline-block",
        padding: "1px 10px",
        borderRadius: 10,
        background: color,
        color: level === 1 ? "rgba(0,0,0,0.85)" : "#fff",
        fontSize: 12,
        lineHeight: "20px",
        whiteSpace: "nowrap",
      }}
    >
      {label}
    </span>
  );
}
