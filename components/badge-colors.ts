/** Dot colour for a badge level in navigation: grey for unknown, green, then the badge reds. */
export function badgeDotColor(level: number): string {
  if (level < 0) return "#bfbfbf";
  return ["#52c41a", "#faad14", "#fa8c16", "#f5222d", "#cf1322", "#820014"][Math.min(level, 5)]!;
}
