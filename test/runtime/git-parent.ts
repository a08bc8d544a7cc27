/**
 * A git alias that prints the pid of the process that started git: the alias's shell is git's child, so its $PPID is
 * git, and git's own parent is field 4 of /proc/<git>/stat.
 */
export const GIT_PARENT_ALIAS = "alias.parent=!cut -d' ' -f4 /proc/$PPID/stat";

export function parentPidOf(output: string): number {
  const pid = Number(output.trim());
  if (!Number.isInteger(pid) || pid <= 1) throw new Error(`not a pid: ${JSON.stringify(output)}`);
  return pid;
}
