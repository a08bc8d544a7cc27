import path from "node:path";

import { DEMO_REGISTRY_NAME, type DemoEnvironment, type DemoService } from "./demo-spec";
import { FastImportStream, writeRepository, type GitPerson } from "./git-repo-writer";
import { hashString, SeededRandom } from "./seeded-random";
import { planStackHistory, type PinState } from "./stack-history";
import { renderUmbrellaChart, type UmbrellaChart } from "./umbrella-chart-files";
import { snapshotDate } from "../releases/snapshots";

/** Stack repositories of the demo: one per environment, or one with a branch per environment. */

const DAY_MS = 86_400_000;

const RELEASE_MANAGERS: GitPerson[] = [
  { name: "Dana Whitfield", email: "dana.whitfield@example.com" },
  { name: "Ravi Menon", email: "ravi.menon@example.com" },
  { name: "Claire Dubois", email: "claire.dubois@example.com" },
  { name: "Sam Okafor", email: "sam.okafor@example.com" },
];

const MERGE_BOT: GitPerson = { name: "GitOps Bot", email: "gitops-bot@example.com" };

/** "staging" for shop-staging in a repository shared by several environments, else the environment's name. */
function stage(env: DemoEnvironment): string {
  return env.stackRepo === env.name ? env.name : (env.name.split("-").at(-1) ?? env.name);
}

function valuesYaml(env: DemoEnvironment): string {
  const production = stage(env) === "production";
  const lines = [
    `# Values for the ${env.name} stack. Keys under a service's name (its alias, if it has one) go to that subchart.`,
    "global:",
    `  environment: ${stage(env)}`,
    "  imageRegistry: registry.example.com",
    ...(env.url ? [`  ingressDomain: ${new URL(env.url).hostname}`] : []),
    "",
    "# Resource presets, shared below through YAML aliases.",
    "presets:",
    "  small: &small",
    "    requests: { cpu: 100m, memory: 128Mi }",
    "    limits: { memory: 256Mi }",
    "  medium: &medium",
    "    requests: { cpu: 250m, memory: 512Mi }",
    "    limits: { memory: 1Gi }",
    "",
  ];
  if (env.pins.some((p) => p.tags?.includes("storefront"))) lines.push("tags:", "  storefront: true", "");
  for (const pin of env.pins) {
    const service = pin.alias ?? pin.chart;
    const heavy = ["orders", "payments", "checkout", "gateway"].includes(service);
    lines.push(`${service}:`);
    if (pin.condition) lines.push(`  ${pin.condition.split(".").slice(1).join(".")}: true`);
    lines.push(`  replicaCount: ${production && heavy ? 4 : heavy ? 2 : 1}`);
    lines.push(`  resources: ${heavy ? "*medium" : "*small"}`);
    const tag = env.imageTags?.[service];
    if (tag) lines.push("  image:", `    tag: "${tag}"`);
  }
  return `${lines.join("\n")}\n`;
}

function chartHeader(env: DemoEnvironment, sharedRepo: boolean): string[] {
  if (sharedRepo) {
    return [
      `Umbrella chart for the ${env.chartName} stack. Every branch of this repository is one environment`,
      "(main = dev, release/staging, release/production); Argo CD syncs each branch to its cluster,",
      "so merging a change here deploys it.",
    ];
  }
  return [`Umbrella chart for ${env.name}. Argo CD syncs the main branch; merging a change here deploys it.`];
}

function umbrellaChart(env: DemoEnvironment, states: PinState[], version: string, sharedRepo: boolean): UmbrellaChart {
  return {
    format: env.format,
    name: env.chartName,
    description: env.chartDescription,
    version,
    header: chartHeader(env, sharedRepo),
    registryName: DEMO_REGISTRY_NAME,
    style: env.repositoryStyle,
    values: valuesYaml(env),
    dependencies: env.pins.map((pin, i) => {
      const state = states[i]!;
      return {
        name: pin.chart,
        alias: pin.alias,
        version: state.version,
        locked: state.locked,
        repository: pin.repository ?? null,
        condition: pin.condition,
        tags: pin.tags,
        comment: pin.comment,
      };
    }),
  };
}

const inFolder = (folder: string, files: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(files).map(([f, c]) => [folder ? `${folder}/${f}` : f, c]));

