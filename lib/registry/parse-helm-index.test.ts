import { load } from "js-yaml";
import { describe, expect, it } from "vitest";
import { generateHelmIndex } from "@/test/support/generate-helm-index";
import { parseHelmIndex, parseHelmIndexWithYaml } from "./parse-helm-index";
import { scanHelmIndex } from "./scan-helm-index";
import { RegistryError } from "./types";

/** Both paths must agree, and the line scanner must really have handled the input (not bailed). */
function expectFastPathAgrees(text: string) {
  const fast = scanHelmIndex(text);
  expect(fast, "the line scanner bailed on a regular index").toBeDefined();
  const general = parseHelmIndexWithYaml(text);
  expect(fast).toEqual(general);
  expect(parseHelmIndex(text)).toEqual(general);
  return general;
}

/** Input the scanner must hand to the fallback, which then decides. */
function expectFallback(text: string) {
  expect(scanHelmIndex(text)).toBeUndefined();
  return parseHelmIndex(text);
}

const GO_YAML_V2 = `apiVersion: v1
entries:
  api:
  - annotations:
      artifacthub.io/changes: |
        - kind: fixed
          description: "version: 9.9.9 in a block scalar is not a field"
      category: Infrastructure
    apiVersion: v2
    appVersion: 2.1.0
    created: "2024-03-01T10:00:00.123456789Z"
    dependencies:
    - name: common
      repository: oci://registry-1.docker.io/bitnamicharts
      version: 2.x.x
    description: The API service of the demo platform, long enough that go-yaml wraps it
      onto a second line with version 8.8.8 that is not a field either
    digest: 6e6f1d2a5c1d4c1f
    home: https://example.com/api
    maintainers:
    - email: team@example.com
      name: Platform
    name: api
    urls:
    - https://charts.example.com/api-1.2.0.tgz
    version: 1.2.0
  - apiVersion: v2
    appVersion: 2.0.0
    created: "2024-02-01T10:00:00Z"
    deprecated: true
    description: "A quoted description that go-yaml wraps too: it goes on
      and on, with a version: 7.7.7 inside"
    digest: abc123
    name: api
    urls:
    - https://charts.example.com/api-1.1.0.tgz
    version: 1.1.0
  web:
  - apiVersion: v2
    created: 2016-10-06T16:23:20.499814565-06:00
    name: web
    version: 0.1.0
generated: "2024-03-01T10:00:00.123456789Z"
serverInfo: {}
`;

