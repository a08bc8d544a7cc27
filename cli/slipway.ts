import { Command, Option } from "commander";
import { runStatusCommand } from "@/lib/cli/run-status-command";
import { SlipwayError, errorMessage } from "@/lib/errors";

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

program.parseAsync().catch((error: unknown) => {
  process.stderr.write(`slipway: ${errorMessage(error)}\n`);
  process.exitCode = error instanceof SlipwayError ? 2 : 3;
});
