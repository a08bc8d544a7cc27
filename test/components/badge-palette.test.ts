import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { TONE_CLASS } from "@/lib/versions/describe-version-status";

/**
 * The badge scale lives in components/status-matrix.css as custom properties, each light-dark(light, dark): the
 * light theme and the dark one (the system's or the one chosen in the user menu). WCAG 2 AA: text on each badge needs
 * a contrast of at least 4.5:1, in both themes; and each tone needs a shape of its own, so the hue is never the only
 * signal.
 */
const css = readFileSync(path.resolve(__dirname, "../../components/status-matrix.css"), "utf8");

function palette(which: 0 | 1): Map<string, string> {
  const pairs = [...css.matchAll(/--(badge-[a-z0-9-]+):\s*light-dark\((#[0-9a-f]{6}),\s*(#[0-9a-f]{6})\)/gi)];
  return new Map(pairs.map((m) => [m[1]!, m[2 + which]!.toLowerCase()]));
}

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

const themes = { light: palette(0), dark: palette(1) };

describe("the badge scale", () => {
  for (const [theme, colors] of Object.entries(themes)) {
    it(`has text at 4.5:1 or more on every tone, ${theme}`, () => {
      for (const tone of Object.keys(TONE_CLASS)) {
        const bg = colors.get(`badge-${tone}-bg`);
        const fg = colors.get(`badge-${tone}-fg`);
        expect(bg && fg, `${theme} ${tone}`).toBeTruthy();
        expect(contrast(bg!, fg!), `${theme} ${tone}: ${fg} on ${bg}`).toBeGreaterThanOrEqual(4.5);
      }
    });
  }

  it("keeps the reds deepening with distance, in both themes", () => {
    for (const colors of Object.values(themes)) {
      const reds = ["behind3", "behind4", "behind5"].map((tone) => luminance(colors.get(`badge-${tone}-bg`)!));
      expect(reds[0]).toBeGreaterThan(reds[1]!);
      expect(reds[1]).toBeGreaterThan(reds[2]!);
    }
  });

  it("gives every tone a colour, and a shape of its own", () => {
    const shapes = Object.values(TONE_CLASS).map((cls) => {
      const rule = new RegExp(`\\.${cls} b[^{]*\\)::before \\{ content: "([^"]+)" / ""; \\}`).exec(css);
      expect(rule, `shape for .${cls}`).toBeTruthy();
      expect(css).toMatch(new RegExp(`\\.${cls} b[^{]*\\) \\{ background: var\\(--badge-`));
      return rule![1];
    });
    expect(new Set(shapes).size).toBe(shapes.length);
  });
});
