import { describe, expect, it } from "vitest";
import { readUmbrellaChart } from "./read-umbrella-chart";
import { ChartReadError, type UmbrellaChart } from "./types";

const helm3Chart = `# Umbrella chart for the staging stack.
# Bumped by Slipway release requests; do not edit versions by hand.
apiVersion: v2
name: staging-stack
description: Everything that runs in staging
type: application
version: 0.42.0

x-repos:
  internal: &internal https://charts.example.com/internal

dependencies:
  # Public API gateway
  - name: api-gateway
    version: "3.4.1"
    repository: *internal
    condition: api-gateway.enabled
    tags: [edge, public]

  - name: billing
    version: ~2.1.0 # patch updates only until the Q3 migration
    repository: *internal

  - name: postgresql
    alias: db
    version: 12.5.6
    repository: oci://registry-1.docker.io/bitnamicharts
`;

const helm3Lock = `dependencies:
- name: api-gateway
  repository: https://charts.example.com/internal
  version: 3.4.1
- name: billing
  repository: https://charts.example.com/internal
  version: 2.1.7
- name: postgresql
  repository: oci://registry-1.docker.io/bitnamicharts
  version: 12.5.6
digest: sha256:4b0c4b6f0b4c1e6e8f6f3ab0c0d2b6d1e8a3a6f7c1d1d1b2f3e4a5b6c7d8e9f0
generated: "2024-05-02T10:14:08.123456+02:00"
`;

function dependency(chart: UmbrellaChart, service: string) {
  const found = chart.dependencies.find((candidate) => candidate.service === service);
  if (!found) throw new Error(`no dependency ${service} in ${chart.dependencies.map((d) => d.service).join(", ")}`);
  return found;
}

describe("readUmbrellaChart — Helm 3", () => {
  it("reads Chart.yaml dependencies and their Chart.lock versions", () => {
    const chart = readUmbrellaChart({ chartYaml: helm3Chart, chartLock: helm3Lock });

    expect(chart).toMatchObject({
      format: "helm3",
      name: "staging-stack",
      version: "0.42.0",
      dependencyFile: "Chart.yaml",
      lockFile: "Chart.lock",
      problems: [],
      imageTags: {},
    });
    expect(chart.dependencies).toEqual([
      {
        chart: "api-gateway",
        service: "api-gateway",
        repository: { kind: "http", url: "https://charts.example.com/internal" },
        repositoryRaw: "https://charts.example.com/internal",
        constraint: "3.4.1",
        condition: "api-gateway.enabled",
        tags: ["edge", "public"],
        lockedVersion: "3.4.1",
        lockIndex: 0,
      },
      {
        chart: "billing",
        service: "billing",
        repository: { kind: "http", url: "https://charts.example.com/internal" },
        repositoryRaw: "https://charts.example.com/internal",
        constraint: "~2.1.0",
        tags: [],
        lockedVersion: "2.1.7",
        lockIndex: 1,
      },
      {
        chart: "postgresql",
        alias: "db",
        service: "db",
        repository: { kind: "oci", url: "oci://registry-1.docker.io/bitnamicharts" },
        repositoryRaw: "oci://registry-1.docker.io/bitnamicharts",
        constraint: "12.5.6",
        tags: [],
        lockedVersion: "12.5.6",
        lockIndex: 2,
      },
    ]);
  });

  it("reads a chart without dependencies as an empty list", () => {
    const chart = readUmbrellaChart({ chartYaml: "apiVersion: v2\nname: empty\nversion: 0.1.0\n" });
    expect(chart.dependencies).toEqual([]);
    expect(chart.problems).toEqual([]);
    expect(chart.lockFile).toBeUndefined();
  });

  it("notes a requirements.yaml that Helm 3 ignores for apiVersion v2", () => {
    const chart = readUmbrellaChart({
      chartYaml: helm3Chart,
      requirementsYaml: "dependencies:\n  - name: legacy\n    version: 1.0.0\n",
    });
    expect(chart.dependencies.map((d) => d.service)).toEqual(["api-gateway", "billing", "db"]);
    expect(chart.problems).toEqual([{ message: expect.stringContaining("requirements.yaml is ignored") }]);
  });

  it("reads repository forms: @name, alias:name, oci://, file://, empty", () => {
    const chart = readUmbrellaChart({
      chartYaml: `apiVersion: v2
name: forms
version: 1.0.0
dependencies:
  - { name: a, version: 1.0.0, repository: "@stable" }
  - { name: b, version: 1.0.0, repository: "alias:internal" }
  - { name: c, version: 1.0.0, repository: "oci://ghcr.io/acme/charts" }
  - { name: d, version: 1.0.0, repository: "file://../shared/d" }
  - { name: e, version: 1.0.0, repository: "" }
  - { name: f, version: 1.0.0 }
  - { name: g, version: 1.0.0, repository: "HTTP://charts.local/" }
`,
    });
    expect(chart.problems).toEqual([]);
    expect(chart.dependencies.map((d) => d.repository)).toEqual([
      { kind: "alias", name: "stable" },
      { kind: "alias", name: "internal" },
      { kind: "oci", url: "oci://ghcr.io/acme/charts" },
      { kind: "file", path: "../shared/d" },
      { kind: "none" },
      { kind: "none" },
      { kind: "http", url: "HTTP://charts.local/" },
    ]);
    expect(dependency(chart, "f").repositoryRaw).toBe("");
  });
});

