import { createHash } from "node:crypto";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { readUmbrellaChart } from "../read-umbrella-chart";
import type { StackFiles } from "../types";
import { ChartEditError } from "./chart-edit-error";
import { planChartEdits, type ChartFileName, type ChartVersionChange } from "./plan-chart-edits";

const NOW = new Date("2026-03-01T09:30:00.120Z");
const GENERATED = "2026-03-01T09:30:00.12Z";

const FILE_KEYS = {
  "Chart.yaml": "chartYaml",
  "Chart.lock": "chartLock",
  "requirements.yaml": "requirementsYaml",
  "requirements.lock": "requirementsLock",
} as const satisfies Record<ChartFileName, keyof StackFiles>;

// ---------------------------------------------------------------------------------------------------------------
// An oracle for Helm's lock digest, written from the Go sources independently of helm-lock-digest.ts: the requested
// dependencies in chart.Dependency field order, "@name" repositories replaced by the URL at the same lock position,
// then sha256 over JSON.stringify (equal to Go's json.Marshal for the plain strings used here).
// ---------------------------------------------------------------------------------------------------------------

type Plain = Record<string, unknown>;
const GO_FIELDS = ["name", "version", "repository", "condition", "tags", "enabled", "import-values", "alias"];

function goOrdered(entry: Plain): Plain {
  const out: Plain = {};
  for (const field of GO_FIELDS) {
    const value = entry[field];
    const empty = value === undefined || value === null || value === "" || value === false;
    if (field === "name" || field === "repository") out[field] = value === undefined || value === null ? "" : String(value);
    else if (!empty && !(Array.isArray(value) && value.length === 0)) out[field] = value;
  }
  return out;
}

function dependencyList(text: string): Plain[] {
  return ((parse(text, { merge: true }) as Plain).dependencies as Plain[] | undefined) ?? [];
}

function oracleDigest(dependencyText: string, lockTextWithoutDigest: string, scheme: "helm3" | "helm2" = "helm3"): string {
  const requested = dependencyList(dependencyText).map(goOrdered);
  const locked = dependencyList(lockTextWithoutDigest).map(goOrdered);
  const sha = (json: string) => `sha256:${createHash("sha256").update(json).digest("hex")}`;
  if (scheme === "helm2") return sha(JSON.stringify({ dependencies: requested }));
  const resolved = requested.map((entry, i) => {
    const repository = String(entry.repository);
    const lockEntry = locked[i];
    const isName = repository.startsWith("@") || repository.startsWith("alias:");
    return isName && lockEntry && lockEntry.name === entry.name ? { ...entry, repository: lockEntry.repository } : entry;
  });
  return sha(JSON.stringify([resolved, locked]));
}

/** A lock file as `helm dependency update` writes it, with a digest Helm would accept for `dependencyText`. */
function helmLock(
  dependencyText: string,
  entries: readonly [name: string, repository: string, version: string][],
  options: { eol?: string; scheme?: "helm3" | "helm2"; generated?: string } = {},
): string {
  const eol = options.eol ?? "\n";
  const body = ["dependencies:", ...entries.flatMap(([n, r, v]) => [`- name: ${n}`, `  repository: ${r}`, `  version: ${v}`])];
  const withoutDigest = body.join("\n") + "\n";
  const digest = oracleDigest(dependencyText.replaceAll("\r\n", "\n"), withoutDigest, options.scheme);
  const generated = options.generated ?? '"2025-11-20T08:00:00.123456789+01:00"';
  return [...body, `digest: ${digest}`, `generated: ${generated}`, ""].join(eol);
}

function replaceOccurrence(text: string, search: string, replacement: string, occurrence = 1): string {
  let at = -1;
  for (let n = 0; n < occurrence; n++) {
    at = text.indexOf(search, at + 1);
    if (at < 0) throw new Error(`test setup: occurrence ${occurrence} of ${JSON.stringify(search)} not found`);
  }
  return text.slice(0, at) + replacement + text.slice(at + search.length);
}

// ---------------------------------------------------------------------------------------------------------------
// The corpus: realistic umbrella charts, each with the one substring per file that may change.
// ---------------------------------------------------------------------------------------------------------------

type Replacement = [search: string, replacement: string, occurrence?: number];

interface EditCase {
  name: string;
  files: StackFiles;
  changes: ChartVersionChange[];
  /** Per file that must change: the version substrings replaced. Lock files also get their digest and timestamp. */
  edits: Partial<Record<ChartFileName, Replacement[]>>;
  /** What readUmbrellaChart must report afterwards. */
  reads: Record<string, { constraint: string; locked?: string }>;
  notes?: RegExp[];
  lockScheme?: "helm3" | "helm2";
}

