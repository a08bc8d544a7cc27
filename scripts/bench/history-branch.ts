import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { FastImportStream, runGit, writeRepository } from "@/lib/demo/git-repo-writer";

/**
 * A stack repository whose environment branch has `commits` first-parent commits: a Helm 3 umbrella chart of
 * `services` locked dependencies in stack/, where four commits in five bump one service's patch version (lock
 * included) and the fifth touches only a file outside the stack. Written with one `git fast-import`, in seconds.
 */
export interface HistoryBranchSpec {
  commits: number;
  services: number;
}

const AUTHORS = [
  { name: "Dana Whitfield", email: "dana@bench.invalid" },
  { name: "Ravi Menon", email: "ravi@bench.invalid" },
  { name: "Claire Dubois", email: "claire@bench.invalid" },
];

export function serviceName(index: number): string {
  return `service-${String(index + 1).padStart(2, "0")}`;
}

export function renderStack(patches: number[]): Record<string, string> {
  const deps = patches.map((patch, i) => ({ name: serviceName(i), version: `1.0.${patch}` }));
  const chart = [
    "apiVersion: v2",
    "name: history-bench",
    "version: 1.0.0",
    "dependencies:",
    ...deps.flatMap((d) => [`  - name: ${d.name}`, `    version: "~1.0.0"`, "    repository: https://charts.bench.invalid"]),
    "",
  ].join("\n");
  const lock = [
    "dependencies:",
    ...deps.flatMap((d) => [`- name: ${d.name}`, "  repository: https://charts.bench.invalid", `  version: ${d.version}`]),
    "digest: sha256:0000000000000000000000000000000000000000000000000000000000000000",
    'generated: "2026-01-01T00:00:00Z"',
    "",
  ].join("\n");
  return { "stack/Chart.yaml": chart, "stack/Chart.lock": lock };
}

/**
 * Writes the repository at `dir` (replacing any earlier one), with main checked out; returns how many commits touched
 * the stack and the patch level each service ends at.
 */
export async function writeHistoryBranch(dir: string, spec: HistoryBranchSpec): Promise<{ touching: number; patches: number[] }> {
  rmSync(dir, { recursive: true, force: true });
  const stream = new FastImportStream();
  const patches = Array.from({ length: spec.services }, () => 0);
  const start = Date.parse("2020-01-01T00:00:00Z");
  let touching = 0;
  for (let i = 0; i < spec.commits; i++) {
    const date = new Date(start + i * 3_600_000);
    const author = AUTHORS[i % AUTHORS.length]!;
    if (i === 0) {
      touching++;
      stream.commit({ ref: "refs/heads/main", author, date, message: "Add the history-bench environment", files: renderStack(patches) });
    } else if (i % 5 === 0) {
      stream.commit({ ref: "refs/heads/main", author, date, message: `Notes ${i}`, files: { "NOTES.md": `note ${i}\n` } });
    } else {
      touching++;
      const service = i % spec.services;
      patches[service]!++;
      const message = `Upgrade ${serviceName(service)} to 1.0.${patches[service]} (#${i})`;
      stream.commit({ ref: "refs/heads/main", author, date, message, files: renderStack(patches) });
    }
  }
  await writeRepository(dir, stream);
  return { touching, patches };
}

/** One more upgrade on main, committed in the work tree as a person would. */
export async function commitUpgrade(dir: string, patches: number[], service: number): Promise<void> {
  patches[service]!++;
  for (const [file, content] of Object.entries(renderStack(patches))) writeFileSync(path.join(dir, file), content);
  await runGit(dir, ["add", "stack"]);
  await runGit(dir, ["commit", "--quiet", "-m", `Upgrade ${serviceName(service)} to 1.0.${patches[service]}`]);
}
