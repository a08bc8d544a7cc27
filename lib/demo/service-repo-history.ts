import type { DemoRelease, DemoService } from "./demo-spec";
import { FastImportStream, type GitPerson } from "./git-repo-writer";
import { SeededRandom } from "./seeded-random";

/**
 * A service's source repository: a few commits per release whose messages carry Jira keys the way people
 * actually write them (and some that carry none), a release commit that bumps the chart, and a tag per release
 * named by the service's tag pattern.
 */

const DAY_MS = 86_400_000;

/** The people who write the demo services' commits (and, in a Jira stand-in, are assigned their tickets). */
export const DEVELOPERS: GitPerson[] = [
  { name: "Amara Okafor", email: "amara.okafor@example.com" },
  { name: "Jonas Becker", email: "jonas.becker@example.com" },
  { name: "Priya Raman", email: "priya.raman@example.com" },
  { name: "Lucas Martin", email: "lucas.martin@example.com" },
  { name: "Sofia Rossi", email: "sofia.rossi@example.com" },
  { name: "Kenji Watanabe", email: "kenji.watanabe@example.com" },
  { name: "Elena Petrova", email: "elena.petrova@example.com" },
  { name: "Mateo García", email: "mateo.garcia@example.com" },
  { name: "Hannah Schmidt", email: "hannah.schmidt@example.com" },
  { name: "Tom Walsh", email: "tom.walsh@example.com" },
];

export const RELEASE_BOT: GitPerson = { name: "Release Bot", email: "release-bot@example.com" };

const GENERIC_SUBJECTS = [
  "bump dependencies",
  "upgrade base image to debian 12.7",
  "add readiness probe",
  "fix flaky integration test",
  "tune database connection pool",
  "log errors as structured JSON",
  "retry transient 503 from upstream",
  "remove dead feature flag",
  "add metrics for cache hits",
  "update OpenAPI spec",
];

const CONVENTIONAL = ["feat", "fix", "chore", "perf", "refactor"];

export const tagName = (service: DemoService, version: string): string => service.tagPattern.replace("{version}", version);

const slug = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 40);

