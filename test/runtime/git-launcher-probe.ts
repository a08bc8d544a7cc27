/**
 * For git-launcher.test.ts: runs one git command through runGit and prints the pid of the process git was started
 * from (its parent, read by a git alias from /proc). `stay` keeps the probe running afterwards, to be killed.
 */
import { runGit } from "@/lib/git/local/run-git";
import { GIT_PARENT_ALIAS, parentPidOf } from "./git-parent";

void (async () => {
  const out = await runGit(["-c", GIT_PARENT_ALIAS, "parent"], { cwd: process.cwd() });
  process.stdout.write(`${parentPidOf(out)}\n`);
  if (process.argv[2] === "stay") setInterval(() => {}, 60_000);
})();
