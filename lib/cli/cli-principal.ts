import os from "node:os";
import type { Principal } from "@/lib/auth/principal";
import { type SlipwayEnvironment, readEnvironment } from "@/lib/config/environment";

/**
 * Who runs a CLI command: SLIPWAY_USER, else the operating-system user. This is attribution, not authentication —
 * whoever runs the CLI already reads the repositories and the database with this machine's credentials — but every
 * command still asks the same permission model, so the CLI cannot do what that user could not do in the app.
 */
export function cliPrincipal(env: Pick<SlipwayEnvironment, "cli"> = readEnvironment()): Principal {
  return { username: env.cli.user ?? os.userInfo().username, source: "cli", email: env.cli.userEmail, oidcGroups: [], githubTeams: [] };
}

/**
 * What to do when the CLI's user has no grant: most often the OS user (root, a CI runner) is simply not a Slipway user.
 * The demo's accounts are named so a first try on the demo works as the README shows.
 */
export function cliUserHint(env: Pick<SlipwayEnvironment, "cli"> = readEnvironment()): string {
  return env.cli.user
    ? "Check the grants for this user in slipway.yaml."
    : "The CLI acts as the operating-system user unless SLIPWAY_USER names your Slipway user: for example SLIPWAY_USER=dana npx slipway status (dana is the demo's delivery manager).";
}
