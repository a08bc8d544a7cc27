import { Command, Option } from "commander";
import { readEnvironment } from "@/lib/config/environment";
import { runHistoryCommand } from "@/lib/cli/run-history-command";
import { runStatusCommand } from "@/lib/cli/run-status-command";
import { runNotesCommand } from "@/lib/cli/run-notes-command";
import { runPromoteCommand } from "@/lib/cli/run-promote-command";
import { runRollbackCommand } from "@/lib/cli/run-rollback-command";
import { runUpgradeCommand } from "@/lib/cli/run-upgrade-command";
import { runWhereCommand } from "@/lib/cli/run-where-command";
import { runUserAddCommand } from "@/lib/cli/run-user-add-command";
import { runRefreshCommand, runRefresherCommand } from "@/lib/cli/run-refresher-command";
import { errorMessage, isSlipwayError } from "@/lib/errors";
import { applyHeapGrowth } from "@/lib/heap-growth";

const program = new Command()
  .name("slipway")
  .description("Release dashboard for GitOps stacks, on the command line")
  .addOption(new Option("--config <path>", "slipway.yaml to use").env("SLIPWAY_CONFIG"));

program
  .command("status")
  .description("Each environment's running chart versions against the latest in the registries")
  .option("--env <name...>", "only these environments (repeatable)")
  .option("--json", "print the machine-readable status document (see README)")
  .action(async (options: { env?: string[]; json?: boolean }) => {
    const { output, exitCode } = await runStatusCommand({ ...options, config: program.opts().config });
    process.stdout.write(`${output}\n`);
    process.exitCode = exitCode;
  });

program
  .command("history")
  .description("One environment's release history: the commits on its branch that changed chart versions, newest first")
  .requiredOption("--env <name>", "the environment")
  .option("--limit <n>", "at most this many entries (1-1000)", "50")
  .option("--json", "print the machine-readable history document (see README)")
  .action(async (options: { env: string; limit: string; json?: boolean }) => {
    const output = await runHistoryCommand({ ...options, config: program.opts().config });
    process.stdout.write(`${output}\n`);
  });

program
  .command("upgrade")
  .description("Plan (and raise) an upgrade of services in one environment, as the upgrade page does")
  .requiredOption("--env <name>", "the environment")
  .argument("<services...>", "SERVICE or SERVICE@VERSION (default: the latest)")
  .option("--dry-run", "print the changelog and the diff; raise nothing")
  .action(async (services: string[], options: { env: string; dryRun?: boolean }) => {
    const output = await runUpgradeCommand({ env: options.env, targets: services, dryRun: options.dryRun, config: program.opts().config });
    process.stdout.write(`${output}\n`);
  });

program
  .command("notes")
  .description("Release notes of one environment between two points of its history: versions and tickets per service")
  .requiredOption("--env <name>", "the environment")
  .requiredOption("--from <ref>", "a commit or tag of its branch, or a day (YYYY-MM-DD: the state at its start)")
  .option("--to <ref>", "a commit or tag of its branch (default: the head)")
  .option("--format <format>", "md (default) or json")
  .action(async (options: { env: string; from: string; to?: string; format?: string }) => {
    process.stdout.write(`${await runNotesCommand({ ...options, config: program.opts().config })}\n`);
  });

program
  .command("where")
  .description("Where is it running? For a ticket key or a commit: which environments run a version that contains it")
  .argument("<query>", "a Jira key (PAY-123) or a commit id (7 to 40 hex digits)")
  .option("--json", "print the machine-readable answer")
  .action(async (query: string, options: { json?: boolean }) => {
    process.stdout.write(`${await runWhereCommand({ query, json: options.json, config: program.opts().config })}\n`);
  });

