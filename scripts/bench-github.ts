/**
 * A benchmark — a measurement, never a test — of what Slipway costs on GitHub's API at the size of a large
 * installation: 50 environment repositories, each an umbrella chart of 80 services, on the GitHub API test server
 * (the real Octokit adapter, a PGlite database, a file chart registry). It reports the GitHub requests of a cold
 * refresh of all 50 environments, of the first warm one and of a second warm one, with the rate limit each spent (REST
 * "core" requests and GraphQL points, as x-ratelimit-used moved), beside the aims (cold: at most 5 requests; warm: no
 * rate limit), and the requests of one upgrade of two services (plan, then raise).
 *
 *   npx tsx --conditions=react-server scripts/bench-github.ts
 *
 * Write spacing (GitHub asks for a second between writes) is turned off: the figures are requests, not wall time.
 */
import { secretsFrom } from "@/lib/config/environment";
import "./bench/quiet-logs";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Principal } from "@/lib/auth/principal";
import { parseWorkspaceConfig } from "@/lib/config/load-workspace-config";
import { chooseGitProvider } from "@/lib/git/choose-git-provider";
import { createLocalGitProvider } from "@/lib/git/local/local-git-provider";
import { planUpgrade } from "@/lib/releases/plan-upgrade";
import { raiseUpgrade } from "@/lib/releases/raise-upgrade";
import { createRegistryClient } from "@/lib/registry/registry-client";
import { refreshSnapshots } from "@/lib/snapshots/refresh-snapshots";
import { resolveRegistryEndpoints } from "@/lib/snapshots/resolve-registry-endpoints";
import { startGitHubTestServer, type GitHubTestServer } from "../test/github/github-test-server";
import { REGISTRY_NAME, seedServiceRepo, seedStack, writeFileRegistry } from "../test/releases-github/github-stack-fixture";
import { createPgliteDatabase } from "../test/support/test-database";

const ENVIRONMENTS = 50;
const SERVICES = 80;
const VERSIONS = 12;
const TOKEN = "ghp_bench";
const BOT = "slipway-bench";
const TOKEN_ENV = "SLIPWAY_BENCH_GITHUB_TOKEN";

const serviceName = (i: number) => `svc-${String(i).padStart(3, "0")}`;
const version = (v: number) => `1.${v}.0`;

interface Row {
  step: string;
  requests: number;
  graphqlRequests: number;
  notModified: number;
  /** REST requests charged (x-ratelimit-used of "core"). */
  coreSpent: number;
  /** GraphQL points charged (x-ratelimit-used of "graphql"). */
  graphqlSpent: number;
  /** Requests of the release history the refresh reads after the snapshots (listing commits). */
  historyRequests: number;
  seconds: number;
}

async function measure(server: GitHubTestServer, step: string, run: () => Promise<unknown>): Promise<Row> {
  server.resetRequests();
  const core = server.rateLimit(BOT, "core").used;
  const graphql = server.rateLimit(BOT, "graphql").used;
  const started = performance.now();
  await run();
  const seconds = (performance.now() - started) / 1000;
  return {
    step,
    requests: server.requests.length,
    graphqlRequests: server.count("POST /graphql"),
    notModified: server.requests.filter((r) => r.status === 304).length,
    coreSpent: server.rateLimit(BOT, "core").used - core,
    graphqlSpent: server.rateLimit(BOT, "graphql").used - graphql,
    historyRequests: server.count("GET /repos/{owner}/{repo}/commits"),
    seconds: Math.round(seconds * 10) / 10,
  };
}

function byRoute(server: GitHubTestServer): string {
  const counts = new Map<string, number>();
  for (const r of server.requests) counts.set(r.route ?? r.path, (counts.get(r.route ?? r.path) ?? 0) + 1);
  return [...counts].map(([route, n]) => `    ${String(n).padStart(4)}  ${route}`).join("\n");
}

