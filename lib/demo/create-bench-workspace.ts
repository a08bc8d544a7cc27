import { access, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import semver from "semver";

import { FastImportStream, writeRepository, type GitPerson } from "./git-repo-writer";
import { fakeDigest, renderHelmIndex, type IndexEntry } from "./helm-repository-files";
import { SeededRandom } from "./seeded-random";
import { renderUmbrellaChart, type UmbrellaChart, type UmbrellaDependency } from "./umbrella-chart-files";

/**
 * A workspace the size of a large installation, for benchmarks: one registry index.yaml of about `indexBytes`
 * (the services' charts with long histories, plus unrelated charts as a public mirror would carry, with the
 * multi-line descriptions, annotations and maintainers real indexes have) and `environments` stacks that each
 * pin every service. Some environments have a repository of their own, the rest share repositories with a
 * branch each. No service source repositories: benchmarks measure reading stacks and registries.
 */

export interface BenchWorkspaceOptions {
  environments: number;
  services: number;
  /** Approximate size of registry/index.yaml in bytes. */
  indexBytes: number;
  /** Rebuild even when a workspace with the same options exists. */
  force?: boolean;
  /** The moment "days ago" is counted from; defaults to the current time. */
  now?: Date;
}

export const BENCH_REGISTRY_NAME = "bench";
const MANIFEST = "bench-manifest.json";
const DAY_MS = 86_400_000;
/** Environments 1..SOLO_SHARE*n get a repository each; the rest share repositories of BRANCHES_PER_REPO branches. */
const SOLO_SHARE = 0.4;
const BRANCHES_PER_REPO = 10;
/** Environments in the group "scale: first-50". */
const FIRST = 50;

const DOMAINS = [
  "orders", "payments", "catalog", "checkout", "search", "inventory", "notifications", "accounts", "shipping", "pricing",
  "reviews", "gateway", "billing", "invoicing", "loyalty", "recommendations", "media", "cms", "analytics", "fraud",
  "returns", "warehouse", "subscriptions", "vouchers", "support", "identity", "reporting", "feeds", "translations", "tax",
];
const ROLES = ["api", "worker", "ui", "sync", "scheduler"];
const ADDONS = [
  "redis", "postgresql", "kafka", "rabbitmq", "elasticsearch", "mongodb", "mysql", "nginx", "keycloak", "grafana",
  "prometheus", "loki", "tempo", "minio", "memcached", "etcd", "zookeeper", "cassandra", "consul", "vault",
  "cert-manager", "external-dns", "ingress-nginx", "argo-cd", "harbor", "jenkins", "sonarqube", "nats", "clickhouse", "airflow",
];
const CATEGORIES = ["Database", "Infrastructure", "Analytics", "Networking", "Security", "Monitoring", "ApplicationServer"];

export function benchServiceNames(count: number): string[] {
  const names: string[] = [];
  for (let i = 0; names.length < count; i++) {
    const domain = DOMAINS[i % DOMAINS.length]!;
    const role = ROLES[Math.floor(i / DOMAINS.length) % ROLES.length]!;
    const round = Math.floor(i / (DOMAINS.length * ROLES.length));
    names.push(round === 0 ? `${domain}-${role}` : `${domain}-${role}-${round + 1}`);
  }
  return names;
}

interface BenchRelease {
  version: string;
  daysAgo: number;
  deprecated: boolean;
}

/** A plausible release history: mostly patches, some minors, rare majors, the odd release candidate. */
function releaseHistory(rng: SeededRandom, count: number, spanDays: number): BenchRelease[] {
  let major = rng.int(0, 4);
  let minor = rng.int(0, 9);
  let patch = 0;
  const releases: BenchRelease[] = [];
  const gap = spanDays / count;
  let daysAgo = spanDays + 1;
  while (releases.length < count) {
    const r = rng.next();
    if (r < 0.04) {
      major++;
      minor = 0;
      patch = 0;
    } else if (r < 0.3) {
      minor++;
      patch = 0;
    } else {
      patch++;
    }
    const version = `${major}.${minor}.${patch}`;
    if (patch === 0 && rng.chance(0.25)) {
      daysAgo -= gap * rng.next();
      releases.push({ version: `${version}-rc.1`, daysAgo, deprecated: false });
    }
    daysAgo -= gap * (0.3 + rng.next());
    releases.push({ version, daysAgo: Math.max(daysAgo, 0.5), deprecated: rng.chance(0.01) });
  }
  return releases;
}

function description(rng: SeededRandom, chart: string): string {
  const line = `${chart} packaged for Kubernetes: deployment, service, ingress, autoscaling and monitoring.`;
  if (!rng.chance(0.35)) return line;
  return `${line}\n\nThis chart bootstraps ${chart} on a Kubernetes cluster using the Helm package manager.\nSee the README for the full list of parameters and upgrade notes.`;
}

function entry(rng: SeededRandom, chart: string, release: BenchRelease, now: Date, category: string): IndexEntry {
  const image = `registry.example.com/${chart}:${release.version}`;
  return {
    name: chart,
    version: release.version,
    appVersion: release.version.replace(/-rc\.\d+$/, ""),
    created: new Date(now.getTime() - release.daysAgo * DAY_MS),
    description: description(rng, chart),
    digest: fakeDigest(`${chart}-${release.version}`),
    deprecated: release.deprecated || undefined,
    home: `https://git.example.com/charts/${chart}`,
    icon: `https://charts.example.com/icons/${chart}.svg`,
    keywords: [chart.split("-")[0]!, category.toLowerCase(), "http"],
    kubeVersion: ">=1.23.0-0",
    sources: [`https://git.example.com/charts/${chart}`, `https://git.example.com/images/${chart}`],
    maintainers: [
      { name: "Platform Team", url: "https://git.example.com/platform" },
      ...(rng.chance(0.5) ? [{ name: "Charts Bot", email: "charts-bot@example.com" }] : []),
    ],
    annotations: {
      category,
      images: `- name: ${chart}\n  image: ${image}\n- name: os-shell\n  image: registry.example.com/os-shell:12-debian-12-r${rng.int(1, 60)}\n`,
      licenses: "Apache-2.0",
    },
    dependencies: [{ name: "common", repository: "oci://registry.example.com/charts", tags: ["common"], version: "2.x.x" }],
  };
}

interface BenchChart {
  chart: string;
  releases: BenchRelease[];
}

function registryEntries(services: string[], indexBytes: number, now: Date): { entries: IndexEntry[]; charts: BenchChart[] } {
  const entries: IndexEntry[] = [];
  const charts: BenchChart[] = [];
  let bytes = 0;
  const add = (chart: string, count: number, category: string): void => {
    const rng = new SeededRandom(`bench-chart:${chart}`);
    const releases = releaseHistory(rng, count, 900);
    const chartEntries = releases.map((r) => entry(rng, chart, r, now, category));
    entries.push(...chartEntries);
    charts.push({ chart, releases });
    // The rendered size of this chart's block, less the three lines every index has.
    bytes += renderHelmIndex(chartEntries, now).length - 70;
  };
  for (const service of services) add(service, 60, "ApplicationServer");
  for (let i = 0; bytes < indexBytes; i++) {
    const base = ADDONS[i % ADDONS.length]!;
    const chart = i < ADDONS.length ? base : `${base}-${Math.floor(i / ADDONS.length) + 1}`;
    add(chart, 80, CATEGORIES[i % CATEGORIES.length]!);
  }
  return { entries, charts };
}

interface BenchEnvironment {
  name: string;
  repo: string;
  branch: string;
  path: string;
  groups: Record<string, string>;
}

function benchEnvironments(count: number): BenchEnvironment[] {
  const solo = Math.ceil(count * SOLO_SHARE);
  const envs: BenchEnvironment[] = [];
  for (let i = 1; i <= count; i++) {
    const n = String(i).padStart(2, "0");
    // The first 50 are the aims' 50 × 80 workspace, selectable as the group "scale: first-50"; the rest make 10,000 cells.
    const groups = { brand: `brand-${((i - 1) % 5) + 1}`, team: `team-${((i - 1) % 8) + 1}`, scale: i <= FIRST ? "first-50" : "beyond-50" };
    if (i <= solo) {
      envs.push({ name: `env-${n}`, repo: `env-${n}`, branch: "main", path: "", groups });
    } else {
      const shared = Math.floor((i - solo - 1) / BRANCHES_PER_REPO);
      const letter = String.fromCharCode(97 + (shared % 26));
      const repo = `region-${letter}${shared >= 26 ? Math.floor(shared / 26) : ""}`;
      envs.push({ name: `${repo}-${n}`, repo, branch: `env/${n}`, path: "stack", groups });
    }
  }
  return envs;
}

/** What one environment pins: mostly exact versions at a varied distance from latest, some ranges, a few oddities. */
function pinsFor(env: BenchEnvironment, charts: BenchChart[], envIndex: number): UmbrellaDependency[] {
  const rng = new SeededRandom(`bench-env:${env.name}`);
  const maxLag = 1 + (envIndex % 12);
  return charts.map(({ chart, releases }) => {
    const stable = releases.filter((r) => !r.deprecated && semver.prerelease(r.version) === null).map((r) => r.version);
    const behind = rng.chance(0.35) ? 0 : rng.int(1, maxLag);
    const version = stable[Math.max(0, stable.length - 1 - behind)]!;
    const roll = rng.next();
    if (roll < 0.01) return { name: chart, version: "latest", locked: "latest", repository: null };
    if (roll < 0.02) {
      const v = semver.parse(version)!;
      const unpublished = `${v.major}.${v.minor}.${v.patch + 50}`;
      return { name: chart, version: unpublished, locked: unpublished, repository: null };
    }
    if (roll < 0.12) {
      const v = semver.parse(version)!;
      return { name: chart, version: `~${v.major}.${v.minor}.0`, locked: version, repository: null };
    }
    return { name: chart, version, locked: version, repository: null };
  });
}

/** The same pins a release or two earlier, for the history's first commit. */
function earlierPins(pins: UmbrellaDependency[], charts: BenchChart[], rng: SeededRandom): UmbrellaDependency[] {
  return pins.map((pin, i) => {
    if (!rng.chance(0.15) || !pin.locked || !semver.valid(pin.locked)) return pin;
    const stable = charts[i]!.releases.map((r) => r.version).filter((v) => semver.prerelease(v) === null && semver.lt(v, pin.locked!));
    const older = stable.at(-1);
    if (!older || pin.version.startsWith("~")) return pin;
    return { ...pin, version: older, locked: older };
  });
}

const BENCH_AUTHOR: GitPerson = { name: "Bench Release Manager", email: "bench@example.com" };

async function writeBenchStacks(base: string, envs: BenchEnvironment[], charts: BenchChart[], now: Date): Promise<void> {
  const at = (daysAgo: number): Date => new Date(now.getTime() - daysAgo * DAY_MS);
  const byRepo = new Map<string, BenchEnvironment[]>();
  for (const env of envs) byRepo.set(env.repo, [...(byRepo.get(env.repo) ?? []), env]);
  const values = `${charts.map((c) => `${c.chart}:\n  replicaCount: 1`).join("\n")}\n`;
  await Promise.all(
    [...byRepo].map(async ([repo, repoEnvs]) => {
      const stream = new FastImportStream();
      // A region repository keeps main for its README and one branch per environment, even with one environment.
      const shared = repoEnvs.some((e) => e.branch !== "main");
      const root = shared
        ? stream.commit({ ref: "refs/heads/main", author: BENCH_AUTHOR, date: at(40), message: "Initial commit", files: { "README.md": `# ${repo}\n` } })
        : undefined;
      let pr = 1;
      for (const env of repoEnvs) {
        const envIndex = envs.indexOf(env);
        const finalPins = pinsFor(env, charts, envIndex);
        const firstPins = earlierPins(finalPins, charts, new SeededRandom(`bench-history:${env.name}`));
        const chart = (deps: UmbrellaDependency[], version: string): UmbrellaChart => ({
          format: "helm3",
          name: env.name,
          description: `Benchmark stack ${env.name}`,
          version,
          registryName: BENCH_REGISTRY_NAME,
          style: envIndex % 2 === 0 ? "at" : "alias",
          dependencies: deps,
          values,
        });
        const prefix = env.path ? `${env.path}/` : "";
        const files = (c: UmbrellaChart, date: Date): Record<string, string> =>
          Object.fromEntries(Object.entries(renderUmbrellaChart(c, date)).map(([f, content]) => [`${prefix}${f}`, content]));
        const ref = `refs/heads/${env.branch}`;
        const changed = finalPins.filter((p, i) => p.locked !== firstPins[i]!.locked).length;
        stream.commit({ ref, author: BENCH_AUTHOR, date: at(20), message: `Add ${env.name} (#${pr++})`, files: files(chart(firstPins, "0.1.0"), at(20)), parent: stream.tip(ref) ?? root });
        stream.commit({ ref, author: BENCH_AUTHOR, date: at(2), message: `Upgrade ${changed} services (#${pr++})`, files: files(chart(finalPins, "0.2.0"), at(2)) });
      }
      await writeRepository(path.join(base, "repos", "stacks", repo), stream, { head: shared ? repoEnvs[0]!.branch : "main" });
    }),
  );
}

function benchConfig(services: string[], envs: BenchEnvironment[]): string {
  const lines = [
    "# Benchmark workspace written by scripts/bench-workspace.ts. Generated: edit the generator, not this file.",
    "# The load benchmark runs the server's refresher: every 30 s, as the aims are measured.",
    "refreshIntervalSeconds: 30",
    "registries:",
    `  - name: ${BENCH_REGISTRY_NAME}`,
    "    url: file://./registry",
    "services:",
    ...services.flatMap((s, i) => [`  ${s}:`, `    chart: ${s}`, `    jiraProject: B${String.fromCharCode(65 + (i % 26))}${String.fromCharCode(65 + Math.floor(i / 26))}`]),
    "# The benchmark measures reading and rendering, not signing in: everyone may read.",
    "access:",
    "  anonymousRead: true",
    "  # The load benchmark's `slipway refresher` (scripts/bench/load-on-postgres.ts) acts as this user.",
    "  grants:",
    "    - role: viewer",
    "      members: { users: [bench-refresher] }",
    "environments:",
  ];
  for (const env of envs) {
    lines.push(
      `  - name: ${env.name}`,
      `    groups: { brand: ${env.groups.brand}, team: ${env.groups.team}, scale: ${env.groups.scale} }`,
      `    repo: ./repos/stacks/${env.repo}`,
      `    branch: ${env.branch}`,
    );
    if (env.path) lines.push(`    path: ${env.path}`);
  }
  return `${lines.join("\n")}\n`;
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

/** Creates the benchmark workspace under `root` (reused when one with the same options is there) and returns the config path. */
export async function createBenchWorkspace(root: string, options: BenchWorkspaceOptions): Promise<string> {
  const base = path.resolve(root);
  const configPath = path.join(base, "slipway.yaml");
  // layout: bump when the generated files change shape, so an older workspace is rebuilt rather than reused.
  const manifest = JSON.stringify({ layout: 4, environments: options.environments, services: options.services, indexBytes: options.indexBytes });
  if (!options.force && (await exists(configPath))) {
    const previous = await readFile(path.join(base, MANIFEST), "utf8").catch(() => "");
    if (previous.trim() === manifest) return configPath;
  }
  const now = options.now ?? new Date();
  await Promise.all(["registry", "repos", "slipway.yaml", MANIFEST].map((f) => rm(path.join(base, f), { recursive: true, force: true })));
  await mkdir(path.join(base, "registry"), { recursive: true });

  const services = benchServiceNames(options.services);
  const { entries, charts } = registryEntries(services, options.indexBytes, now);
  const envs = benchEnvironments(options.environments);
  await Promise.all([
    writeFile(path.join(base, "registry", "index.yaml"), renderHelmIndex(entries, now)),
    writeBenchStacks(base, envs, charts.slice(0, services.length), now),
  ]);
  await writeFile(path.join(base, MANIFEST), `${manifest}\n`);
  await writeFile(configPath, benchConfig(services, envs));
  return configPath;
}