const stagingChart = `# Umbrella chart for the staging stack.
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
    version: 2.1.7 # pinned until the Q3 migration
    repository: *internal

  # Orders: owned by team checkout
  - name: orders
    version: '4.0.2'
    repository: *internal
`;

const aliasesChart = `apiVersion: v2
name: payments
version: 1.0.0
dependencies:
  - name: postgresql
    alias: orders-db
    version: 12.5.6
    repository: oci://registry-1.docker.io/bitnamicharts
  - name: postgresql
    alias: ledger-db
    version: 12.5.6
    repository: oci://registry-1.docker.io/bitnamicharts
  - name: orders
    version: 4.2.0
    repository: https://charts.example.com
`;

const singleQuotedChart = `apiVersion: v2
name: shop
version: 2.0.0
dependencies:
- name: cart
  version: '1.2.3'
  repository: 'https://charts.example.com/shop'
- name: catalog
  version: '0.9.0'
  repository: 'https://charts.example.com/shop'
`;

const flowMapsChart = `apiVersion: v2
name: edge
version: 0.1.0
dependencies:
  - {name: gateway, version: 1.0.0, repository: "@internal"}
  - {name: auth, version: 2.3.1, repository: "@internal", condition: auth.enabled}
  - { name: audit , version: "0.4.0" , repository: "@internal" }
`;

const flowListChart = `apiVersion: v2
name: tools
version: 3.1.0
dependencies: [{name: grafana, version: 7.0.1, repository: "https://grafana.github.io/helm-charts"}, {name: loki, version: 5.41.4, repository: "https://grafana.github.io/helm-charts"}]
`;

const crlfChart = [
  "# Windows-edited stack",
  "apiVersion: v2",
  "name: crlf-stack",
  "version: 1.0.0",
  "dependencies:",
  "  # the gateway",
  "  - name: gateway",
  "    version: 1.0.0 # keep",
  "    repository: https://charts.example.com",
  "",
  "  - name: search",
  "    version: 3.2.1",
  "    repository: https://charts.example.com",
  "",
].join("\r\n");

const helm2Chart = `apiVersion: v1
name: legacy-stack
version: 0.9.0
description: Still on Helm 2
`;

const helm2Requirements = `# Helm 2 keeps dependencies out of Chart.yaml.
dependencies:
  - name: influxdb
    version: 0.9.1
    repository: https://kubernetes-charts.storage.googleapis.com
    condition: influxdb.enabled
    tags:
      - influxdb
  - name: grafana
    version: 1.10.0
    repository: https://kubernetes-charts.storage.googleapis.com
    condition: grafana.enabled
    tags:
      - grafana
`;

const rangeChart = `apiVersion: v2
name: ranged
version: 1.0.0
dependencies:
  - name: billing
    version: ~2.1.0 # patch updates only
    repository: https://charts.example.com
  - name: ledger
    version: "^1.4.0"
    repository: https://charts.example.com
`;

const trailingSpacesChart =
  "apiVersion: v2   \n" +
  "name: spaces\n" +
  "version: 1.0.0\n" +
  "dependencies:   \n" +
  "  - name: mailer   \n" +
  "    version: 1.0.0   \n" +
  "    repository: https://charts.example.com  \n" +
  "    \n" +
  "  - name: notifier\n" +
  "    version: 0.3.0 \t# trailing space and a tab before this comment\n" +
  "    repository: https://charts.example.com\n";

const noTrailingNewlineChart = `apiVersion: v2
name: compact
version: 1.0.0
dependencies:
  - name: worker
    repository: https://charts.example.com
    version: 1.1.1`;

const longDescription =
  "The customer-facing storefront stack, " +
  "web, api, search, checkout, payments, notifications and the batch jobs that keep them fed; ".repeat(3) +
  "deployed to production on merge.";

const longDescriptionChart = `apiVersion: v2
name: storefront
description: ${longDescription}
version: 5.0.0
annotations:
  notes: >-
    A folded note that spans more than one line in the source file and
    that a Document round trip would re-fold to its own line width.
dependencies:
  - name: web
    version: 10.2.0
    repository: https://charts.example.com
`;

const tabsInCommentsChart = `apiVersion: v2
name: tabbed
version: 1.0.0
#\tOwner:\tplatform team
#\tReviewed:\t2026-01-10
dependencies:
  - name: ingress\t#\tedge proxy
    version: 4.8.3\t\t# pinned\tby SRE
    repository: https://kubernetes.github.io/ingress-nginx
`;