async function main(): Promise<void> {
  const root = mkdtempSync(path.join(tmpdir(), "slipway-bench-github-"));
  // The rate limit is high enough that the seeding and the measured steps never hit it.
  const server = await startGitHubTestServer({ tokens: { [TOKEN]: BOT }, rateLimit: 100_000 });
  const database = await createPgliteDatabase();
  try {
    const seeding = performance.now();
    const services = Array.from({ length: SERVICES }, (_, i) => serviceName(i));
    const registryUrl = writeFileRegistry(
      path.join(root, "registry"),
      services.map((name) => ({ name, versions: Array.from({ length: VERSIONS }, (_, v) => version(v)) })),
    );
    for (let e = 0; e < ENVIRONMENTS; e++) {
      const repo = await server.createRepository(`acme/stack-${String(e).padStart(2, "0")}`, {
        collaborators: ["gita", BOT],
        teams: ["release-managers"],
      });
      await seedStack(repo, "main", services.map((name, i) => ({ name, version: version((e + i) % VERSIONS) })));
    }
    // Source repositories of the two services the upgrade takes, for their changelogs.
    for (const name of services.slice(0, 2)) {
      await seedServiceRepo(
        server,
        `acme/${name}`,
        Array.from({ length: VERSIONS }, (_, v) => ({ version: version(v), tickets: [`SVC-${v * 2 + 1}`] })),
      );
    }
    const config = [
      "github:",
      `  apiUrl: ${server.url}`,
      `  auth: { tokenEnv: ${TOKEN_ENV} }`,
      "registries:",
      `  - { name: ${REGISTRY_NAME}, url: "${registryUrl}" }`,
      "services:",
      ...services.slice(0, 2).map((name) => `  ${name}: { repo: acme/${name}, jiraProject: SVC }`),
      "environments:",
      ...Array.from({ length: ENVIRONMENTS }, (_, e) => `  - { name: env-${String(e).padStart(2, "0")}, repo: acme/stack-${String(e).padStart(2, "0")} }`),
      "access:",
      "  grants:",
      "    - role: gatekeeper",
      "      members: { users: [gita], githubTeams: [acme/release-managers] }",
    ].join("\n");
    const workspace = parseWorkspaceConfig(config, path.join(root, "slipway.yaml"));
    const git = chooseGitProvider({
      local: createLocalGitProvider({ baseDir: root, cacheDir: path.join(root, "cache") }),
      github: workspace.config.github,
      secret: (name) => (name === TOKEN_ENV ? TOKEN : undefined),
      gitHubClient: { throttle: { spaceWrites: false } },
    });
    const registries = createRegistryClient({ baseDir: root });
    const deps = { workspace, db: database.db, git, registries };
    console.log(`seeded ${ENVIRONMENTS} stacks × ${SERVICES} services in ${((performance.now() - seeding) / 1000).toFixed(1)} s`);

    const rows: Row[] = [];
    const details: string[] = [];
    rows.push(await measure(server, `refresh ${ENVIRONMENTS} environments, cold`, () => refreshSnapshots(deps, { trigger: "bench" })));
    details.push(`cold refresh by route:\n${byRoute(server)}`);
    // Heads read by GraphQL carry no ETag: the first warm refresh reads each branch once through REST to get one.
    rows.push(await measure(server, `refresh ${ENVIRONMENTS} environments, warm (first)`, () => refreshSnapshots(deps, { trigger: "bench" })));
    details.push(`first warm refresh by route:\n${byRoute(server)}`);
    rows.push(await measure(server, `refresh ${ENVIRONMENTS} environments, warm`, () => refreshSnapshots(deps, { trigger: "bench" })));
    details.push(`warm refresh by route:\n${byRoute(server)}`);
    const [cold, firstWarm, warm] = rows as [Row, Row, Row];

    // env-00 runs svc-000 at 1.0.0 and svc-001 at 1.1.0: take both to the latest.
    const env = workspace.config.environments[0]!;
    const targets = [{ service: serviceName(0) }, { service: serviceName(1) }];
    const { endpoints } = resolveRegistryEndpoints(workspace.config, secretsFrom(process.env));
    const releaseDeps = { config: workspace.config, db: database.db, git, pullRequests: git, registries, endpoints };
    let baseSha = "";
    rows.push(
      await measure(server, "plan an upgrade of 2 services", async () => {
        baseSha = (await planUpgrade(releaseDeps, env, targets)).plan.baseSha;
      }),
    );
    details.push(`plan by route:\n${byRoute(server)}`);
    const requester: Principal = { username: "ben", name: "Ben", email: "ben@example.com", source: "local", oidcGroups: [], githubTeams: [] };
    rows.push(await measure(server, "raise it (re-plan, commit, pull request)", () => raiseUpgrade(releaseDeps, requester, env, { targets, baseSha })));
    details.push(`raise by route:\n${byRoute(server)}`);

    const header = ["step", "requests", "GraphQL", "304s", "core spent", "GraphQL points", "seconds"];
    const table = rows.map((r) => [
      r.step,
      String(r.requests),
      String(r.graphqlRequests),
      String(r.notModified),
      String(r.coreSpent),
      String(r.graphqlSpent),
      r.seconds.toFixed(1),
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
    const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
    console.log(`\n${line(header)}\n${widths.map((w) => "-".repeat(w)).join("  ")}\n${table.map(line).join("\n")}\n`);
    const met = (ok: boolean) => (ok ? "met" : "NOT met");
    const snapshotRequests = cold.requests - cold.historyRequests;
    console.log(
      [
        `aim: cold refresh in at most 5 requests — ${cold.requests} requests (${met(cold.requests <= 5)}); ` +
          `${snapshotRequests} for heads and chart files (${cold.graphqlRequests} GraphQL queries, ${cold.graphqlSpent} points), ` +
          `${cold.historyRequests} for the first read of release history`,
        `aim: warm refresh spends no rate limit — ${warm.coreSpent + warm.graphqlSpent} spent in ${warm.requests} requests (${met(warm.coreSpent + warm.graphqlSpent === 0)}); ` +
          `the first warm one spent ${firstWarm.coreSpent} REST + ${firstWarm.graphqlSpent} GraphQL to get the ETags GraphQL answers lack`,
      ].join("\n") + "\n",
    );
    console.log(details.join("\n\n"));
  } finally {
    await database.close();
    await server.close();
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
