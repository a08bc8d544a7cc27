import { DEMO_INTEGRATION_SECRETS, type DemoIntegrations } from "./demo-integrations";
import { goYamlScalar } from "./go-yaml-writer";
import { DEMO_ENVIRONMENTS, DEMO_EXTRA_SERVICES, DEMO_REGISTRY_NAME, DEMO_SERVICES, DEMO_UNREACHABLE_OCI, type DemoEnvironment } from "./demo-spec";

/**
 * slipway.yaml for the demo, written by hand rather than serialised so that it keeps its comments: it is also
 * the example configuration people copy from.
 */

const ENVIRONMENT_NOTES: Record<string, string[]> = {
  "shop-dev": ["The shop: one repository, a branch per environment, the chart in stack/. main is dev.", "Dev tries release candidates, so prereleases count as latest here."],
  "shop-staging": ["A few releases behind dev; checkout was rolled back yesterday."],
  "shop-production": ["Far behind: promotions to production are rare."],
  "payments-eu": ["Payments: one repository per environment, the chart at the repository root.", "values.yaml overrides some image tags; readImageTags shows them next to the chart versions."],
  "payments-us": ["Refers to the registry as alias:demo; risk-engine comes from an OCI registry that cannot be reached."],
  "legacy-backoffice": ["Helm 2: dependencies in requirements.yaml, versions in requirements.lock."],
  sandbox: ["Deliberately broken: Chart.yaml at the branch head is not valid YAML, so this environment", "shows an error while the others render."],
};

function environmentLines(env: DemoEnvironment): string[] {
  const lines: string[] = [];
  for (const note of ENVIRONMENT_NOTES[env.name] ?? []) lines.push(`  # ${note}`);
  const groups = Object.entries(env.groups)
    .map(([k, v]) => `${k}: ${goYamlScalar(v)}`)
    .join(", ");
  lines.push(`  - name: ${env.name}`);
  lines.push(`    groups: { ${groups} }`);
  lines.push(`    repo: ./repos/stacks/${env.stackRepo}`);
  lines.push(`    branch: ${env.branch}`);
  if (env.path) lines.push(`    path: ${env.path}`);
  if (env.url) lines.push(`    url: ${env.url}`);
  if (env.includePrereleases) lines.push("    includePrereleases: true");
  if (env.readImageTags) lines.push("    readImageTags: true");
  if (env.snapshots) lines.push(`    snapshots: { tagPattern: "${env.snapshots}" }  # tag every deployment commit as a snapshot`);
  return lines;
}

export function renderDemoConfig(): string {
  const lines = [
    "# Slipway workspace configuration — the demo workspace created by `npm run demo:init`.",
    "# Relative paths are resolved against the folder of this file. Every option is shown somewhere below;",
    "# lib/config/schema.ts is the reference.",
    "",
    "# Seconds between background refreshes of stacks and registries; 0 = only on start and on demand.",
    "refreshIntervalSeconds: 300",
    "",
    "# A service this many releases behind counts as far behind even without a major version step.",
    "farBehindReleases: 5",
    "",
    "# Chart registries. A dependency refers to one by name, as `helm repo add` would have named it:",
    `# repository: "@${DEMO_REGISTRY_NAME}" or repository: alias:${DEMO_REGISTRY_NAME}.`,
    "# url: https:// or http:// (a Helm repository serving index.yaml), file:// (a folder holding index.yaml)",
    "# or oci://host/path. Credentials are read from environment variables, never from this file:",
    "#   auth: { basic: { usernameEnv: CHARTS_USER, passwordEnv: CHARTS_PASSWORD } }",
    "#   auth: { bearer: { tokenEnv: CHARTS_TOKEN } }",
    "# Only these are read: a Chart.yaml naming any other repository gets \"not configured\" and no request is made",
    "# (registryPolicy: { followUnknownRegistries: true } would read unlisted public https registries).",
    "registries:",
    `  - name: ${DEMO_REGISTRY_NAME}`,
    "    url: file://./registry",
    "  - name: partner",
    `    url: ${DEMO_UNREACHABLE_OCI}   # a partner's OCI registry that cannot be reached from here`,
    "",
    "# Services, keyed by the name the dashboard shows: the dependency's alias if it has one, else its chart.",
    "#   chart             chart name in the registry, when it differs from the key",
    "#   repo              source repository (a path, a git URL or an https URL to browse); the commits between",
    "#                     two release tags make the changelog of an upgrade",
    "#   tagPattern        how release tags are named; {version} stands for the chart version (default v{version})",
    "#   jiraProject       Jira keys with this prefix are picked out of commit messages",
    "#   grafanaDashboard  where release annotations are written",
    "services:",
  ];
  for (const s of DEMO_SERVICES) {
    if (s.chart !== s.key) lines.push(`  # The chart is called ${s.chart}; stacks install it under the alias ${s.key}.`);
    if (s.tagPattern !== "v{version}") lines.push(`  # Tags look like ${goYamlScalar(s.tagPattern.replace("{version}", s.releases.at(-1)?.version ?? "1.0.0"))}.`);
    lines.push(
      `  ${s.key}:`,
      `    chart: ${s.chart}`,
      `    repo: ./repos/services/${s.key}`,
      `    tagPattern: "${s.tagPattern}"`,
      `    jiraProject: ${s.jiraProject}`,
      `    grafanaDashboard: https://grafana.example.com/d/${s.key}`,
    );
  }
  for (const s of DEMO_EXTRA_SERVICES) {
    lines.push(`  # ${s.comment}`, `  ${s.key}:`, `    chart: ${s.chart}`, `    jiraProject: ${s.jiraProject}`);
  }
  lines.push(
    "",
    "# Environments: one umbrella chart each. Two layouts appear in this demo:",
    "#  - one repository with a branch per environment (shop-dev, shop-staging and shop-production);",
    "#  - one repository per environment (payments-eu, payments-us, legacy-backoffice, sandbox).",
    "#   groups              free-form navigation groups (brand, team, region, …)",
    "#   repo, branch        where the chart lives; a merge to the branch deploys it (branch defaults to main)",
    "#   path                folder of the chart inside the repository (default: the repository root)",
    "#   url                 where the environment runs, linked from its page",
    "#   includePrereleases  count prereleases as the latest version in this environment",
    "#   readImageTags       also read <service>.image.tag overrides from values.yaml",
    "environments:",
  );
  DEMO_ENVIRONMENTS.forEach((env, i) => {
    if (i > 0) lines.push("");
    lines.push(...environmentLines(env));
  });
  lines.push(
    "",
    "# Promotion paths: versions travel along each list; every environment's page offers to promote it to the next.",
    "promotions:",
    "  - [shop-dev, shop-staging, shop-production]",
  );
  lines.push(
    "",
    "# Who may do what. Roles: viewer (read), requester (plan and raise release requests), gatekeeper (approve",
    "# and merge; requested as reviewers on GitHub), admin (settings, integrations, audit trail; workspace-wide).",
    "# A grant covers the environments it names, or those whose groups match, or all of them. Members match by",
    "# user name, e-mail domain, OIDC group or GitHub team (org/team-slug). The demo's accounts are made by",
    "# `npm run demo` (see DEMO_USERS in lib/demo/demo-users.ts).",
    "access:",
    "  anonymousRead: false",
    "  grants:",
    "    - role: admin",
    "      members: { users: [ada] }",
    "    # Delivery managers read everything.",
    "    - role: viewer",
    "      members: { users: [dana], emailDomains: [slipway.example] }",
    "    # The payments team raises upgrades in its own stacks.",
    "    - role: requester",
    "      groups: { brand: payments }",
    "      members: { users: [ben], oidcGroups: [payments-developers], githubTeams: [acme/payments] }",
    "    # Gatekeepers differ per environment.",
    "    - role: gatekeeper",
    "      environments: [shop-staging, shop-production, payments-eu, payments-us]",
    "      members: { users: [gita], githubTeams: [acme/release-managers] }",
  );
  return `${lines.join("\n")}\n`;
}