const mergeKeysChart = `apiVersion: v2
name: merged
version: 1.0.0
x-defaults: &defaults
  repository: https://charts.example.com
  condition: enabled
dependencies:
  - <<: *defaults
    name: orders
    version: 1.0.0
  - <<: *defaults
    name: billing
    version: 2.0.0
`;

const indentedFourChart = `apiVersion: v2
name: four
version: 1.0.0
dependencies:
    -   name: api
        version: 2.2.2
        repository: https://charts.example.com

    -   name: worker
        version: 2.2.2
        repository: https://charts.example.com
`;

const documentMarkersChart =
  "\uFEFF# A byte-order mark, a comment before the document start, and an explicit document end\n" +
  "---\napiVersion: v2\nname: marked\nversion: 1.0.0\ndependencies:\n" +
  "  - name: api\n    version: 1.0.0\n    repository: https://charts.example.com\n...\n";

const corpus: EditCase[] = [
  {
    name: "comments above and beside, anchors on repositories, a double-quoted pin, two services at once",
    files: {
      chartYaml: stagingChart,
      chartLock: helmLock(stagingChart, [
        ["api-gateway", "https://charts.example.com/internal", "3.4.1"],
        ["billing", "https://charts.example.com/internal", "2.1.7"],
        ["orders", "https://charts.example.com/internal", "4.0.2"],
      ]),
    },
    changes: [
      { service: "api-gateway", to: "3.5.0" },
      { service: "orders", to: "4.1.0" },
    ],
    edits: {
      "Chart.yaml": [
        ['version: "3.4.1"', 'version: "3.5.0"'],
        ["version: '4.0.2'", "version: '4.1.0'"],
      ],
      "Chart.lock": [
        ["version: 3.4.1", "version: 3.5.0"],
        ["version: 4.0.2", "version: 4.1.0"],
      ],
    },
    reads: {
      "api-gateway": { constraint: "3.5.0", locked: "3.5.0" },
      billing: { constraint: "2.1.7", locked: "2.1.7" },
      orders: { constraint: "4.1.0", locked: "4.1.0" },
    },
  },
  {
    name: "the same chart twice under two aliases: only the second one moves",
    files: {
      chartYaml: aliasesChart,
      chartLock: helmLock(aliasesChart, [
        ["postgresql", "oci://registry-1.docker.io/bitnamicharts", "12.5.6"],
        ["postgresql", "oci://registry-1.docker.io/bitnamicharts", "12.5.6"],
        ["orders", "https://charts.example.com", "4.2.0"],
      ]),
    },
    changes: [{ service: "ledger-db", to: "13.0.1" }],
    edits: {
      "Chart.yaml": [["alias: ledger-db\n    version: 12.5.6", "alias: ledger-db\n    version: 13.0.1"]],
      "Chart.lock": [["version: 12.5.6", "version: 13.0.1", 2]],
    },
    reads: {
      "orders-db": { constraint: "12.5.6", locked: "12.5.6" },
      "ledger-db": { constraint: "13.0.1", locked: "13.0.1" },
    },
  },
  {
    name: "single quotes, a sequence at the key's indentation, no lock",
    files: { chartYaml: singleQuotedChart },
    changes: [{ service: "cart", to: "1.3.0" }],
    edits: { "Chart.yaml": [["version: '1.2.3'", "version: '1.3.0'"]] },
    reads: { cart: { constraint: "1.3.0" }, catalog: { constraint: "0.9.0" } },
  },
  {
    name: "flow-style dependency maps with @name repositories and a lock holding the resolved URL",
    files: {
      chartYaml: flowMapsChart,
      chartLock: helmLock(flowMapsChart, [
        ["gateway", "https://charts.internal.example.com", "1.0.0"],
        ["auth", "https://charts.internal.example.com", "2.3.1"],
        ["audit", "https://charts.internal.example.com", "0.4.0"],
      ]),
    },
    changes: [
      { service: "auth", to: "2.4.0" },
      { service: "audit", to: "0.5.0-rc.1" },
    ],
    edits: {
      "Chart.yaml": [
        ["version: 2.3.1,", "version: 2.4.0,"],
        ['version: "0.4.0" ,', 'version: "0.5.0-rc.1" ,'],
      ],
      "Chart.lock": [
        ["version: 2.3.1", "version: 2.4.0"],
        ["version: 0.4.0", "version: 0.5.0-rc.1"],
      ],
    },
    // readUmbrellaChart matches lock entries by the repository as written, so it cannot pair "@internal" with the
    // URL Helm records; the lock edit itself is asserted through the file text above.
    reads: { auth: { constraint: "2.4.0" }, audit: { constraint: "0.5.0-rc.1" }, gateway: { constraint: "1.0.0" } },
  },
  {
    name: "a flow list of flow maps on one line",
    files: { chartYaml: flowListChart },
    changes: [{ service: "loki", to: "5.42.0" }],
    edits: { "Chart.yaml": [["version: 5.41.4", "version: 5.42.0"]] },
    reads: { loki: { constraint: "5.42.0" }, grafana: { constraint: "7.0.1" } },
  },
  {
    name: "CRLF line endings in Chart.yaml and Chart.lock",
    files: {
      chartYaml: crlfChart,
      chartLock: helmLock(
        crlfChart,
        [
          ["gateway", "https://charts.example.com", "1.0.0"],
          ["search", "https://charts.example.com", "3.2.1"],
        ],
        { eol: "\r\n" },
      ),
    },
    changes: [{ service: "search", to: "3.3.0" }],
    edits: {
      "Chart.yaml": [["version: 3.2.1\r\n", "version: 3.3.0\r\n"]],
      "Chart.lock": [["version: 3.2.1\r\n", "version: 3.3.0\r\n"]],
    },
    reads: { search: { constraint: "3.3.0", locked: "3.3.0" }, gateway: { constraint: "1.0.0", locked: "1.0.0" } },
  },
  {
    name: "Helm 2: requirements.yaml and a requirements.lock with Helm 2's digest",
    files: {
      chartYaml: helm2Chart,
      requirementsYaml: helm2Requirements,
      requirementsLock: helmLock(
        helm2Requirements,
        [
          ["influxdb", "https://kubernetes-charts.storage.googleapis.com", "0.9.1"],
          ["grafana", "https://kubernetes-charts.storage.googleapis.com", "1.10.0"],
        ],
        { scheme: "helm2", generated: "2018-06-08T11:17:03.541534867+02:00" },
      ),
    },
    changes: [{ service: "grafana", to: "1.11.0" }],
    edits: {
      "requirements.yaml": [["version: 1.10.0", "version: 1.11.0"]],
      "requirements.lock": [["version: 1.10.0", "version: 1.11.0"]],
    },
    lockScheme: "helm2",
    reads: { grafana: { constraint: "1.11.0", locked: "1.11.0" }, influxdb: { constraint: "0.9.1", locked: "0.9.1" } },
  },
  {
    name: "a range with a lock that still allows the target: only the lock changes",
    files: {
      chartYaml: rangeChart,
      chartLock: helmLock(rangeChart, [
        ["billing", "https://charts.example.com", "2.1.7"],
        ["ledger", "https://charts.example.com", "1.4.2"],
      ]),
    },
    changes: [{ service: "billing", to: "2.1.9" }],
    edits: { "Chart.lock": [["version: 2.1.7", "version: 2.1.9"]] },
    reads: { billing: { constraint: "~2.1.0", locked: "2.1.9" } },
    notes: [/billing: "~2\.1\.0" still allows 2\.1\.9, so the range stays and only the lock changes/],
  },
  {
    name: "a range with a lock that does not allow the target: the constraint becomes the exact version",
    files: {
      chartYaml: rangeChart,
      chartLock: helmLock(rangeChart, [
        ["billing", "https://charts.example.com", "2.1.7"],
        ["ledger", "https://charts.example.com", "1.4.2"],
      ]),
    },
    changes: [{ service: "ledger", to: "2.0.0" }],
    edits: {
      "Chart.yaml": [['version: "^1.4.0"', 'version: "2.0.0"']],
      "Chart.lock": [["version: 1.4.2", "version: 2.0.0"]],
    },
    reads: { ledger: { constraint: "2.0.0", locked: "2.0.0" }, billing: { constraint: "~2.1.0", locked: "2.1.7" } },
    notes: [/ledger: "\^1\.4\.0" does not allow 2\.0\.0; the constraint becomes 2\.0\.0/],
  },
  {
    name: "a range with no lock is pinned, and says so",
    files: { chartYaml: rangeChart },
    changes: [{ service: "billing", to: "2.1.9" }],
    edits: { "Chart.yaml": [["version: ~2.1.0 #", "version: 2.1.9 #"]] },
    reads: { billing: { constraint: "2.1.9" } },
    notes: [/billing: "~2\.1\.0" is a range with nothing locking it; it becomes 2\.1\.9/],
  },
  {
    name: "trailing spaces after keys and values, whitespace-only lines, a tab before a comment",
    files: { chartYaml: trailingSpacesChart },
    changes: [
      { service: "mailer", to: "1.0.1" },
      { service: "notifier", to: "0.4.0" },
    ],
    edits: {
      "Chart.yaml": [
        ["version: 1.0.0   \n", "version: 1.0.1   \n"],
        ["version: 0.3.0 \t#", "version: 0.4.0 \t#"],
      ],
    },
    reads: { mailer: { constraint: "1.0.1" }, notifier: { constraint: "0.4.0" } },
  },
  {
    name: "no newline at the end of the file, the version on the last line",
    files: { chartYaml: noTrailingNewlineChart },
    changes: [{ service: "worker", to: "1.2.0" }],
    edits: { "Chart.yaml": [["version: 1.1.1", "version: 1.2.0"]] },
    reads: { worker: { constraint: "1.2.0" } },
  },
  {
    name: "a 300-character description line and a folded block scalar are not re-folded",
    files: { chartYaml: longDescriptionChart },
    changes: [{ service: "web", to: "10.3.0" }],
    edits: { "Chart.yaml": [["version: 10.2.0", "version: 10.3.0"]] },
    reads: { web: { constraint: "10.3.0" } },
  },
  {
    name: "tabs inside comments and between a value and its comment",
    files: { chartYaml: tabsInCommentsChart },
    changes: [{ service: "ingress", to: "4.9.0" }],
    edits: { "Chart.yaml": [["version: 4.8.3\t\t#", "version: 4.9.0\t\t#"]] },
    reads: { ingress: { constraint: "4.9.0" } },
  },
  {
    name: "merge keys supply the repository; each entry has its own version",
    files: {
      chartYaml: mergeKeysChart,
      chartLock: helmLock(mergeKeysChart, [
        ["orders", "https://charts.example.com", "1.0.0"],
        ["billing", "https://charts.example.com", "2.0.0"],
      ]),
    },
    changes: [{ service: "billing", to: "2.0.1" }],
    edits: {
      "Chart.yaml": [["version: 2.0.0", "version: 2.0.1"]],
      "Chart.lock": [["version: 2.0.0", "version: 2.0.1"]],
    },
    reads: { billing: { constraint: "2.0.1", locked: "2.0.1" }, orders: { constraint: "1.0.0", locked: "1.0.0" } },
  },
  {
    name: "four-space indentation with blank lines between entries, two entries at the same version",
    files: { chartYaml: indentedFourChart },
    changes: [{ service: "worker", to: "2.3.0" }],
    edits: { "Chart.yaml": [["version: 2.2.2", "version: 2.3.0", 2]] },
    reads: { worker: { constraint: "2.3.0" }, api: { constraint: "2.2.2" } },
  },
  {
    name: "a byte-order mark and explicit document markers",
    files: { chartYaml: documentMarkersChart },
    changes: [{ service: "api", to: "1.0.1" }],
    edits: { "Chart.yaml": [["version: 1.0.0\n    repository", "version: 1.0.1\n    repository"]] },
    reads: { api: { constraint: "1.0.1" } },
  },
];