describe("readUmbrellaChart — Helm 2", () => {
  const chartYaml = `apiVersion: v1
name: legacy-stack
version: 2.3.0
appVersion: "1.0"
`;
  const requirementsYaml = `dependencies:
  - name: orders
    version: 4.2.0
    repository: "@internal"
  - name: redis
    version: ^6.0.0
    repository: https://charts.helm.sh/stable
    condition: redis.enabled,global.redis.enabled
`;
  const requirementsLock = `dependencies:
- name: orders
  repository: '@internal'
  version: 4.2.0
- name: redis
  repository: https://charts.helm.sh/stable
  version: 6.4.4
digest: sha256:9f0d0b8e3ad1b27a1f1f7e0b5b8f2b0b5e3f2d1c0b9a8f7e6d5c4b3a2f1e0d9c
generated: 2019-11-05T09:31:12.456789+01:00
`;

  it("reads requirements.yaml and requirements.lock for an apiVersion v1 chart", () => {
    const chart = readUmbrellaChart({ chartYaml, requirementsYaml, requirementsLock });
    expect(chart).toMatchObject({
      format: "helm2",
      name: "legacy-stack",
      version: "2.3.0",
      dependencyFile: "requirements.yaml",
      lockFile: "requirements.lock",
      problems: [],
    });
    expect(dependency(chart, "orders")).toMatchObject({
      repository: { kind: "alias", name: "internal" },
      lockedVersion: "4.2.0",
    });
    expect(dependency(chart, "redis")).toMatchObject({
      constraint: "^6.0.0",
      condition: "redis.enabled,global.redis.enabled",
      lockedVersion: "6.4.4",
    });
  });

  it("treats a Chart.yaml without apiVersion as v1", () => {
    const chart = readUmbrellaChart({ chartYaml: "name: old\nversion: 0.1.0\n", requirementsYaml });
    expect(chart.format).toBe("helm2");
    expect(chart.dependencies).toHaveLength(2);
  });

  it("returns no dependencies when a v1 chart has no requirements.yaml", () => {
    const chart = readUmbrellaChart({ chartYaml });
    expect(chart).toMatchObject({ format: "helm2", dependencyFile: "Chart.yaml", dependencies: [], problems: [] });
  });

  it("reads an empty requirements.yaml as no dependencies", () => {
    expect(readUmbrellaChart({ chartYaml, requirementsYaml: "# nothing yet\n" }).dependencies).toEqual([]);
  });
});

