import { describe, expect, it } from "vitest";
import { MAX_RELEASE_CONFIG_BYTES, checkBranchName, readReleaseConfig } from "./read-release-config";

const FILE = "release-config.yaml";

function read(text: string) {
  const result = readReleaseConfig(text, FILE);
  if (!result.ok) throw new Error(`expected a readable file, got: ${result.error}`);
  return result;
}

describe("readReleaseConfig", () => {
  it("reads a map keyed by branch", () => {
    const result = read(`
main:            { release: shop-dev, cluster: dev-eu-1, values: values-dev.yaml }
release/staging: { release: shop-staging, cluster: stage-eu-1, values: values-staging.yaml, namespace: shop }
`);
    expect(result.problems).toEqual([]);
    expect(result.entries).toEqual([
      { branch: "main", release: "shop-dev", cluster: "dev-eu-1", values: "values-dev.yaml" },
      { branch: "release/staging", release: "shop-staging", cluster: "stage-eu-1", values: "values-staging.yaml", namespace: "shop" },
    ]);
  });

  it("reads a list under releases:, and a bare list", () => {
    const listed = `
releases:
  - { branch: main, release: shop-dev, cluster: dev-eu-1, values: values-dev.yaml }
  - branch: release/production
    release: shop-production
`;
    expect(read(listed).entries).toEqual([
      { branch: "main", release: "shop-dev", cluster: "dev-eu-1", values: "values-dev.yaml" },
      { branch: "release/production", release: "shop-production" },
    ]);
    expect(read("- { branch: main, release: shop-dev }").entries).toEqual([{ branch: "main", release: "shop-dev" }]);
  });

  it("accepts releaseName and name for release, valuesFile for values, and ignores keys it does not know", () => {
    const result = read(`
main: { releaseName: shop-dev, valuesFile: values/dev.yaml, owner: team-shop, replicas: 3 }
release/qa: { name: shop-qa, release: shop-qa }
`);
    expect(result.problems).toEqual([]);
    expect(result.entries).toEqual([
      { branch: "main", release: "shop-dev", values: "values/dev.yaml" },
      { branch: "release/qa", release: "shop-qa" },
    ]);
  });

  it("reports a bad entry by file and entry, and keeps the good ones", () => {
    const result = read(`
main: { release: shop-dev }
release/a: { release: "shop staging" }
release/b: { cluster: stage-eu-1 }
release/c: { release: shop-c, name: shop-other }
release/d: { release: shop-d, values: ../../etc/passwd }
release/e: { release: shop-e, namespace: Not_A_Namespace }
release/f: [not, a, mapping]
release/g: { release: { nested: true } }
"-rf": { release: shop-h }
"a..b": { release: shop-i }
"bad branch": { release: shop-j }
release/k: { release: shop-k, cluster: "dev eu" }
release/ok: { release: shop-ok }
`);
    expect(result.entries.map((e) => e.release)).toEqual(["shop-dev", "shop-ok"]);
    expect(result.problems).toEqual([
      `${FILE}: entry "release/a": release "shop staging" is not a valid environment name: use letters, digits, '.', '_' and '-' only`,
      `${FILE}: entry "release/b": names no release (release: …)`,
      `${FILE}: entry "release/c": release and name disagree`,
      `${FILE}: entry "release/d": values "../../etc/passwd" must be a file path inside the repository`,
      `${FILE}: entry "release/e": namespace "Not_A_Namespace" is not a Kubernetes namespace name`,
      `${FILE}: entry "release/f": must be a mapping such as { release: shop-dev, cluster: dev-eu-1, values: values-dev.yaml }`,
      `${FILE}: entry "release/g": release must be text`,
      `${FILE}: entry "-rf": branch "-rf" starts with '-'`,
      `${FILE}: entry "a..b": branch "a..b" contains '..'`,
      `${FILE}: entry "bad branch": branch "bad branch" contains a character git does not allow in a branch name`,
      `${FILE}: entry "release/k": cluster "dev eu" may hold letters, digits and . _ : / @ - only (up to 200)`,
    ]);
  });

  it("names list entries by position, and a list entry needs a branch", () => {
    const result = read("releases:\n  - { release: shop-dev }\n  - { branch: main, release: shop-main }\n");
    expect(result.entries).toEqual([{ branch: "main", release: "shop-main" }]);
    expect(result.problems).toEqual([`${FILE}: entry #1: names no branch (branch: …)`]);
  });

  it("counts the first of two entries for one branch or one release, and reports the second", () => {
    const result = read(`
releases:
  - { branch: main, release: shop-dev }
  - { branch: main, release: shop-dev-2 }
  - { branch: release/other, release: shop-dev }
`);
    expect(result.entries).toEqual([{ branch: "main", release: "shop-dev" }]);
    expect(result.problems).toEqual([
      `${FILE}: entry #2: branch "main" is listed twice; the first entry counts`,
      `${FILE}: entry #3: release "shop-dev" is listed twice; the first entry counts`,
    ]);
  });

  it("refuses a file that writes one branch key twice: which entry was meant cannot be told", () => {
    const result = readReleaseConfig("main: { release: a }\nmain: { release: b }\n", FILE);
    expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/^release-config\.yaml is not valid YAML: Map keys must be unique/) });
  });

  it("reads an empty file as no environments", () => {
    expect(read("# nothing deployed from here yet\n")).toEqual({ ok: true, entries: [], problems: [] });
  });

  it.each([
    ["not YAML", "main: { release: [\n", /^release-config\.yaml is not valid YAML/],
    ["a scalar", "just text\n", /must map each branch to its release/],
    ["deep nesting", `main: ${"[".repeat(150)}${"]".repeat(150)}\n`, /nests deeper than 100 levels at line 1/],
    [
      "an alias bomb",
      ["a: &a [x, x, x, x, x, x, x, x, x, x]", ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(", ")}]`)].join("\n"),
      /cannot be read: Excessive alias count/,
    ],
    ["too many entries", Array.from({ length: 201 }, (_, i) => `b${i}: { release: r${i} }`).join("\n"), /lists 201 entries; Slipway reads at most 200/],
    ["an oversized file", `# ${"x".repeat(MAX_RELEASE_CONFIG_BYTES)}\nmain: { release: a }\n`, /is 257 KiB; Slipway reads release files up to 256 KiB/],
  ])("refuses %s with an error naming the file", (_what, text, message) => {
    const result = readReleaseConfig(text, FILE);
    expect(result.ok).toBe(false);
    expect(result.ok ? "" : result.error).toMatch(message);
  });

  it("checks branch names as git does", () => {
    for (const good of ["main", "release/production", "feature/x-1", "v1.2"]) expect(checkBranchName(good)).toBeUndefined();
    for (const bad of ["-x", "a..b", "a b", "a~1", "a^", "a:b", "a?", "a*", "a[b", "a\\b", "@", "a@{1}", "/a", "a/", "a//b", "a.", ".a", "a/.b", "a.lock", "x".repeat(201)]) {
      expect(checkBranchName(bad), bad).toBeDefined();
    }
  });
});
