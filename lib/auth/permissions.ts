import type { AccessConfig, EnvironmentConfig, Grant, Role } from "@/lib/config/schema";
import type { Principal } from "./principal";

/**
 * The permission model, pure: roles are granted per environment (by name or group) to members matched by user name,
 * e-mail domain, OIDC group or GitHub team. Every check in the app goes through `can`.
 */
export type Action =
  | "view" // read the dashboard for an environment
  | "request" // plan and raise release requests
  | "approve" // approve and merge change requests (gatekeepers)
  | "admin"; // settings, integrations, audit trail, re-running jobs

const ROLE_ACTIONS: Record<Role, readonly Action[]> = {
  viewer: ["view"],
  requester: ["view", "request"],
  gatekeeper: ["view", "request", "approve"],
  admin: ["view", "request", "approve", "admin"],
};

/**
 * How a principal is written in a grant's `users`: local accounts (and the CLI) by bare name, others with their
 * provider's prefix — `oidc:olga`, `github:octocat`. Names from an identity provider are not Slipway's to hand out,
 * so an OIDC user whose preferred_username is "ada" must not inherit the local admin ada's grants.
 */
export function memberName(principal: Principal): string {
  const name = principal.username.toLowerCase();
  return principal.source === "oidc" || principal.source === "github" || principal.source === "system" ? `${principal.source}:${name}` : name;
}

export function isMember(principal: Principal, members: Grant["members"]): boolean {
  // Slipway acting on its own is granted nothing: the policy decides its few actions from slipway.yaml alone.
  if (principal.source === "anonymous" || principal.source === "system") return false;
  const user = memberName(principal);
  if (members.users.some((u) => u.toLowerCase() === user)) return true;
  const domain = principal.email?.split("@")[1]?.toLowerCase();
  if (domain && members.emailDomains.some((d) => d.toLowerCase() === domain)) return true;
  if (members.oidcGroups.some((g) => principal.oidcGroups.includes(g))) return true;
  const teams = new Set(principal.githubTeams.map((t) => t.toLowerCase()));
  return members.githubTeams.some((t) => teams.has(t.toLowerCase()));
}

/** Whether a grant covers an environment; with neither names nor groups it covers every environment. */
export function grantCovers(grant: Grant, environment: Pick<EnvironmentConfig, "name" | "groups">): boolean {
  if (grant.environments && !grant.environments.some((n) => n === "*" || n === environment.name)) return false;
  if (grant.groups && !Object.entries(grant.groups).every(([k, v]) => environment.groups[k] === v)) return false;
  return true;
}

/**
 * May `principal` do `action` on `environment`? For "admin", and for actions not tied to one environment, pass no
 * environment: then only grants that cover every environment count.
 */
export function can(
  principal: Principal,
  action: Action,
  access: AccessConfig,
  environment?: Pick<EnvironmentConfig, "name" | "groups">,
): boolean {
  if (action === "view" && access.anonymousRead) return true;
  return access.grants.some(
    (grant) =>
      ROLE_ACTIONS[grant.role].includes(action) &&
      isMember(principal, grant.members) &&
      (grant.role === "admin" || (environment ? grantCovers(grant, environment) : !grant.environments && !grant.groups)),
  );
}

/** The environments a principal may see, in config order. */
export function visibleEnvironments<E extends Pick<EnvironmentConfig, "name" | "groups">>(
  principal: Principal,
  access: AccessConfig,
  environments: E[],
): E[] {
  return environments.filter((env) => can(principal, "view", access, env));
}

/** Everything a principal may do where, for hiding what the UI should not offer. Never the only check. */
export function allowedActions(
  principal: Principal,
  access: AccessConfig,
  environment: Pick<EnvironmentConfig, "name" | "groups">,
): Action[] {
  return (["view", "request", "approve", "admin"] as const).filter((a) => can(principal, a, access, environment));
}

/**
 * Who reviews an environment's changes: its gatekeepers as written in the grants, the GitHub logins among them
 * (`github:` entries — only those are GitHub accounts, a bare name is a local account), and their GitHub teams.
 * Admins are not implied.
 */
export function gatekeepersFor(
  access: AccessConfig,
  environment: Pick<EnvironmentConfig, "name" | "groups">,
): { users: string[]; githubLogins: string[]; githubTeams: string[] } {
  const grants = access.grants.filter((g) => g.role === "gatekeeper" && grantCovers(g, environment));
  const users = [...new Set(grants.flatMap((g) => g.members.users))];
  return {
    users,
    githubLogins: users.filter((u) => u.toLowerCase().startsWith("github:")).map((u) => u.slice("github:".length)),
    githubTeams: [...new Set(grants.flatMap((g) => g.members.githubTeams))],
  };
}