interface PlannedCommit {
  env: DemoEnvironment;
  daysAgo: number;
  subject: string;
  files: Record<string, string>;
  initial: boolean;
  /** A deployment of the environment (not the demo's deliberately broken last commit): tagged as a snapshot. */
  deployment: boolean;
}

function readme(repo: string, envs: DemoEnvironment[]): string {
  const lines = [`# ${repo}`, "", "GitOps stack repository: the umbrella chart pins one chart version per service.", ""];
  if (envs.length > 1) {
    lines.push("| Branch | Environment |", "| --- | --- |", ...envs.map((e) => `| \`${e.branch}\` | ${e.name} |`), "");
  }
  lines.push("Change versions through a release request; a merge to the branch deploys it.", "");
  return lines.join("\n");
}

/** Writes the repository that holds `envs` (all of them share `stackRepo`). */
export async function writeStackRepository(
  dir: string,
  repo: string,
  envs: DemoEnvironment[],
  services: DemoService[],
  now: Date,
): Promise<void> {
  const shared = envs.length > 1;
  const at = (daysAgo: number): Date => new Date(now.getTime() - daysAgo * DAY_MS);
  const rng = new SeededRandom(`stack:${repo}`);

  const planned: PlannedCommit[] = [];
  for (const env of envs) {
    const baseMinor = 10 + (hashString(env.name) % 20);
    const history = planStackHistory(env, services);
    history.forEach((plan, k) => {
      const chart = umbrellaChart(env, plan.states, `0.${baseMinor + k}.0`, shared);
      planned.push({ env, daysAgo: plan.daysAgo, subject: plan.subject, files: inFolder(env.path, renderUmbrellaChart(chart, at(plan.daysAgo))), initial: plan.initial, deployment: true });
    });
    if (env.broken) {
      planned.push({
        env,
        daysAgo: env.broken.daysAgo,
        subject: env.broken.message,
        files: inFolder(env.path, { "Chart.yaml": env.broken.chartYaml }),
        initial: false,
        deployment: false,
      });
    }
  }
  planned.sort((a, b) => b.daysAgo - a.daysAgo || a.env.name.localeCompare(b.env.name));

  const stream = new FastImportStream();
  const oldest = Math.max(...planned.map((p) => p.daysAgo));
  const rootFiles = { "README.md": readme(repo, envs), ".gitignore": "charts/\n*.tgz\n" };
  const root = shared
    ? stream.commit({ ref: "refs/heads/main", author: RELEASE_MANAGERS[0]!, date: at(oldest + 2), message: "Initial commit", files: rootFiles })
    : undefined;

  let pr = 1 + (hashString(repo) % 40);
  const snapshotsPerDay = new Map<string, number>();
  for (const commit of planned) {
    const ref = `refs/heads/${commit.env.branch}`;
    const author = rng.pick(RELEASE_MANAGERS);
    const reviewer = rng.pick(RELEASE_MANAGERS.filter((m) => m !== author));
    const number = pr++;
    const body = commit.initial
      ? `Set up ${commit.env.name} from the current releases.`
      : `Release request by ${author.name}, approved by ${reviewer.name}.`;
    const files = !shared && commit.initial ? { ...rootFiles, ...commit.files } : commit.files;
    const mark = stream.commit({
      ref,
      author,
      committer: MERGE_BOT,
      date: at(commit.daysAgo),
      message: `${commit.subject} (#${number})\n\n${body}`,
      files,
      parent: stream.tip(ref) === undefined ? root : undefined,
    });
    // Every deployment of an environment that takes snapshots is tagged, as Slipway tags the merges it makes.
    if (commit.env.snapshots && commit.deployment) {
      const day = snapshotDate(at(commit.daysAgo));
      const n = (snapshotsPerDay.get(`${commit.env.name} ${day}`) ?? 0) + 1;
      snapshotsPerDay.set(`${commit.env.name} ${day}`, n);
      stream.lightweightTag(commit.env.snapshots.replaceAll("{date}", day).replaceAll("{n}", String(n)), mark);
    }
  }

  await writeRepository(path.join(dir), stream, { head: "main", acceptPushesToCheckedOutBranch: true });
}