program
  .command("promote")
  .description("Plan (and raise) a promotion: the target environment runs the versions the source runs")
  .requiredOption("--from <env>", "the environment whose versions are promoted, or one of its snapshot tags")
  .requiredOption("--to <env>", "the environment that changes")
  .option("--services <names>", "comma-separated services to promote (default: every one that differs)")
  .option("--edit-versions", "promote a snapshot as a version edit even where its tag could be merged into the target branch")
  .option("--dry-run", "print what changes, the changelogs and the diff; raise nothing")
  .action(async (options: { from: string; to: string; services?: string; editVersions?: boolean; dryRun?: boolean }) => {
    const services = options.services?.split(",").map((s) => s.trim()).filter(Boolean);
    const output = await runPromoteCommand({
      from: options.from,
      to: options.to,
      services,
      dryRun: options.dryRun,
      editVersions: options.editVersions,
      config: program.opts().config,
    });
    process.stdout.write(`${output}\n`);
  });

program
  .command("rollback")
  .description("Plan (and raise) a rollback of one environment to the versions of an earlier commit of its branch")
  .requiredOption("--env <name>", "the environment")
  .requiredOption("--to <ref>", "a commit of the environment branch (full or abbreviated) or a tag")
  .option("--services <names>", "comma-separated services to roll back (default: every one that differs)")
  .option("--remove <names>", "comma-separated services added since that commit to take out (default: none)")
  .option("--restore <names>", "comma-separated services removed since that commit to bring back (default: none)")
  .option("--dry-run", "print what changes, the backwards changelog and the diff; raise nothing")
  .action(async (options: { env: string; to: string; services?: string; remove?: string; restore?: string; dryRun?: boolean }) => {
    const names = (list?: string) => list?.split(",").map((s) => s.trim()).filter(Boolean);
    const output = await runRollbackCommand({
      env: options.env,
      to: options.to,
      services: names(options.services),
      remove: names(options.remove),
      restore: names(options.restore),
      dryRun: options.dryRun,
      config: program.opts().config,
    });
    process.stdout.write(`${output}\n`);
  });

program
  .command("refresh")
  .description("Refresh the snapshots now, as the Refresh button does (on PostgreSQL the leading refresher does it), and wait for it")
  .option("--env <name...>", "only these environments (repeatable)")
  .action(async (options: { env?: string[] }) => {
    const { output, exitCode } = await runRefreshCommand({ ...options, config: program.opts().config });
    process.stdout.write(`${output}\n`);
    process.exitCode = exitCode;
  });

program
  .command("refresher")
  .description("Run the refresher in this process until SIGINT or SIGTERM (on PostgreSQL: one leader among all instances)")
  .action(async () => {
    // Listening (not once) tells the database's handler (lib/db.ts) that this command exits by itself; a second signal
    // does not wait for the graceful stop.
    let signals = 0;
    const stopped = new Promise<NodeJS.Signals>((resolve) => {
      for (const signal of ["SIGINT", "SIGTERM"] as const) {
        process.on(signal, () => (++signals > 1 ? process.exit(signal === "SIGINT" ? 130 : 143) : resolve(signal)));
      }
    });
    process.stdout.write(`${await runRefresherCommand({ config: program.opts().config }, stopped)}\n`);
    // The database's own signal handler waits for whoever else listens; this command has finished, so exit now.
    process.exit(0);
  });

const user = program.command("user").description("Local accounts (the embedded default's sign-in)");
user
  .command("add <username>")
  .description("Create a local account; the password is read from standard input (or SLIPWAY_NEW_PASSWORD)")
  .option("--name <name>", "display name")
  .option("--email <email>", "e-mail address (matches emailDomains grants)")
  .action(async (username: string, options: { name?: string; email?: string }) => {
    const password = readEnvironment().cli.newPassword ?? (await readFirstLine(process.stdin));
    const message = await runUserAddCommand({ username, ...options, password, config: program.opts().config });
    process.stdout.write(`${message}\n`);
  });

async function readFirstLine(stream: NodeJS.ReadableStream): Promise<string> {
  let text = "";
  for await (const chunk of stream) {
    text += String(chunk);
    if (text.includes("\n")) break;
  }
  return text.split("\n")[0]!.replace(/\r$/, "");
}

// Before any command: a refresh or a long history read churns through data it keeps little of (lib/heap-growth.ts).
program.hook("preAction", () => applyHeapGrowth(readEnvironment().heapGrowthPercent));

program.parseAsync().catch((error: unknown) => {
  process.stderr.write(`slipway: ${errorMessage(error)}\n`);
  process.exitCode = isSlipwayError(error) ? 2 : 3;
});
