import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BADGE_COLORS, badgeFor } from "@/lib/versions/badge";

// The overview colours its badges with stylesheet classes (no inline <style>, which the CSP would refuse after a
// client-side navigation): the classes must be exactly the palette the badge function hands out.
const css = readFileSync(path.resolve(__dirname, "../../components/status-matrix.module.css"), "utf8");
const classColor = (name: string) => new RegExp(`\\.${name}\\s*\\{\\s*background:\\s*(#[0-9a-f]+);`, "i").exec(css)?.[1]?.toLowerCase();

describe("the overview's badge classes", () => {
  it("have one class per badge level, in the badge function's colours", () => {
    BADGE_COLORS.forEach((color, level) => expect(classColor(`level${level}`)).toBe(color.toLowerCase()));
  });

  it("cover ahead and unknown too", () => {
    const base = { running: "1.0.0", latest: "1.0.0", releasesBehind: 0, step: "none" as const, daysBehind: undefined };
    expect(classColor("ahead")).toBe(badgeFor({ ...base, status: "ahead" }).color.toLowerCase());
    expect(classColor("unknown")).toBe(badgeFor({ ...base, status: "unknown" }).color.toLowerCase());
  });
});
