/**
 * Creates the benchmark workspace (or reuses one built with the same options) and prints its config path.
 *   tsx scripts/bench-workspace.ts [--root DIR] [--environments 50] [--services 80] [--index-bytes 20000000] [--force]
 */
import { stat } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";

import { createBenchWorkspace } from "../lib/demo/create-bench-workspace";

function positiveInt(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw.replace(/_/g, ""));
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive whole number, got "${raw}"`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      root: { type: "string", default: ".slipway/bench" },
      environments: { type: "string" },
      services: { type: "string" },
      "index-bytes": { type: "string" },
      force: { type: "boolean", default: false },
    },
    strict: true,
  });
  const root = path.resolve(values.root ?? ".slipway/bench");
  const started = Date.now();
  const configPath = await createBenchWorkspace(root, {
    environments: positiveInt("environments", values.environments, 50),
    services: positiveInt("services", values.services, 80),
    indexBytes: positiveInt("index-bytes", values["index-bytes"], 20_000_000),
    force: values.force,
  });
  const index = await stat(path.join(root, "registry", "index.yaml"));
  process.stdout.write(
    `Benchmark workspace ready in ${root} (${Date.now() - started} ms; index.yaml ${(index.size / 1e6).toFixed(1)} MB).\nConfig: ${configPath}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`bench-workspace failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
