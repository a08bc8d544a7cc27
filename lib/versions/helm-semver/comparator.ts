import { goQuote } from "./go-quote";
import type { HelmComparator, HelmOperator } from "./operators";
import { CONSTRAINT } from "./patterns";
import { newVersion, type HelmVersion } from "./version";

export type HelmComparatorParseResult =
  | { readonly ok: true; readonly comparator: HelmComparator }
  | { readonly ok: false; readonly message: string };

/** The version an empty comparator stands for: Masterminds reads `""` as `*`, i.e. >=0.0.0. */
const ZERO: HelmVersion = Object.freeze({
  major: 0n,
  minor: 0n,
  patch: 0n,
  prerelease: "",
  metadata: "",
  original: "0.0.0",
  text: "0.0.0",
});

/**
 * Masterminds `parseConstraint`: one comparator such as `>= 1.2`, `~1.x` or `*-0`. Wildcards (`x`, `X`, `*`) and
 * missing parts become 0 and mark the comparator dirty, which drops any build metadata but keeps a prerelease
 * (`1.x-beta` compares against 1.0.0-beta). A version the regex lets through but `NewVersion` refuses (`1x.2`,
 * `1.2.3-01`) is Masterminds' "constraint parser error".
 */
export function parseComparator(text: string): HelmComparatorParseResult {
  if (text.length === 0) {
    const comparator: HelmComparator = Object.freeze({
      operator: "",
      original: "",
      version: ZERO,
      dirty: true,
      minorDirty: false,
      patchDirty: false,
    });
    return { ok: true, comparator };
  }
  const match = CONSTRAINT.exec(text);
  if (!match) return { ok: false, message: `improper constraint: ${goQuote(text)}` };

  const operator = (match[1] ?? "") as HelmOperator;
  const original = match[2] ?? "";
  const major = match[3] ?? "";
  const minor = match[4] ?? "";
  const patch = match[5] ?? "";
  const prerelease = match[6] ?? "";

  let versionText = original;
  let dirty = false;
  let minorDirty = false;
  let patchDirty = false;
  if (isX(major) || major === "") {
    versionText = `0.0.0${prerelease}`;
    dirty = true;
  } else if (isX(minor.slice(1)) || minor === "") {
    versionText = `${major}.0.0${prerelease}`;
    dirty = true;
    minorDirty = true;
  } else if (isX(patch.slice(1)) || patch === "") {
    versionText = `${major}${minor}.0${prerelease}`;
    dirty = true;
    patchDirty = true;
  }

  const parsed = newVersion(versionText);
  if (!parsed.ok) return { ok: false, message: "constraint parser error" };
  const { version } = parsed;
  return { ok: true, comparator: Object.freeze({ operator, original, version, dirty, minorDirty, patchDirty }) };
}

/** Masterminds `isX`: a whole-part wildcard. */
export function isX(part: string): boolean {
  return part === "x" || part === "*" || part === "X";
}