describe("parseHelmIndex: the line scanner agrees with the yaml fallback", () => {
  it("reads the layout helm repo index writes (go-yaml v2), skipping wrapped strings and block scalars", () => {
    const index = expectFastPathAgrees(GO_YAML_V2);
    expect([...index.keys()]).toEqual(["api", "web"]);
    expect(index.get("api")).toEqual([
      {
        version: "1.2.0",
        created: new Date("2024-03-01T10:00:00.123Z"),
        deprecated: false,
        digest: "6e6f1d2a5c1d4c1f",
        appVersion: "2.1.0",
      },
      {
        version: "1.1.0",
        created: new Date("2024-02-01T10:00:00Z"),
        deprecated: true,
        digest: "abc123",
        appVersion: "2.0.0",
      },
    ]);
    // -06:00 offset: 16:23 local is 22:23 UTC.
    expect(index.get("web")?.[0]?.created?.toISOString()).toBe("2016-10-06T22:23:20.499Z");
  });

  it("reads sequences indented under their key (go-yaml v3 and hand-written style)", () => {
    const text = `apiVersion: v1
entries:
  web:
    - name: web
      urls:
        - https://x/web-1.0.0.tgz
      version: 1.0.0
    - name: web
      version: 0.9.0
`;
    expect(expectFastPathAgrees(text).get("web")?.map((v) => v.version)).toEqual(["1.0.0", "0.9.0"]);
  });

  it("unquotes single- and double-quoted values and keeps numbers-looking versions as text", () => {
    const text = `apiVersion: v1
entries:
  web:
  - appVersion: '2.0'
    created: '2024-01-02T03:04:05+02:00'
    digest: 'it''s'
    version: "1.10"
  - appVersion: 1.0
    version: 1.0.0+build.1
`;
    const index = expectFastPathAgrees(text);
    expect(index.get("web")).toEqual([
      {
        version: "1.10",
        created: new Date("2024-01-02T01:04:05Z"),
        deprecated: false,
        digest: "it's",
        appVersion: "2.0",
      },
      { version: "1.0.0+build.1", created: undefined, deprecated: false, digest: undefined, appVersion: "1.0" },
    ]);
  });

  it("reads deprecated as a YAML 1.1 boolean, quoted or not", () => {
    const text = `entries:
  web:
  - deprecated: true
    version: 4.0.0
  - deprecated: "true"
    version: 3.0.0
  - deprecated: yes
    version: 2.0.0
  - deprecated: false
    version: 1.0.0
  - deprecated:
    version: 0.1.0
`;
    const index = expectFastPathAgrees(text);
    expect(index.get("web")?.map((v) => v.deprecated)).toEqual([true, true, true, false, false]);
  });

  it("handles created timestamps with offsets, without offset (UTC) and with a space separator", () => {
    const text = `entries:
  web:
  - created: 2024-01-01T00:30:00+05:30
    version: 4.0.0
  - created: 2024-01-01T00:00:00
    version: 3.0.0
  - created: 2024-01-01 10:00:00 -5
    version: 2.0.0
  - created: not a date
    version: 1.0.0
`;
    const created = expectFastPathAgrees(text)
      .get("web")
      ?.map((v) => v.created?.toISOString());
    expect(created).toEqual(["2023-12-31T19:00:00.000Z", "2024-01-01T00:00:00.000Z", "2024-01-01T15:00:00.000Z", undefined]);
  });

  it("reads files starting with a byte order mark", () => {
    expect(expectFastPathAgrees(`\uFEFF${GO_YAML_V2}`)).toEqual(parseHelmIndexWithYaml(GO_YAML_V2));
  });

  it("reads CRLF files", () => {
    const text = GO_YAML_V2.replace(/\n/g, "\r\n");
    expect(expectFastPathAgrees(text)).toEqual(parseHelmIndexWithYaml(GO_YAML_V2));
  });

  it("ignores comments everywhere, including after values", () => {
    const text = `# generated by hand
apiVersion: v1 # version of the index format
entries:
  # the web chart
  web:
  # newest first
  - version: 1.1.0 # latest
    # the digest follows
    digest: abc # sha
    appVersion: "1.1" # quoted
  - version: 1.0.0
      # an indented comment
# a comment at column 0 between fields
    appVersion: 1.0.0
`;
    expect(expectFastPathAgrees(text).get("web")).toEqual([
      { version: "1.1.0", created: undefined, deprecated: false, digest: "abc", appVersion: "1.1" },
      { version: "1.0.0", created: undefined, deprecated: false, digest: undefined, appVersion: "1.0.0" },
    ]);
  });

  it("skips block scalars of every style, including lines that look like fields", () => {
    const text = `entries:
  web:
  - description: |-
      version: 6.6.6
        digest: nope

      trailing paragraph
    notes: >
      folded
      text
    version: 1.0.0
    readme: |2
         keep: indentation
    digest: real
`;
    expect(expectFastPathAgrees(text).get("web")).toEqual([
      { version: "1.0.0", created: undefined, deprecated: false, digest: "real", appVersion: undefined },
    ]);
  });

  it("keeps tabs inside block scalars and wrapped strings on the fast path", () => {
    const text = `entries:
  web:
  - description: |
      Changes:
      \t- a tabbed bullet
    notes: "a wrapped
      \tstring"
    version: 1.0.0
`;
    expectFastPathAgrees(text);
  });

  it("treats empty repositories, empty charts and entries without a version like the fallback", () => {
    expect(expectFastPathAgrees("apiVersion: v1\nentries: {}\ngenerated: x\n").size).toBe(0);
    expect(expectFastPathAgrees("apiVersion: v1\nentries:\ngenerated: x\n").size).toBe(0);
    const index = expectFastPathAgrees(`entries:
  empty: []
  nothing:
  web:
  - name: web
    description: no version here
  - version: ""
  - version: 1.0.0
`);
    expect(index).toEqual(
      new Map([
        ["empty", []],
        ["nothing", []],
        ["web", [{ version: "1.0.0", created: undefined, deprecated: false, digest: undefined, appVersion: undefined }]],
      ]),
    );
  });

  it("agrees on a generated go-yaml index, LF and CRLF", () => {
    const lf = generateHelmIndex({ charts: 12, versionsPerChart: 9 });
    const index = expectFastPathAgrees(lf);
    expect(index.size).toBe(12);
    expect(index.get("service-0003")).toHaveLength(9);
    expect(expectFastPathAgrees(generateHelmIndex({ charts: 12, versionsPerChart: 9, newline: "\r\n" }))).toEqual(index);
  });

  it("keeps URLs with & and prose with *emphasis* on the fast path", () => {
    const text = `entries:
  web:
  - description: Uses *emphasis* and R&D, see https://x/?a=1&b=2
    icon: https://x/icon.png?raw=true&sanitize=true
    version: 1.0.0
`;
    expectFastPathAgrees(text);
  });
});

