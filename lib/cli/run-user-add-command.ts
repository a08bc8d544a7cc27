import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { createLocalAccount } from "@/lib/auth/local-accounts";
import { can } from "@/lib/auth/permissions";
import { loadWorkspaceConfig, workspaceConfigPath } from "@/lib/config/load-workspace-config";
import { openDatabase } from "@/lib/database-adapter";
import { ForbiddenError } from "@/lib/errors";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { cliPrincipal } from "./cli-principal";

/**
 * `slipway user add NAME`: creates a local account (the embedded default's sign-in). Admins only. With the embedded
 * database, stop the app first: PGlite allows one process per data folder, and its lock refuses a second.
 */
export async function runUserAddCommand(input: { username: string; name?: string; email?: string; password: string; config?: string }): Promise<string> {
  const { config } = loadWorkspaceConfig(input.config ?? workspaceConfigPath());
  const principal = cliPrincipal();
  if (!can(principal, "admin", config.access)) {
    throw new ForbiddenError(`${principal.username} is not an admin in slipway.yaml (set SLIPWAY_USER to an admin's user name)`);
  }
  // With the embedded database this takes the data folder's lock, and refuses while the app has it open.
  const opened = openDatabase(undefined, {
    command: "slipway user add",
    lockedAdvice:
      "Stop the app first (Ctrl-C in its terminal, or `kill PID`) and run this again. To add users while the app runs, set " +
      "DATABASE_URL to a PostgreSQL database that both use.",
  });
  const db = new PrismaClient({ adapter: opened.factory });
  try {
    const account = await createLocalAccount(db, input);
    await recordAuditEvent(db, { actor: principal, action: "user.created", target: account.username });
    return `created user ${account.username}`;
  } finally {
    await db.$disconnect();
    await opened.close();
  }
}