// ---- integrations: the opt-in block for local stand-ins --------------------------------------------------------

const INTEGRATIONS_BEGIN = "# >>> integrations (written by `npm run demo -- --integrations URL`; removed by a start without it)";
const INTEGRATIONS_END = "# <<< integrations";

/** The jira:, slack: and grafana: sections for the stand-ins, between markers so a later start can replace them. */
export function renderDemoIntegrations(integrations: DemoIntegrations): string {
  const lines = [
    INTEGRATIONS_BEGIN,
    "# Release requests are followed through in local stand-ins for Jira, Slack and Grafana (test/stand-ins). Their",
    "# credentials reach the app through the variables named here, set by `npm run demo`; this file holds none.",
  ];
  if (integrations.jira) {
    lines.push(
      "jira:",
      `  url: ${integrations.jira.url}`,
      "  deployment: cloud",
      `  auth: { emailEnv: ${DEMO_INTEGRATION_SECRETS.jiraEmail}, tokenEnv: ${DEMO_INTEGRATION_SECRETS.jiraToken} }`,
      "  doneTransition: Done",
      "  rollback: { label: rolled-back, transition: Reopen }",
    );
  }
  if (integrations.slack) {
    lines.push(
      "slack:",
      `  tokenEnv: ${DEMO_INTEGRATION_SECRETS.slackToken}`,
      `  apiUrl: ${integrations.slack.apiUrl}`,
      "  channels:",
      `    - channel: "${integrations.slack.channel}"   # every environment`,
    );
  }
  if (integrations.grafana) {
    lines.push("grafana:", `  url: ${integrations.grafana.url}`, `  tokenEnv: ${DEMO_INTEGRATION_SECRETS.grafanaToken}`);
  }
  lines.push(INTEGRATIONS_END);
  return `${lines.join("\n")}\n`;
}

/**
 * The demo's slipway.yaml with the integrations block for `integrations` in place of any earlier one, or without it
 * when `integrations` is undefined. The rest of the file, edits included, stays as it is.
 */
export function withDemoIntegrations(config: string, integrations: DemoIntegrations | undefined): string {
  const begin = config.indexOf(INTEGRATIONS_BEGIN);
  const endMarker = begin < 0 ? -1 : config.indexOf(INTEGRATIONS_END, begin);
  let rest = config;
  if (begin >= 0 && endMarker >= 0) {
    const end = config.indexOf("\n", endMarker);
    rest = config.slice(0, begin).replace(/\n+$/, "\n") + (end < 0 ? "" : config.slice(end + 1));
  }
  if (!integrations) return rest;
  return `${rest.replace(/\n*$/, "\n")}\n${renderDemoIntegrations(integrations)}`;
}