describe("parseHelmIndex: mutated indexes", () => {
  // Seeded mutations of a regular index (lines dropped, duplicated, shifted; YAML indicators inserted).
  // Whenever the scanner accepts the result, the yaml package must read the same versions from it — or reject
  // it outright: the scanner does not validate the inside of fields it skips (see scan-helm-index.ts).
  it("never reads different versions than the yaml package", () => {
    const snippets = [": ", "#", " #", '"', "'", "- ", "  ", "\t", "&a ", "*a", "[", "{}", "|", ">", "version: 5.0.0", "  - version: 6.0.0", "---", "?", ":", "\\"];
    let seed = 20240501;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed % n;
    };
    let accepted = 0;
    for (let round = 0; round < 2000; round++) {
      const lines = GO_YAML_V2.split("\n");
      for (let m = 1 + random(3); m > 0; m--) {
        const i = random(lines.length);
        const line = lines[i] ?? "";
        const at = random(line.length + 1);
        const snippet = snippets[random(snippets.length)] ?? "";
        const mutations = [
          () => lines.splice(i, 1),
          () => lines.splice(i, 0, line),
          () => (lines[i] = ` ${line}`),
          () => (lines[i] = line.replace(/^ /, "")),
          () => (lines[i] = line.slice(0, at) + snippet + line.slice(at)),
          () => lines.splice(i, 0, " ".repeat(random(8)) + snippet),
        ];
        mutations[random(mutations.length)]?.();
      }
      const text = lines.join("\n");
      const fast = scanHelmIndex(text);
      if (fast === undefined) continue;
      accepted++;
      let general: unknown;
      try {
        general = parseHelmIndexWithYaml(text);
      } catch (error) {
        expect(error).toBeInstanceOf(RegistryError);
        continue;
      }
      expect(fast, text).toEqual(general);
    }
    // The mutations must leave plenty of inputs on the fast path for this to test anything.
    expect(accepted).toBeGreaterThan(300);
  });
});

describe("parseHelmIndex: layouts the scanner leaves to the yaml fallback", () => {
  const web = (version: string) =>
    new Map([["web", [{ version, created: undefined, deprecated: false, digest: "d", appVersion: undefined }]]]);

  it.each<[string, string, Map<string, unknown> | RegExp]>([
    ["flow style", `entries: {web: [{version: 1.0.0, digest: d}]}\n`, web("1.0.0")],
    ["flow style below a chart", `entries:\n  web: [{version: 1.0.0, digest: d}]\n`, web("1.0.0")],
    ["anchors and aliases", `x: &d d\nentries:\n  web:\n  - version: 1.0.0\n    digest: *d\n`, web("1.0.0")],
    ["a merge key", `base: &b {digest: d}\nentries:\n  web:\n  - <<: *b\n    version: 1.0.0\n`, web("1.0.0")],
    ["quoted keys", `entries:\n  web:\n  - "version": 1.0.0\n    digest: d\n`, web("1.0.0")],
    ["a quoted chart name", `entries:\n  "web":\n  - version: 1.0.0\n    digest: d\n`, web("1.0.0")],
    // Classic Mac line endings: a line break to Helm's YAML reader (go-yaml), one long line to the scanner.
    ["lone-CR line endings", `apiVersion: v1\rentries:\r  web:\r  - version: 1.0.0\r    digest: d\r`, web("1.0.0")],
    ["escapes in a double-quoted value", `entries:\n  web:\n  - version: "1.0\\u002E0"\n    digest: d\n`, web("1.0.0")],
    ["a tag", `entries:\n  web:\n  - version: !!str 1.0.0\n    digest: d\n`, web("1.0.0")],
    ["a document marker", `---\nentries:\n  web:\n  - version: 1.0.0\n    digest: d\n`, web("1.0.0")],
    ["a multi-line plain version (YAML folds it)", `entries:\n  web:\n  - version: 1.0\n      .0\n    digest: d\n`, web("1.0 .0")],
    ["a null chart", `entries:\n  web: null\n`, new Map([["web", []]])],
    ["tab indentation", `entries:\n  web:\n  - version: 1.0.0\n\t digest: d\n`, /not valid YAML/],
    ["a block scalar line less indented than its first", `entries:\n  web:\n  - description: |\n        a\n      b\n    version: 1.0.0\n`, /not valid YAML/],
    ["a field indented past its siblings", `entries:\n  web:\n  - version: 1.0.0\n     digest: d\n`, /not valid YAML/],
    ["a mapping inside a wrapped description", `entries:\n  web:\n  - description: a\n      b: c\n    version: 1.0.0\n`, /not valid YAML/],
  ])("%s", (_name, text, expected) => {
    expect(scanHelmIndex(text)).toBeUndefined();
    if (expected instanceof RegExp) expect(() => parseHelmIndex(text)).toThrow(expected);
    else expect(parseHelmIndex(text)).toEqual(expected);
  });

  it("reads items whose fields sit further from the dash", () => {
    const text = `entries:\n  web:\n  -   version: 1.0.0\n      digest: d\n`;
    expect(expectFastPathAgrees(text)).toEqual(web("1.0.0"));
  });

  it("lets the fallback reject duplicate keys", () => {
    expect(() => expectFallback(`entries:\n  web:\n  - version: 1.0.0\n    version: 2.0.0\n`)).toThrow(/unique/);
    expect(() => expectFallback(`entries:\n  web: []\n  web: []\n`)).toThrow(/unique/);
    expect(() => expectFallback(`entries: {}\nentries: {}\n`)).toThrow(/unique/);
  });
});

