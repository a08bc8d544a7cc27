import type { AccessConfig, EnvironmentConfig } from "@/lib/config/schema";
import { type Action, can, memberName } from "./permissions";
import type { Principal } from "./principal";

/**
 * The one authorization policy: `decide(principal, action, resource)` answers allowed, or denied with the HTTP status
 * and the reason in words. Pages, server actions, route handlers and the CLI all ask it; nothing else writes a rule.
 * It is pure: the caller loads the resource (the environment from slipway.yaml, the release request from the database)
 * and records denials (lib/auth/enforce.ts).
 *
 * Order matters, because each answer must not leak what the next would reveal: an anonymous caller learns nothing but
 * "sign in" (401, whether or not the thing exists); a signed-in caller who may not see an environment gets the same
 * 404 as for an environment that does not exist; only then do roles (403) and request rules (403/409) apply.
 */
export type PolicyAction =
  | "environment.view"
  | "workspace.refresh"
  | "release.view"
  | "release.plan"
  | "release.raise"
  | "release.merge"
  | "release.close"
  | "audit.view"
  | "user.create"
  /** Run a release request's failed follow-through job (Jira, Slack, Grafana) again. */
  | "job.rerun"
  /** The settings page: each integration's configuration (never a secret's value) and a preview of what it would send. */
  | "settings.view"
  /** Call an integration (Jira, Slack, Grafana) to check its configuration and credentials. */
  | "integration.test";

export const POLICY_ACTIONS: readonly PolicyAction[] = [
  "environment.view",
  "workspace.refresh",
  "release.view",
  "release.plan",
  "release.raise",
  "release.merge",
  "release.close",
  "audit.view",
  "user.create",
  "job.rerun",
  "settings.view",
  "integration.test",
];

type EnvironmentRef = Pick<EnvironmentConfig, "name" | "groups"> & Partial<Pick<EnvironmentConfig, "autoUpgrade" | "autoMerge">>;

/** What a release request's own rules need: who raised it, where it lives, where it stands. */
export interface ReleaseRef {
  id: number;
  environment: string;
  requester: string;
  requesterSource: string;
  provider: string;
  state: string;
  /** The pull request's number on GitHub; none until one is opened. */
  number?: number | null;
}

export type PolicyResource =
  /** Everything in slipway.yaml; `environments` lets a refresh ask "can they see any of it". */
  | { type: "workspace"; environments: EnvironmentRef[] }
  /** `environment` is undefined when slipway.yaml has no environment of that name. */
  | { type: "environment"; name: string; environment: EnvironmentRef | undefined }
  | { type: "release"; request: ReleaseRef; environment: EnvironmentRef | undefined };

export type Decision = { allowed: true } | { allowed: false; status: 401 | 403 | 404 | 409; reason: string };

const ALLOWED: Decision = { allowed: true };

/** The role each action needs, and what to call it in a refusal. */
const NEEDS: Record<PolicyAction, { role: Action; words: string }> = {
  "environment.view": { role: "view", words: "view" },
  "workspace.refresh": { role: "view", words: "refresh" },
  "release.view": { role: "view", words: "view change requests of" },
  "release.plan": { role: "request", words: "raise release requests for" },
  "release.raise": { role: "request", words: "raise release requests for" },
  "release.merge": { role: "approve", words: "approve and merge changes to" },
  "release.close": { role: "request", words: "close change requests of" },
  "audit.view": { role: "admin", words: "view the audit trail of" },
  "user.create": { role: "admin", words: "create users in" },
  "job.rerun": { role: "admin", words: "run follow-through jobs again in" },
  "settings.view": { role: "admin", words: "view the settings of" },
  "integration.test": { role: "admin", words: "test the integrations of" },
};

/** The member name a request's requester was recorded under, comparable with `memberName(principal)`. */
export function requesterMemberName(request: Pick<ReleaseRef, "requester" | "requesterSource">): string {
  return memberName({ username: request.requester, source: request.requesterSource as Principal["source"], oidcGroups: [], githubTeams: [] });
}

export function isRequester(principal: Principal, request: Pick<ReleaseRef, "requester" | "requesterSource">): boolean {
  return principal.source !== "anonymous" && memberName(principal) === requesterMemberName(request);
}

function deny(status: 401 | 403 | 404 | 409, reason: string): Decision {
  return { allowed: false, status, reason };
}