describe("readUmbrellaChart — aliases and locks", () => {
  it("gives each alias of one chart the lock entry whose version satisfies its constraint", () => {
    // Helm writes one lock entry per dependency, without the alias, so both entries say "redis".
    const chart = readUmbrellaChart({
      chartYaml: `apiVersion: v2
name: cache-stack
version: 1.0.0
dependencies:
  - name: redis
    alias: sessions
    version: ^18.0.0
    repository: https://charts.bitnami.com/bitnami
  - name: redis
    alias: queue
    version: ^17.0.0
    repository: https://charts.bitnami.com/bitnami
  - name: redis
    alias: cache
    version: ^18.0.0
    repository: https://charts.bitnami.com/bitnami
`,
      chartLock: `dependencies:
- name: redis
  repository: https://charts.bitnami.com/bitnami
  version: 18.6.1
- name: redis
  repository: https://charts.bitnami.com/bitnami
  version: 17.15.6
- name: redis
  repository: https://charts.bitnami.com/bitnami
  version: 18.6.1
digest: sha256:0000000000000000000000000000000000000000000000000000000000000000
generated: "2024-01-10T08:00:00Z"
`,
    });
    expect(chart.problems).toEqual([]);
    expect(chart.dependencies.map((d) => [d.service, d.chart, d.lockedVersion])).toEqual([
      ["sessions", "redis", "18.6.1"],
      ["queue", "redis", "17.15.6"],
      ["cache", "redis", "18.6.1"],
    ]);
  });

  it("lets two aliases share a single lock entry", () => {
    const chart = readUmbrellaChart({
      chartYaml: `apiVersion: v2
name: s
version: 1.0.0
dependencies:
  - { name: worker, alias: worker-eu, version: 2.0.0, repository: "@internal" }
  - { name: worker, alias: worker-us, version: 2.0.0, repository: "@internal" }
`,
      chartLock: `dependencies:
- { name: worker, repository: "@internal", version: 2.0.0 }
`,
    });
    expect(chart.dependencies.map((d) => d.lockedVersion)).toEqual(["2.0.0", "2.0.0"]);
  });

  it("matches lock entries by repository as well as name", () => {
    const chart = readUmbrellaChart({
      chartYaml: `apiVersion: v2
name: s
version: 1.0.0
dependencies:
  - { name: api, version: ^1.0.0, repository: "https://charts.example.com/stable/" }
  - { name: api, alias: api-next, version: ^1.0.0, repository: "https://charts.example.com/canary" }
`,
      chartLock: `dependencies:
- { name: api, repository: "https://charts.example.com/canary", version: 1.9.0 }
- { name: api, repository: "https://charts.example.com/stable", version: 1.4.2 }
`,
    });
    expect(dependency(chart, "api").lockedVersion).toBe("1.4.2");
    expect(dependency(chart, "api-next").lockedVersion).toBe("1.9.0");
  });

  it("flags a lock that no longer satisfies the constraint, and still reports what it locks", () => {
    const chart = readUmbrellaChart({
      chartYaml: "apiVersion: v2\nname: s\nversion: 1.0.0\ndependencies:\n  - { name: api, version: 2.0.0, repository: '@internal' }\n",
      chartLock: "dependencies:\n- { name: api, repository: '@internal', version: 1.9.0 }\n",
    });
    expect(dependency(chart, "api").lockedVersion).toBe("1.9.0");
    expect(chart.problems).toEqual([{ service: "api", message: expect.stringContaining("out of date") }]);
  });

  it("reports a malformed lock file as a chart problem and keeps the dependencies", () => {
    const chart = readUmbrellaChart({ chartYaml: helm3Chart, chartLock: "dependencies:\n- name: billing\n  version: [2.1.7\n" });
    expect(chart.dependencies.map((d) => d.service)).toEqual(["api-gateway", "billing", "db"]);
    expect(chart.dependencies.every((d) => d.lockedVersion === undefined)).toBe(true);
    expect(chart.lockFile).toBe("Chart.lock");
    expect(chart.problems).toHaveLength(1);
    expect(chart.problems[0]?.service).toBeUndefined();
    expect(chart.problems[0]?.message).toMatch(/^Chart\.lock is not valid YAML: .*line \d+/);
  });

  it("skips lock entries that are not usable and says so", () => {
    const chart = readUmbrellaChart({
      chartYaml: helm3Chart,
      chartLock: `dependencies:
- just a string
- name: billing
  repository: https://charts.example.com/internal
  version: 2.1.7
`,
    });
    expect(dependency(chart, "billing").lockedVersion).toBe("2.1.7");
    expect(chart.problems).toEqual([{ message: expect.stringContaining("Chart.lock dependencies[0]") }]);
  });
});