describe("parseHelmIndex: hostile and malformed input", () => {
  it("stops a YAML alias bomb quickly with a RegistryError", () => {
    const levels = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"];
    for (let i = 1; i < 12; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(", ")}]`);
    }
    const bomb = `${levels.join("\n")}\nentries:\n  web: *l\n`;
    expect(() => parseHelmIndex(bomb, "charts")).toThrow(
      expect.objectContaining({ name: "RegistryError", registry: "charts", message: "index.yaml uses too many YAML aliases" }),
    );
  });

  it("catches a bomb hidden in fields the scanner would skip", () => {
    const bomb = `apiVersion: v1
entries:
  web:
  - annotations:
      a: &a [x, x, x, x, x, x, x, x, x, x]
      b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
      c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
      d: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
    version: 1.0.0
`;
    expect(() => parseHelmIndex(bomb)).toThrow("index.yaml uses too many YAML aliases");
  });

  it.each([
    ["an empty file", ""],
    ["a list", "- a\n- b\n"],
    ["a scalar", "hello\n"],
    ["a mapping without entries", "apiVersion: v1\ngenerated: now\n"],
  ])("rejects %s as not an index", (_name, text) => {
    expect(() => parseHelmIndex(text, "charts")).toThrow(
      new RegistryError("index.yaml is not a Helm repository index: expected a mapping with `entries`", "charts"),
    );
  });

  it("rejects entries that are not a mapping, and charts that are not lists", () => {
    expect(() => parseHelmIndex("entries: [web]\n")).toThrow("`entries` must map chart names to lists of versions");
    expect(() => parseHelmIndex("entries:\n  web: 1.0.0\n")).toThrow('entry "web" must be a list of versions');
  });

  it("reports invalid YAML and absurd nesting as RegistryErrors", () => {
    expect(() => parseHelmIndex('entries:\n  web:\n  - version: "1.0\n')).toThrow(RegistryError);
    expect(() => parseHelmIndex("entries:\n  web: [".concat("[".repeat(20_000)))).toThrow(RegistryError);
  });

  it("refuses an 8 MB nested index before the fallback parser builds it (which once cost 4 GB and the process)", () => {
    const head = "apiVersion: v1\nentries:\n  web: ";
    const levels = Math.floor((8 * 1024 * 1024 - head.length) / 2);
    const nested = `${head}${"[".repeat(levels)}${"]".repeat(levels)}`;
    expect(scanHelmIndex(nested)).toBeUndefined();
    const before = process.memoryUsage().heapUsed;
    expect(() => parseHelmIndex(nested, "charts")).toThrow(
      new RegistryError("index.yaml nests deeper than 100 levels at line 3", "charts"),
    );
    // Generous bound: the guard costs a few MB.
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(200 * 1024 * 1024);
  });
});

describe("parseHelmIndex: large indexes", () => {
  // Speed is measured by `npm run bench` (beside a plain js-yaml load), never asserted here; this checks that a
  // multi-megabyte go-yaml index stays on the fast path and reads the same as js-yaml does.
  it("reads a multi-megabyte go-yaml index on the fast path", () => {
    const text = generateHelmIndex({ charts: 60, versionsPerChart: 60 });
    expect(text.length).toBeGreaterThan(4_000_000);
    const scanned = scanHelmIndex(text);
    expect(scanned?.size).toBe(60);
    const loaded = load(text) as { entries: Record<string, { version: string }[]> };
    for (const [chart, versions] of Object.entries(loaded.entries)) {
      expect(scanned!.get(chart)!.map((v) => v.version)).toEqual(versions.map((v) => String(v.version)));
    }
  });
});
