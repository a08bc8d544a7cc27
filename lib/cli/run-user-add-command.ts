import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { createLocalAccount } from "@/lib/auth/local-accounts";
import { loadWorkspaceConfig, workspaceConfigPath } from "@/lib/config/load-workspace-config";
import { withDatabase } from "@/lib/db";
import { authorizeCli } from "./authorize-cli";
import { cliPrincipal } from "./cli-principal";

/**
 * `slipway user add NAME`: creates a local account (the embedded default's sign-in). Admins only. With the embedded
 * database, stop the app first: PGlite allows one process per data folder, and its lock refuses a second.
 */
export async function runUserAddCommand(input: { username: string; name?: string; email?: string; password: string; config?: string }): Promise<string> {
  const { config } = loadWorkspaceConfig(input.config ?? workspaceConfigPath());
  const principal = cliPrincipal();
  authorizeCli(principal, "user.create", { type: "workspace", environments: config.environments }, config.access);
  // With the embedded database this takes the data folder's lock, and refuses while the app has it open.
  const lockedAdvice =
    "Stop the app first (Ctrl-C in its terminal, or `kill PID`) and run this again. To add users while the app runs, set " +
    "DATABASE_URL to a PostgreSQL database that both use.";
  return withDatabase({ command: "slipway user add", lockedAdvice }, async (db) => {
    const account = await createLocalAccount(db, input);
    await recordAuditEvent(db, { actor: principal, action: "user.created", target: account.username });
    return `created user ${account.username}`;
  });
}