describe("readUmbrellaChart — versions as written", () => {
  // sigs.k8s.io/yaml formats a YAML float aimed at a Go string with FormatFloat(v, 'g', -1, 32).
  it("reads an unquoted 1.10 as Helm does: the float 1.1, so the constraint \"1.1\"", () => {
    const chart = readUmbrellaChart({
      chartYaml: `apiVersion: v2
name: floats
version: 1.10
dependencies:
  - name: search
    version: 1.10
    repository: "@internal"
  - name: mailer
    version: 2
    repository: "@internal"
`,
      chartLock: "dependencies:\n- name: search\n  repository: '@internal'\n  version: 1.10\n",
    });
    expect(chart.version).toBe("1.1");
    expect(dependency(chart, "search")).toMatchObject({ constraint: "1.1", lockedVersion: "1.1" });
    expect(dependency(chart, "mailer").constraint).toBe("2");
  });

  it("reads quoted versions with either quote style", () => {
    const chart = readUmbrellaChart({
      chartYaml: `apiVersion: v2
name: quotes
version: '0.1.0'
dependencies:
  - name: a
    version: "1.2.3"
    repository: "@internal"
  - name: b
    version: '>=1.0.0, <2.0.0'
    repository: "@internal"
`,
    });
    expect(chart.dependencies.map((d) => d.constraint)).toEqual(["1.2.3", ">=1.0.0, <2.0.0"]);
  });

  it("reads CRLF files", () => {
    const crlf = (text: string) => text.replace(/\n/g, "\r\n");
    const chart = readUmbrellaChart({
      chartYaml: crlf(helm3Chart),
      chartLock: crlf(helm3Lock),
      valuesYaml: crlf("billing:\n  image:\n    tag: 2.1.7-hotfix\n"),
    });
    expect(chart.problems).toEqual([]);
    expect(dependency(chart, "billing")).toMatchObject({ constraint: "~2.1.0", lockedVersion: "2.1.7" });
    expect(chart.imageTags).toEqual({ billing: "2.1.7-hotfix" });
  });
});

describe("readUmbrellaChart — malformed dependencies", () => {
  it("reports each bad entry against its service and reads the good ones", () => {
    const chart = readUmbrellaChart({
      chartYaml: `apiVersion: v2
name: mixed
version: 1.0.0
dependencies:
  - name: good-one
    version: 1.0.0
    repository: "@internal"
  - version: 1.0.0          # no name
    repository: "@internal"
  - name: listy
    version: [1, 2]
    repository: "@internal"
  - "not-a-mapping"
  - name: unversioned
    repository: "@internal"
  - name: ftp-thing
    version: 1.0.0
    repository: ftp://example.com/charts
  - name: tagged-wrong
    version: 1.0.0
    tags: edge
  - name: good-one          # duplicate service
    version: 2.0.0
  - name: good-two
    version: 2.0.0
    repository: "@internal"
`,
    });
    // No version: is not a bad entry: Helm reads it as "*" (see test/fixtures/charts/no-version).
    expect(chart.dependencies.map((d) => [d.service, d.constraint])).toEqual([
      ["good-one", "1.0.0"],
      ["unversioned", ""],
      ["good-two", "2.0.0"],
    ]);
    expect(chart.problems.map((p) => p.service)).toEqual([
      "dependencies[1]",
      "listy",
      "dependencies[3]",
      "ftp-thing",
      "tagged-wrong",
      "good-one",
    ]);
    expect(chart.problems[0]?.message).toContain("name is missing");
    expect(chart.problems[1]?.message).toContain("version must be a string, found a list");
    expect(chart.problems[2]?.message).toContain("is not a mapping");
    expect(chart.problems[3]?.message).toContain('repository "ftp://example.com/charts"');
    expect(chart.problems[4]?.message).toContain("tags must be a list of strings");
    expect(chart.problems[5]?.message).toContain("more than once");
  });

  it("throws when dependencies is not a list", () => {
    expect(() => readUmbrellaChart({ chartYaml: "apiVersion: v2\nname: x\nversion: 1.0.0\ndependencies:\n  a: b\n" })).toThrow(
      /Chart\.yaml: dependencies must be a list/,
    );
  });
});

