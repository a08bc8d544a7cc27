/**
 * Creates the demo workspace (or finds the one already there) and prints where its configuration is.
 *   tsx scripts/demo-init.ts [--root DIR]      DIR defaults to .slipway/demo under the current directory
 */
import path from "node:path";
import { parseArgs } from "node:util";

import { createDemoWorkspace } from "../lib/demo/create-demo-workspace";
import { DEMO_ENVIRONMENTS, DEMO_SERVICES } from "../lib/demo/demo-spec";

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { root: { type: "string", default: ".slipway/demo" } }, strict: true });
  const root = path.resolve(values.root ?? ".slipway/demo");
  const started = Date.now();
  const { configPath, created } = await createDemoWorkspace(root);
  if (created) {
    const stacks = new Set(DEMO_ENVIRONMENTS.map((e) => e.stackRepo));
    process.stdout.write(
      [
        `Created the demo workspace in ${root} (${Date.now() - started} ms):`,
        `  registry/          file chart registry: index.yaml and ${DEMO_SERVICES.reduce((n, s) => n + s.releases.length, 0)} packaged chart versions`,
        `  repos/services/    ${DEMO_SERVICES.length} service repositories with release tags`,
        `  repos/stacks/      ${stacks.size} stack repositories for ${DEMO_ENVIRONMENTS.length} environments: ${DEMO_ENVIRONMENTS.map((e) => e.name).join(", ")}`,
        `Config: ${configPath}`,
        "",
      ].join("\n"),
    );
  } else {
    process.stdout.write(`Reusing the demo workspace in ${root} (delete the folder to start over).\nConfig: ${configPath}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`demo-init failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