export function decide(principal: Principal | null, action: PolicyAction, resource: PolicyResource, access: AccessConfig): Decision {
  const { role, words } = NEEDS[action];
  if (principal?.source === "system") return decideForSlipway(action, resource);
  // Only reading may be anonymous, and only where slipway.yaml says so.
  const anonymousAllowed = role === "view" && action !== "workspace.refresh" && access.anonymousRead;
  if (!principal || (principal.source === "anonymous" && !anonymousAllowed)) return deny(401, "Sign in to continue.");
  const who = principal.username;

  if (resource.type === "workspace") {
    if (action === "workspace.refresh") {
      // Refreshing changes no stack, only snapshots: anyone who can see some environment may ask.
      const sees = resource.environments.some((e) => can(principal, "view", access, e));
      return sees ? ALLOWED : deny(403, `${who} may not refresh: no environment is visible to them.`);
    }
    return can(principal, role, access) ? ALLOWED : deny(403, `${who} may not ${words} this workspace.`);
  }

  const name = resource.type === "environment" ? resource.name : resource.request.environment;
  const environment = resource.environment;
  // Unknown and invisible look the same, so environment names cannot be probed.
  if (!environment || !can(principal, "view", access, environment)) {
    return deny(404, resource.type === "release" ? `There is no change request #${resource.request.id}.` : `There is no environment named "${name}".`);
  }

  if (resource.type === "environment") {
    return can(principal, role, access, environment) ? ALLOWED : deny(403, `${who} may not ${words} ${name}.`);
  }

  const request = resource.request;
  const own = isRequester(principal, request);
  switch (action) {
    case "release.view":
      return ALLOWED;
    case "release.merge":
      if (!can(principal, "approve", access, environment)) return deny(403, `${who} may not ${words} ${name}.`);
      if (own) return deny(403, `${who} raised #${request.id}; another gatekeeper must approve it.`);
      if (request.provider !== "local") return deny(409, `Change request #${request.id} is a pull request: merge it on GitHub.`);
      if (request.state !== "open") return deny(409, `Change request #${request.id} is ${request.state}, not open.`);
      return ALLOWED;
    case "release.close":
      // Its requester or a gatekeeper of the environment; a pull request is closed where it lives, on GitHub, or the
      // record here would say closed while GitHub could still merge it.
      if (!(own && can(principal, "request", access, environment)) && !can(principal, "approve", access, environment)) {
        return deny(403, `${who} may not close change request #${request.id}.`);
      }
      // One whose pull request was never opened (a failed or deferred raise) has nothing on GitHub to close.
      if (request.provider !== "local" && request.number != null) {
        return deny(409, `Change request #${request.id} is a pull request: close it on GitHub.`);
      }
      if (!["open", "failed", "deferred"].includes(request.state)) return deny(409, `Change request #${request.id} is ${request.state}, not open.`);
      return ALLOWED;
    default:
      return can(principal, role, access, environment) ? ALLOWED : deny(403, `${who} may not ${words} ${name}.`);
  }
}

/**
 * Slipway acting on its own (SLIPWAY_SYSTEM): it reads, plans and raises upgrades only in environments whose
 * slipway.yaml entry sets autoUpgrade, and merges only its own plain-git requests where autoMerge is set too.
 * Nothing else, whatever the grants say.
 */
function decideForSlipway(action: PolicyAction, resource: PolicyResource): Decision {
  if (resource.type === "workspace") return action === "workspace.refresh" ? ALLOWED : deny(403, "Slipway does not act on the workspace.");
  const environment = resource.environment;
  if (!environment) return deny(404, "There is no such environment.");
  const where = environment.name;
  switch (action) {
    case "environment.view":
    case "release.view":
      return ALLOWED;
    case "release.plan":
    case "release.raise":
      return environment.autoUpgrade ? ALLOWED : deny(403, `slipway.yaml does not let Slipway upgrade ${where} on its own (autoUpgrade).`);
    case "release.merge": {
      if (!environment.autoUpgrade || !environment.autoMerge) return deny(403, `slipway.yaml does not let Slipway merge in ${where} on its own (autoMerge).`);
      if (resource.type !== "release") return deny(403, "Slipway merges only its own change requests.");
      const request = resource.request;
      if (request.requesterSource !== "system") return deny(403, `Slipway merges only its own change requests, not #${request.id}.`);
      if (request.state !== "open") return deny(409, `Change request #${request.id} is ${request.state}, not open.`);
      // A pull request is merged through GitHub's merge API once its checks pass, and GitHub's branch protection still
      // applies there; one whose pull request never opened (a deferred raise) has nothing to merge yet.
      if (request.provider !== "local" && request.number == null) return deny(409, `Change request #${request.id} has no pull request yet.`);
      return ALLOWED;
    }
    default:
      return deny(403, `Slipway does not ${NEEDS[action].words} on its own.`);
  }
}

/** Whether `decide` allows it: for hiding what the UI should not offer. Never the only check. */
export function allows(principal: Principal | null, action: PolicyAction, resource: PolicyResource, access: AccessConfig): boolean {
  return decide(principal, action, resource, access).allowed;
}
