import path from "node:path/posix";
import type { StackFiles } from "@/lib/charts/types";
import type { EnvironmentConfig } from "@/lib/config/schema";
import type { GitProvider } from "@/lib/git/git-provider";

const STACK_FILES: Record<keyof StackFiles, string> = {
  chartYaml: "Chart.yaml",
  chartLock: "Chart.lock",
  requirementsYaml: "requirements.yaml",
  requirementsLock: "requirements.lock",
  valuesYaml: "values.yaml",
};

/** Where a stack file lives in the repository: under the environment's folder. */
export function stackFilePath(env: Pick<EnvironmentConfig, "path">, file: string): string {
  return env.path ? path.join(env.path, file) : file;
}

function wantedStackFiles(env: EnvironmentConfig, options: { values?: boolean }): (keyof StackFiles)[] {
  const withValues = options.values ?? env.readImageTags;
  return (Object.keys(STACK_FILES) as (keyof StackFiles)[]).filter((key) => key !== "valuesYaml" || withValues);
}

/** The paths readStackFiles reads for an environment: what a refresh asks a git host to prefetch. */
export function stackFilePaths(env: EnvironmentConfig, options: { values?: boolean } = {}): string[] {
  return wantedStackFiles(env, options).map((key) => stackFilePath(env, STACK_FILES[key]));
}

/** The umbrella chart's files at one commit, in one read (values.yaml only where image tags are wanted). */
export async function readStackFiles(
  git: GitProvider,
  env: EnvironmentConfig,
  sha: string,
  options: { values?: boolean } = {},
): Promise<StackFiles> {
  const wanted = wantedStackFiles(env, options);
  const paths = wanted.map((key) => stackFilePath(env, STACK_FILES[key]));
  const contents = await git.readFiles(env.repo, sha, paths);
  const files: StackFiles = {};
  wanted.forEach((key, i) => {
    files[key] = contents.get(paths[i]!);
  });
  return files;
}
