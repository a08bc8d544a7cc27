import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

function parseAndMeasure(parser: "scanner" | "yaml"): { keptBytes: number; textBytes: number; charts: number } {
  const run = spawnSync(process.execPath, ["--expose-gc", "--import", "tsx", path.join(__dirname, "index-retention-probe.ts"), parser], {
    cwd: path.join(__dirname, "..", ".."),
    env: { ...process.env, NODE_OPTIONS: "" },
    encoding: "utf8",
  });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout);
}

describe("a parsed index.yaml", () => {
  // 16,000 versions (objects, dates, version, digest and appVersion strings) take ~7.5 MB; the text is ~12 MB, which
  // the parsed index kept whole while its strings were views into it (19.7 MB kept).
  it.each(["scanner", "yaml"] as const)("keeps what it read, not the whole text it read it from (%s)", (parser) => {
    const { keptBytes, textBytes, charts } = parseAndMeasure(parser);
    expect(charts).toBe(40);
    expect(textBytes).toBeGreaterThan(9_000_000);
    expect(keptBytes).toBeLessThan(textBytes);
  });
});
