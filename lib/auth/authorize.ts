import "server-only";
import { getWorkspace } from "@/lib/config/workspace";
import type { AccessConfig, EnvironmentConfig } from "@/lib/config/schema";
import { ForbiddenError, NotFoundError, UnauthorizedError } from "@/lib/errors";
import { currentPrincipal } from "./current-principal";
import { type Action, can, visibleEnvironments } from "./permissions";
import { ANONYMOUS, type Principal } from "./principal";

/**
 * The one place requests are authorized. Pages, server actions, route handlers and the CLI all ask here (or `can`
 * for the CLI's own identity); the UI may hide what a role cannot do, but never relies on hiding.
 */
export interface Viewer {
  principal: Principal;
  access: AccessConfig;
  /** Environments this viewer may see, in config order. */
  environments: EnvironmentConfig[];
}

/** The caller as a viewer: signed in, or anonymous where anonymousRead allows it. 401 otherwise. */
export async function getViewer(): Promise<Viewer> {
  const { config } = getWorkspace();
  const principal = (await currentPrincipal()) ?? (config.access.anonymousRead ? ANONYMOUS : null);
  if (!principal) throw new UnauthorizedError();
  return { principal, access: config.access, environments: visibleEnvironments(principal, config.access, config.environments) };
}

const ACTION_WORDS: Record<Action, string> = {
  view: "view",
  request: "raise release requests for",
  approve: "approve changes to",
  admin: "administer",
};

/**
 * Throws 401 without a session, 404 for an environment slipway.yaml does not have, and 403 when the role does not
 * allow `action` on the environment (or, without an environment, workspace-wide).
 */
export async function authorize(action: Action, environmentName?: string): Promise<Viewer> {
  const viewer = await getViewer();
  if (viewer.principal.source === "anonymous" && action !== "view") throw new UnauthorizedError();
  const { config } = getWorkspace();
  if (environmentName === undefined) {
    if (!can(viewer.principal, action, viewer.access)) {
      throw new ForbiddenError(`${viewer.principal.username} may not ${ACTION_WORDS[action]} this workspace.`);
    }
    return viewer;
  }
  const environment = config.environments.find((e) => e.name === environmentName);
  if (!environment) throw new NotFoundError(`There is no environment named "${environmentName}".`);
  if (!can(viewer.principal, action, viewer.access, environment)) {
    throw new ForbiddenError(`${viewer.principal.username} may not ${ACTION_WORDS[action]} ${environmentName}.`);
  }
  return viewer;
}