class JiraCounter {
  private next: number;
  constructor(
    private readonly project: string,
    rng: SeededRandom,
  ) {
    this.next = rng.int(12, 240);
  }
  take(rng: SeededRandom): string {
    this.next += rng.int(1, 6);
    return `${this.project}-${this.next}`;
  }
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** One commit message in one of the shapes found in real histories. */
function commitMessage(rng: SeededRandom, jira: JiraCounter, subject: string, scope: string): { message: string; keys: string[] } {
  const form = rng.int(0, 9);
  const key = jira.take(rng);
  switch (form) {
    case 0:
    case 1:
      return { message: `${key}: ${subject}`, keys: [key] };
    case 2:
      return { message: `[${key}] ${capitalise(subject)}`, keys: [key] };
    case 3: {
      const second = jira.take(rng);
      return { message: `${key} ${second} ${subject}`, keys: [key, second] };
    }
    case 4:
      return { message: `${rng.pick(CONVENTIONAL)}(${scope}): ${subject} (${key})`, keys: [key] };
    case 5:
      return { message: `${capitalise(subject)}\n\nFixes ${key}`, keys: [key] };
    case 6:
      return {
        message: `Merge pull request #${rng.int(100, 900)} from example/${key}-${slug(subject)}\n\n${capitalise(subject)}`,
        keys: [key],
      };
    case 7:
      return { message: `${key.toLowerCase()}: ${subject}`, keys: [key] };
    default:
      return { message: capitalise(subject), keys: [] };
  }
}

function chartYaml(service: DemoService, version: string): string {
  return [
    "apiVersion: v2",
    `name: ${service.chart}`,
    `description: ${service.description}`,
    "type: application",
    `version: ${version}`,
    `appVersion: "${version}"`,
    "",
  ].join("\n");
}

/** A Jira ticket a commit of the demo's service repositories names: what a Jira stand-in needs to know it. */
export interface DemoTicket {
  key: string;
  /** The Jira project: ORD of ORD-123. */
  project: string;
  service: string;
  /** The subject of the commit that names it, as the ticket's summary would read. */
  subject: string;
  /** The commit's message as written (conventional prefix, "Fixes KEY"…). */
  message: string;
  author: GitPerson;
  /** The release whose changelog carries it. */
  release: DemoRelease;
}

/**
 * Every ticket key the commits of `service`'s repository name, with the commit that names it, in commit order. The
 * repository is generated from a seed, so these are exactly the keys the demo's changelogs show.
 */
export function demoServiceTickets(service: DemoService): DemoTicket[] {
  const tickets: DemoTicket[] = [];
  buildServiceRepository(service, new Date(0), tickets);
  return tickets;
}

/** `tickets`, when given, collects every ticket key a commit names (see demoServiceTickets). */
export function buildServiceRepository(service: DemoService, now: Date, tickets?: DemoTicket[]): FastImportStream {
  const rng = new SeededRandom(`service:${service.key}`);
  const jira = new JiraCounter(service.jiraProject, rng);
  const team = [0, 1, 2].map(() => rng.pick(DEVELOPERS));
  const at = (daysAgo: number): Date => new Date(now.getTime() - daysAgo * DAY_MS);
  const ref = "refs/heads/main";
  const stream = new FastImportStream();
  const subjects = [...service.subjects, ...GENERIC_SUBJECTS];
  const releaseStyle = rng.chance(0.5) ? "chore(release): " : "Release ";

  const firstRelease = service.releases[0];
  if (!firstRelease) throw new Error(`${service.key} has no releases`);
  let previousDaysAgo = firstRelease.daysAgo + 14;
  const sources = new Map<string, string>();
  stream.commit({
    ref,
    author: team[0]!,
    date: at(previousDaysAgo),
    message: `Initial commit`,
    files: {
      "README.md": `# ${service.key}\n\n${service.description}.\n\nReleases are tagged \`${service.tagPattern}\`; the Helm chart in \`chart/\` is published as \`${service.chart}\`.\n`,
      "chart/Chart.yaml": chartYaml(service, "0.0.0"),
      "src/main.ts": `// ${service.key}: ${service.description}\nexport function main(): void {}\n`,
      "CHANGELOG.md": "# Changelog\n",
    },
  });

  let changelog = "# Changelog\n";
  for (const release of [...service.releases].sort((a, b) => b.daysAgo - a.daysAgo)) {
    const count = rng.int(2, 5);
    const lines: string[] = [];
    const span = previousDaysAgo - release.daysAgo;
    for (let i = 0; i < count; i++) {
      const subject = rng.pick(subjects);
      const { message, keys } = commitMessage(rng, jira, subject, service.key);
      const file = `src/${slug(subject)}.ts`;
      const content = `${sources.get(file) ?? `// ${subject}\n`}export const change${sources.size}_${i} = ${JSON.stringify(keys.join(" ") || subject)};\n`;
      sources.set(file, content);
      lines.push(`- ${message.split("\n")[0]}`);
      const author = rng.pick(team);
      for (const key of keys) tickets?.push({ key, project: service.jiraProject, service: service.key, subject, message, author, release });
      stream.commit({
        ref,
        author,
        date: at(previousDaysAgo - (span * (i + 1)) / (count + 1)),
        message,
        files: { [file]: content },
      });
    }
    changelog = changelog.replace("# Changelog\n", `# Changelog\n\n## ${release.version}\n\n${lines.join("\n")}\n`);
    const releaseDate = at(release.daysAgo + 0.04);
    const mark = stream.commit({
      ref,
      author: RELEASE_BOT,
      date: releaseDate,
      message: `${releaseStyle}${release.version}`,
      files: { "chart/Chart.yaml": chartYaml(service, release.version), "CHANGELOG.md": changelog },
    });
    const tag = tagName(service, release.version);
    if (service.tagStyle === "annotated") {
      stream.annotatedTag(tag, mark, RELEASE_BOT, releaseDate, `Release ${release.version}`);
    } else {
      stream.lightweightTag(tag, mark);
    }
    previousDaysAgo = release.daysAgo;
  }
  return stream;
}
