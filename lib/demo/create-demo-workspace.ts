import { access, mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";

import { renderDemoConfig } from "./demo-config-file";
import { writeDemoRegistry } from "./demo-registry";
import { DEMO_ENVIRONMENTS, DEMO_SERVICES, type DemoEnvironment } from "./demo-spec";
import { writeStackRepository } from "./demo-stack-repos";
import { writeRepository } from "./git-repo-writer";
import { buildServiceRepository } from "./service-repo-history";

/**
 * The demo workspace: a file chart registry, a source repository per service and the stack repositories of
 * seven environments, plus the slipway.yaml that ties them together. What it contains, and what the dashboard
 * should show for it, is described in demo-spec.ts.
 *
 * Layout under `root`:
 *   slipway.yaml
 *   registry/index.yaml, registry/charts/*.tgz
 *   repos/services/<service>/     source repositories with release tags
 *   repos/stacks/<stack>/         umbrella chart repositories
 */

export interface CreateDemoWorkspaceOptions {
  /** The moment "days ago" is counted from; defaults to the current time. */
  now?: Date;
}

export interface DemoWorkspace {
  configPath: string;
  /** False when `root` already held a workspace, which is then left as it is. */
  created: boolean;
}

export const DEMO_CONFIG_FILE = "slipway.yaml";

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

export async function createDemoWorkspace(root: string, opts: CreateDemoWorkspaceOptions = {}): Promise<DemoWorkspace> {
  const configPath = path.resolve(root, DEMO_CONFIG_FILE);
  if (await exists(configPath)) return { configPath, created: false };

  const now = opts.now ?? new Date();
  const base = path.dirname(configPath);
  // slipway.yaml is written last, so its absence means any registry/ or repos/ here is a half-written demo.
  await Promise.all([rm(path.join(base, "registry"), { recursive: true, force: true }), rm(path.join(base, "repos"), { recursive: true, force: true })]);
  await mkdir(base, { recursive: true });

  const stacks = new Map<string, DemoEnvironment[]>();
  for (const env of DEMO_ENVIRONMENTS) stacks.set(env.stackRepo, [...(stacks.get(env.stackRepo) ?? []), env]);

  await Promise.all([
    writeDemoRegistry(path.join(base, "registry"), DEMO_SERVICES, now),
    ...DEMO_SERVICES.map((service) =>
      writeRepository(path.join(base, "repos", "services", service.key), buildServiceRepository(service, now)),
    ),
    ...[...stacks].map(([repo, envs]) =>
      writeStackRepository(path.join(base, "repos", "stacks", repo), repo, envs, DEMO_SERVICES, now),
    ),
  ]);

  await writeFile(configPath, renderDemoConfig());
  return { configPath, created: true };
}