describe("planChartEdits — the corpus", () => {
  it("holds at least a dozen chart shapes, one of them with a description line of 300+ characters", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(12);
    expect(longDescription.length).toBeGreaterThanOrEqual(300);
  });

  it.each(corpus)("$name", (testCase) => {
    const plan = planChartEdits(testCase.files, testCase.changes, { now: NOW });

    expect(plan.files.map((file) => file.name).sort()).toEqual(Object.keys(testCase.edits).sort());
    const dependencyFile: ChartFileName = testCase.files.requirementsYaml !== undefined ? "requirements.yaml" : "Chart.yaml";
    const expectedDependencyText = applyReplacements(
      testCase.files[FILE_KEYS[dependencyFile]]!,
      testCase.edits[dependencyFile] ?? [],
    );

    for (const file of plan.files) {
      const before = testCase.files[FILE_KEYS[file.name]]!;
      expect(file.before).toBe(before);
      let expected = applyReplacements(before, testCase.edits[file.name] ?? []);
      if (file.name.endsWith(".lock")) expected = withExpectedDigest(expected, expectedDependencyText, testCase.lockScheme);
      expect(file.after).toBe(expected);
    }

    const edited: StackFiles = { ...testCase.files };
    for (const file of plan.files) edited[FILE_KEYS[file.name]] = file.after;
    const chart = readUmbrellaChart(edited);
    for (const [service, read] of Object.entries(testCase.reads)) {
      const dependency = chart.dependencies.find((candidate) => candidate.service === service);
      expect(dependency?.constraint, service).toBe(read.constraint);
      if (read.locked !== undefined) expect(dependency?.lockedVersion, service).toBe(read.locked);
    }
    expect(chart.problems).toEqual(readUmbrellaChart(testCase.files).problems);

    // Every lock in the corpus carries the digest Helm would have written, so no "did not match" warning.
    expect(plan.notes.filter((note) => note.includes("did not match"))).toEqual([]);
    for (const pattern of testCase.notes ?? []) expect(plan.notes.some((note) => pattern.test(note)), String(pattern)).toBe(true);
  });
});

