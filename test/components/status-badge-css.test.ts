import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BADGE_LEGEND, TONE_CLASS } from "@/lib/versions/describe-version-status";

/**
 * components/status-badge.css paints a badge outside the matrix with the matrix's scale: every tone's background and
 * text from the --badge-* variables (whose contrast badge-palette.test.ts checks in both themes) and a shape of its own.
 */
// The tone rules live in status-matrix.css, shared with the matrix and the legend.
const css = readFileSync(path.resolve(__dirname, "../../components/status-matrix.css"), "utf8");

describe("the status badge's stylesheet", () => {
  it("gives every tone the scale's colours and a shape", () => {
    const shapes = new Set<string>();
    for (const { tone } of BADGE_LEGEND) {
      const selector = `.slipway-status-badge.${TONE_CLASS[tone]}`;
      expect(css, tone).toContain(`${selector}) { background: var(--badge-${tone}-bg); color: var(--badge-${tone}-fg); }`);
      const shape = css.match(new RegExp(`${selector.replace(/\./g, "\\.")}\\)::before \\{ content: "([^"]+)" / ""; \\}`))?.[1];
      expect(shape, tone).toBeTruthy();
      shapes.add(shape!);
    }
    expect(shapes.size).toBe(BADGE_LEGEND.length);
  });
});
