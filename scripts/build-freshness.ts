import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

/** What a build of the app depends on: a change under any of these makes the last build stale. */
const BUILD_SOURCES = ["app", "components", "lib", "prisma", "next.config.js", "tsconfig.next.json", "package-lock.json", "instrumentation.ts", "proxy.ts"];

function newestMtime(target: string): number {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(target).reduce((newest, entry) => {
    if (entry === "generated" || entry === "node_modules") return newest;
    return Math.max(newest, newestMtime(path.join(target, entry)));
  }, stat.mtimeMs);
}

/** True when `<projectDir>/<distDir>` has no build, or one older than its sources (demo and benchmark rebuild then). */
export function buildIsStale(projectDir: string, distDir: string): boolean {
  const buildId = path.join(projectDir, distDir, "BUILD_ID");
  if (!existsSync(buildId)) return true;
  const built = statSync(buildId).mtimeMs;
  return BUILD_SOURCES.some((source) => newestMtime(path.join(projectDir, source)) > built);
}
