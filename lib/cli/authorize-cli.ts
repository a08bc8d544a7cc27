import { type PolicyAction, type PolicyResource, decide } from "@/lib/auth/policy";
import type { Principal } from "@/lib/auth/principal";
import type { AccessConfig } from "@/lib/config/schema";
import { ConflictError, ForbiddenError } from "@/lib/errors";
import { cliUserHint } from "./cli-principal";

/**
 * The CLI asks the same policy as the app. Its refusals read differently only where the app hides things: whoever runs
 * the CLI has slipway.yaml in hand, so "may not see" is said plainly instead of the app's 404, with how to name
 * yourself (SLIPWAY_USER) when the OS user is not a Slipway user.
 */
export function authorizeCli(principal: Principal, action: PolicyAction, resource: PolicyResource, access: AccessConfig): void {
  const decision = decide(principal, action, resource, access);
  if (decision.allowed) return;
  if (decision.status === 409) throw new ConflictError(decision.reason);
  const reason =
    decision.status === 404 && resource.type !== "workspace"
      ? `${principal.username} may not see ${resource.type === "environment" ? resource.name : resource.request.environment}.`
      : decision.reason;
  throw new ForbiddenError(`${reason} ${cliUserHint()}`);
}