function applyReplacements(text: string, replacements: readonly Replacement[]): string {
  return replacements.reduce((acc, [search, replacement, occurrence]) => replaceOccurrence(acc, search, replacement, occurrence), text);
}

/** The lock after the version edits: Helm's digest over the expected files, and `generated:` at NOW. */
function withExpectedDigest(lockText: string, dependencyText: string, scheme: "helm3" | "helm2" = "helm3"): string {
  const eol = lockText.includes("\r\n") ? "\r\n" : "\n";
  const lf = lockText.replaceAll("\r\n", "\n");
  const withoutTail = lf.replace(/^digest: .*\n/m, "").replace(/^generated: .*\n/m, "");
  const digest = oracleDigest(dependencyText.replaceAll("\r\n", "\n"), withoutTail, scheme);
  return lf
    .replace(/^digest: .*$/m, `digest: ${digest}`)
    .replace(/^generated: (")?.*?(")?$/m, (_line, open = "", close = "") => `generated: ${open}${GENERATED}${close}`)
    .replaceAll("\n", eol);
}

describe("planChartEdits — lock digests Helm wrote", () => {
  it("reproduces the digest of a real chart before the edit and writes Helm's digest after it", () => {
    // CERIT-SC/binderhub at a0df8b1: Chart.yaml and the Chart.lock helm wrote for it.
    const chartYaml = `apiVersion: v2
dependencies:
- name: jupyterhub
  repository: https://jupyterhub.github.io/helm-chart
  version: 2.0.0
description: BinderHub is like a JupyterHub that automatically builds environments for the users based on repo2docker. A BinderHub is by default not configured to authenticate users or provide storage for them.
home: https://binderhub.readthedocs.io/en/latest/
kubeVersion: '>=1.21.0-0'
name: binderhub
version: 1.0.0-0.dev.git.3025.h276be90
`;
    const chartLock = `dependencies:
- name: jupyterhub
  repository: https://jupyterhub.github.io/helm-chart
  version: 2.0.0
digest: sha256:dfbe0e7ed802a52322021954fd29c949b4ea916637ba4fae96137932d0db0e48
generated: "2023-03-01T12:26:36.816440214Z"
`;
    const plan = planChartEdits({ chartYaml, chartLock }, [{ service: "jupyterhub", to: "2.0.1" }], { now: NOW });
    expect(plan.notes).toEqual([]);
    const lock = plan.files.find((file) => file.name === "Chart.lock")!;
    const repository = "https://jupyterhub.github.io/helm-chart";
    const entry = { name: "jupyterhub", version: "2.0.1", repository };
    const digest = `sha256:${createHash("sha256").update(JSON.stringify([[entry], [entry]])).digest("hex")}`;
    expect(lock.after).toBe(
      chartLock
        .replace("version: 2.0.0", "version: 2.0.1")
        .replace(/sha256:[0-9a-f]{64}/, digest)
        .replace("2023-03-01T12:26:36.816440214Z", GENERATED),
    );
  });

  it("says so when the lock's digest was not Helm's, and still writes Helm 3's digest", () => {
    const chartLock = `dependencies:
- name: api-gateway
  repository: https://charts.example.com/internal
  version: 3.4.1
- name: billing
  repository: https://charts.example.com/internal
  version: 2.1.7
- name: orders
  repository: https://charts.example.com/internal
  version: 4.0.2
digest: sha256:0000000000000000000000000000000000000000000000000000000000000000
generated: "2024-05-02T10:14:08.123456+02:00"
`;
    const plan = planChartEdits({ chartYaml: stagingChart, chartLock }, [{ service: "billing", to: "2.2.0" }], { now: NOW });
    expect(plan.notes).toEqual([expect.stringMatching(/^Chart\.lock: its digest did not match Helm's hash/)]);
    const after = plan.files.find((file) => file.name === "Chart.lock")!.after;
    const expectedChart = stagingChart.replace("version: 2.1.7", "version: 2.2.0");
    expect(after).toBe(withExpectedDigest(chartLock.replace("version: 2.1.7", "version: 2.2.0"), expectedChart));
  });

  it("leaves a lock without digest: or generated: alone apart from the versions", () => {
    const chartLock = "dependencies:\n- name: worker\n  repository: https://charts.example.com\n  version: 1.1.1\n";
    const plan = planChartEdits({ chartYaml: noTrailingNewlineChart, chartLock }, [{ service: "worker", to: "1.2.0" }]);
    expect(plan.files.find((file) => file.name === "Chart.lock")?.after).toBe(chartLock.replace("1.1.1", "1.2.0"));
    expect(plan.notes).toEqual(["Chart.lock has no digest: to update"]);
  });
});

describe("planChartEdits — what it refuses", () => {
  const sharedAnchorChart = `apiVersion: v2
name: shared
version: 1.0.0
dependencies:
  - name: orders
    version: &platform 1.0.0
    repository: https://charts.example.com
  - name: billing
    version: *platform
    repository: https://charts.example.com
  - name: solo
    version: 3.0.0
    repository: https://charts.example.com
`;

  it("refuses a lone-CR file with the reason, rather than rewriting its line endings or calling it invalid", () => {
    const loneCr = sharedAnchorChart.replace(/\n/g, "\r");
    expect(() => planChartEdits({ chartYaml: loneCr }, [{ service: "solo", to: "3.1.0" }])).toThrow(
      /Chart\.yaml uses lone-CR \(classic Mac\) line endings: Slipway reads it but edits only files with LF or CRLF/,
    );
  });

  it("refuses a version anchor that another dependency aliases, from either side", () => {
    expect(() => planChartEdits({ chartYaml: sharedAnchorChart }, [{ service: "orders", to: "1.1.0" }])).toThrow(
      /version of "orders" \(line 6\) is under the anchor &platform, which line 9 also uses through \*platform/,
    );
    expect(() => planChartEdits({ chartYaml: sharedAnchorChart }, [{ service: "billing", to: "1.1.0" }])).toThrow(
      /version of "billing" \(line 9\) is the alias \*platform/,
    );
    // Dependencies that share nothing can still be changed in the same file.
    const plan = planChartEdits({ chartYaml: sharedAnchorChart }, [{ service: "solo", to: "3.1.0" }]);
    expect(plan.files[0]!.after).toBe(sharedAnchorChart.replace("version: 3.0.0", "version: 3.1.0"));
  });

  it("refuses a version that comes from a merge key, and an entry that another entry merges", () => {
    const fromMerge = `apiVersion: v2
name: m
version: 1.0.0
x-pin: &pin {version: 1.0.0, repository: https://charts.example.com}
dependencies:
  - <<: *pin
    name: orders
`;
    expect(() => planChartEdits({ chartYaml: fromMerge }, [{ service: "orders", to: "1.1.0" }])).toThrow(
      /version of "orders" comes from a << merge key/,
    );

    const mergedEntry = `apiVersion: v2
name: m
version: 1.0.0
dependencies:
  - &orders {name: orders, version: 1.0.0, repository: https://charts.example.com}
  - <<: *orders
    alias: orders-eu
`;
    expect(() => planChartEdits({ chartYaml: mergedEntry }, [{ service: "orders", to: "1.1.0" }])).toThrow(ChartEditError);
    expect(() => planChartEdits({ chartYaml: mergedEntry }, [{ service: "orders-eu", to: "1.1.0" }])).toThrow(
      /comes from a << merge key/,
    );
  });

  it("names the known services when the service is unknown", () => {
    const attempt = () => planChartEdits({ chartYaml: stagingChart }, [{ service: "payments", to: "1.0.0" }]);
    expect(attempt).toThrow(ChartEditError);
    expect(attempt).toThrow('Chart.yaml has no dependency "payments"; its services are: api-gateway, billing, orders');
  });

  // Helm reads "1.2" (1.2.0) and "01.2.3" (1.2.3) as versions, so they are targets like any other.
  it.each(["latest", "", " 1.2.3", "1.2.3 # x", "1.2.3\nfoo: bar", "1.2.3'", "1.2.3,", ">=1.2.3", "1.2.3-", "12.3.34.1234"])(
    "refuses the target %j, which is not a version Helm reads",
    (to) => {
      expect(() => planChartEdits({ chartYaml: stagingChart }, [{ service: "billing", to }])).toThrow(
        /billing: .* is not a version Helm reads/,
      );
    },
  );

  it("writes a target YAML would read as a number in quotes, so Helm reads the same version", () => {
    const plan = planChartEdits({ chartYaml: stagingChart }, [{ service: "billing", to: "1.10" }]);
    expect(plan.files[0]!.after).toContain('version: "1.10"');
    expect(readUmbrellaChart({ chartYaml: plan.files[0]!.after }).dependencies.find((d) => d.service === "billing")).toMatchObject({
      constraint: "1.10",
    });
  });

  it("accepts a v-prefixed or build-tagged version and writes it as given", () => {
    const plan = planChartEdits({ chartYaml: singleQuotedChart }, [{ service: "cart", to: "1.3.0+build.7" }]);
    expect(plan.files[0]!.after).toBe(singleQuotedChart.replace("'1.2.3'", "'1.3.0+build.7'"));
  });

  it("refuses files that do not parse, naming the file", () => {
    expect(() => planChartEdits({ chartYaml: "apiVersion: v2\nname: [broken\n" }, [{ service: "x", to: "1.0.0" }])).toThrow(
      ChartEditError,
    );
    const brokenLock = "dependencies:\n- name: billing\n  version: [2.1.7\n";
    expect(() =>
      planChartEdits({ chartYaml: rangeChart, chartLock: brokenLock }, [{ service: "billing", to: "2.1.9" }]),
    ).toThrow(/Chart\.lock is not valid YAML/);
  });

  it("refuses the same service twice and malformed digests", () => {
    expect(() =>
      planChartEdits({ chartYaml: stagingChart }, [
        { service: "billing", to: "2.2.0" },
        { service: "billing", to: "2.3.0" },
      ]),
    ).toThrow(/"billing" appears more than once/);
    expect(() => planChartEdits({ chartYaml: stagingChart }, [{ service: "billing", to: "2.2.0", digest: "md5:x" }])).toThrow(
      /digest must look like sha256/,
    );
  });
});

describe("planChartEdits — no-ops and notes", () => {
  it("changes nothing for a service already at the target", () => {
    const chartLock = helmLock(rangeChart, [
      ["billing", "https://charts.example.com", "2.1.7"],
      ["ledger", "https://charts.example.com", "1.4.2"],
    ]);
    const plan = planChartEdits({ chartYaml: rangeChart, chartLock }, [{ service: "billing", to: "2.1.7" }], { now: NOW });
    expect(plan).toEqual({ files: [], notes: ["billing: already at 2.1.7; nothing to change"] });
    expect(planChartEdits({ chartYaml: rangeChart }, [])).toEqual({ files: [], notes: [] });
  });

  it("writes a per-chart digest only where the lock has one", () => {
    const digest = `sha256:${"a".repeat(64)}`;
    const chartLock = `dependencies:
- name: worker
  repository: https://charts.example.com
  version: 1.1.1
  digest: sha256:${"0".repeat(64)}
`;
    const plan = planChartEdits({ chartYaml: noTrailingNewlineChart, chartLock }, [{ service: "worker", to: "1.2.0", digest }]);
    expect(plan.files.find((file) => file.name === "Chart.lock")?.after).toBe(
      chartLock.replace("1.1.1", "1.2.0").replace(`sha256:${"0".repeat(64)}`, digest),
    );
    const withoutDigest = planChartEdits({ chartYaml: singleQuotedChart }, [{ service: "cart", to: "1.3.0", digest }]);
    expect(withoutDigest.notes).toContain("cart: the lock has no per-chart digest to update; the digest given is not written");
  });

  it("edits the dependency file and says so when the lock has no entry for the service", () => {
    const chartLock = helmLock(rangeChart, [["ledger", "https://charts.example.com", "1.4.2"]]);
    const plan = planChartEdits({ chartYaml: rangeChart, chartLock }, [{ service: "billing", to: "2.1.9" }], { now: NOW });
    expect(plan.files.map((file) => file.name)).toEqual(["Chart.yaml", "Chart.lock"]);
    expect(plan.files[0]!.after).toBe(rangeChart.replace("version: ~2.1.0", "version: 2.1.9"));
    expect(plan.notes).toContain(
      "billing: Chart.lock has no entry for it, so only Chart.yaml changes; run `helm dependency update` to bring the lock up to date",
    );
  });
});