describe("readUmbrellaChart — unreadable charts", () => {
  it("throws ChartReadError when Chart.yaml is missing", () => {
    expect(() => readUmbrellaChart({ chartLock: helm3Lock })).toThrow(ChartReadError);
    expect(() => readUmbrellaChart({})).toThrow(/Chart\.yaml is missing/);
  });

  it("throws ChartReadError naming the file and line for invalid YAML", () => {
    const broken = "apiVersion: v2\nname: broken\ndependencies:\n  - name: a\n   version: 1.0.0\n";
    expect(() => readUmbrellaChart({ chartYaml: broken })).toThrow(ChartReadError);
    expect(() => readUmbrellaChart({ chartYaml: broken })).toThrow(/^Chart\.yaml is not valid YAML: .*at line 5, column 1$/);
  });

  it("throws when Chart.yaml is not a mapping", () => {
    expect(() => readUmbrellaChart({ chartYaml: "- a\n- b\n" })).toThrow(/Chart\.yaml must be a YAML mapping, found a list/);
    expect(() => readUmbrellaChart({ chartYaml: "" })).toThrow(/Chart\.yaml must be a YAML mapping/);
  });

  it("throws for an unknown apiVersion", () => {
    expect(() => readUmbrellaChart({ chartYaml: "apiVersion: v3\nname: x\nversion: 1.0.0\n" })).toThrow(/apiVersion "v3"/);
  });

  it("throws for an invalid requirements.yaml, naming it", () => {
    expect(() =>
      readUmbrellaChart({ chartYaml: "apiVersion: v1\nname: x\nversion: 1.0.0\n", requirementsYaml: "dependencies: [\n" }),
    ).toThrow(/^requirements\.yaml is not valid YAML/);
  });

  it("rejects a billion-laughs alias bomb quickly", () => {
    const bomb = `apiVersion: v2
name: lol
version: 1.0.0
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
dependencies: *i
`;
    const started = performance.now();
    expect(() => readUmbrellaChart({ chartYaml: bomb })).toThrow(ChartReadError);
    expect(() => readUmbrellaChart({ chartYaml: bomb })).toThrow(/Chart\.yaml cannot be read: Excessive alias count/);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("accepts an ordinary anchor reused by many dependencies", () => {
    const dependencies = Array.from(
      { length: 80 },
      (_, index) => `  - name: service-${index}\n    version: 1.0.${index}\n    repository: *charts\n`,
    ).join("");
    const chart = readUmbrellaChart({
      chartYaml: `apiVersion: v2\nname: big\nversion: 1.0.0\nx-charts: &charts https://charts.example.com\ndependencies:\n${dependencies}`,
    });
    expect(chart.problems).toEqual([]);
    expect(chart.dependencies).toHaveLength(80);
  });

  it("rejects files over 2 MB", () => {
    const huge = `apiVersion: v2\nname: huge\nversion: 1.0.0\n# ${"x".repeat(2 * 1024 * 1024)}\n`;
    expect(() => readUmbrellaChart({ chartYaml: huge })).toThrow(/Chart\.yaml is 2\.0 MB; Slipway reads chart files up to 2 MB/);
  });
});

describe("readUmbrellaChart — values.yaml image tags", () => {
  const values = `# Image overrides for staging
global:
  imageRegistry: registry.example.com

x-defaults: &defaults
  pullPolicy: IfNotPresent
  tag: "9.9.9" # never used: the anchor only feeds merges below

api-gateway:
  image:
    <<: *defaults
    tag: "3.4.1-rc.2"
billing:
  image:
    tag: 1.10        # unquoted: Helm renders it as 1.1
db:
  image:
    tag: ""          # empty: the chart's appVersion applies
unrelated:
  image:
    tag: 5.0.0
`;

  it("reads <service>.image.tag for each dependency's service", () => {
    const chart = readUmbrellaChart({ chartYaml: helm3Chart, valuesYaml: values });
    expect(chart.problems).toEqual([]);
    expect(chart.imageTags).toEqual({ "api-gateway": "3.4.1-rc.2", billing: "1.1" });
  });

  it("skips services without values and an empty values file", () => {
    expect(readUmbrellaChart({ chartYaml: helm3Chart, valuesYaml: "# empty\n" }).imageTags).toEqual({});
    expect(readUmbrellaChart({ chartYaml: helm3Chart, valuesYaml: "db:\n  image: postgres:16\n" }).imageTags).toEqual({});
  });

  it("reports an invalid values.yaml as a chart problem", () => {
    const chart = readUmbrellaChart({ chartYaml: helm3Chart, valuesYaml: "billing:\n  image: {tag: 1\n" });
    expect(chart.dependencies).toHaveLength(3);
    expect(chart.imageTags).toEqual({});
    expect(chart.problems).toEqual([{ message: expect.stringMatching(/^values\.yaml is not valid YAML/) }]);
  });
});

describe("readUmbrellaChart — hostile side files", () => {
  const bomb = `a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
`;

  it("turns an alias bomb in values.yaml or the lock into a problem, not a failed environment", () => {
    const chart = readUmbrellaChart({ chartYaml: helm3Chart, chartLock: bomb, valuesYaml: bomb });
    expect(chart.dependencies).toHaveLength(3);
    expect(chart.problems.map((problem) => problem.message)).toEqual([
      expect.stringMatching(/^Chart\.lock cannot be read: Excessive alias count/),
      expect.stringMatching(/^values\.yaml cannot be read: Excessive alias count/),
    ]);
  });
});

describe("readUmbrellaChart — lock entries Helm would not have written", () => {
  const chartYaml = (version: string) =>
    `apiVersion: v2\nname: s\nversion: 1.0.0\ndependencies:\n  - name: api\n    version: "${version}"\n    repository: https://charts.example.com\n`;
  const lock = (version: string) => `dependencies:\n- name: api\n  repository: https://charts.example.com\n  version: "${version}"\n`;

  it("flags a lock version Helm cannot read, instead of taking it as satisfying", () => {
    const chart = readUmbrellaChart({ chartYaml: chartYaml("^1.0.0"), chartLock: lock("1.2.3.4") });
    expect(chart.problems.map((p) => p.message)).toEqual([
      'Chart.lock locks api at "1.2.3.4", which is not a version Helm reads: the lock file is broken (run helm dependency update)',
    ]);
  });

  it("flags a constraint Helm cannot read even when the lock resolves it", () => {
    const chart = readUmbrellaChart({ chartYaml: chartYaml(">=1.0.0 <<2"), chartLock: lock("1.2.3") });
    expect(chart.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/^api: version ">=1\.0\.0 <<2" is not a constraint Helm reads \(improper constraint/),
    ]);
  });

  it("accepts a locked prerelease only when the constraint names a prerelease, as Masterminds does", () => {
    expect(readUmbrellaChart({ chartYaml: chartYaml(">=1.0.0-0, <2.0.0"), chartLock: lock("1.5.0-beta.1") }).problems).toEqual([]);
    expect(readUmbrellaChart({ chartYaml: chartYaml("^1.0.0"), chartLock: lock("1.5.0-beta.1") }).problems).toEqual([
      expect.objectContaining({ message: expect.stringContaining('which does not satisfy "^1.0.0"') }),
    ]);
  });
});
