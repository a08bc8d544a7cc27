import "server-only";
import { getWorkspace } from "@/lib/config/workspace";
import type { AccessConfig, EnvironmentConfig } from "@/lib/config/schema";
import { getDb } from "@/lib/db";
import { NotFoundError, UnauthorizedError } from "@/lib/errors";
import type { ReleaseRequest } from "@/lib/generated/prisma/client";
import { currentPrincipal } from "./current-principal";
import { enforce } from "./enforce";
import { visibleEnvironments } from "./permissions";
import type { PolicyAction } from "./policy";
import { ANONYMOUS, type Principal } from "./principal";

/**
 * Authorization for requests with a session: who is asking (the session, or anonymous where anonymousRead allows it),
 * then the one policy (lib/auth/policy.ts) through `enforce`, which also records refusals. The UI may hide what a
 * role cannot do, but never relies on hiding.
 */
export interface Viewer {
  principal: Principal;
  access: AccessConfig;
  /** Environments this viewer may see, in config order. */
  environments: EnvironmentConfig[];
}

type Origin = { ip?: string; userAgent?: string };

async function callerPrincipal(access: AccessConfig): Promise<Principal | null> {
  return (await currentPrincipal()) ?? (access.anonymousRead ? ANONYMOUS : null);
}

function toViewer(principal: Principal, access: AccessConfig, environments: EnvironmentConfig[]): Viewer {
  return { principal, access, environments: visibleEnvironments(principal, access, environments) };
}

/** The caller as a viewer: signed in, or anonymous where anonymousRead allows it. 401 otherwise. */
export async function getViewer(): Promise<Viewer> {
  const { config } = getWorkspace();
  const principal = await callerPrincipal(config.access);
  if (!principal) throw new UnauthorizedError();
  return toViewer(principal, config.access, config.environments);
}

/**
 * Throws 401 without a session; 404 for an environment that does not exist or that the caller may not see (the same
 * answer, so names cannot be probed); 403 when the role does not allow `action` there. Without an environment the
 * action is workspace-wide (refresh, the audit trail, users).
 */
export async function authorize(action: PolicyAction, environmentName?: string, origin?: Origin): Promise<Viewer> {
  const { config } = getWorkspace();
  const principal = await callerPrincipal(config.access);
  const resource =
    environmentName === undefined
      ? ({ type: "workspace", environments: config.environments } as const)
      : ({ type: "environment", name: environmentName, environment: config.environments.find((e) => e.name === environmentName) } as const);
  await enforce(principal, action, resource, { access: config.access, db: getDb(), origin });
  return toViewer(principal!, config.access, config.environments);
}

/**
 * The same for one release request: the caller is authenticated before the request is looked up, so an anonymous
 * caller cannot tell existing ids from missing ones.
 */
export async function authorizeRelease(action: PolicyAction, id: number, origin?: Origin): Promise<{ viewer: Viewer; request: ReleaseRequest }> {
  const { config } = getWorkspace();
  const principal = await callerPrincipal(config.access);
  if (!principal || (principal.source === "anonymous" && action !== "release.view")) throw new UnauthorizedError();
  const request = await getDb().releaseRequest.findUnique({ where: { id } });
  if (!request) throw new NotFoundError(`There is no change request #${id}.`);
  const environment = config.environments.find((e) => e.name === request.environment);
  await enforce(principal, action, { type: "release", request, environment }, { access: config.access, db: getDb(), origin });
  return { viewer: toViewer(principal, config.access, config.environments), request };
}
