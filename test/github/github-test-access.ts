/**
 * Who may do what on the GitHub test server, decided the way GitHub decides it: a repository the caller cannot see is
 * a 404 (GitHub never confirms that a private repository exists), a permission the caller lacks is a 403 naming the
 * token type, with the `x-accepted-github-permissions` header listing the permission sets that would have worked.
 */

export type RepositoryPermission = "contents" | "pull_requests" | "issues" | "metadata";
export type PermissionLevel = "read" | "write";

/** The three kinds of token GitHub tells apart in its answers. */
export type TokenKind = "classic" | "fine-grained" | "installation";

export interface TokenGrant {
  login: string;
  /** Default "classic": a personal access token (classic) with the `repo` scope, which may do everything here. */
  kind?: TokenKind;
  /** Repositories ("owner/name") the token was granted; every repository when omitted. */
  repositories?: string[];
  /** Fine-grained and installation tokens: permission → level. Every permission at write when omitted. */
  permissions?: Partial<Record<RepositoryPermission, PermissionLevel>>;
  /** Classic tokens: OAuth scopes (default ["repo"]); `public_repo` alone reaches public repositories only. */
  scopes?: string[];
}

/**
 * A route's requirement in the `x-accepted-github-permissions` format: alternatives separated by ";", the permissions
 * of one alternative by ",". "issues=write; pull_requests=write" means either one will do.
 */
export type AcceptedPermissions = string;

const LEVELS: Record<PermissionLevel, number> = { read: 1, write: 2 };

function parseAccepted(accepted: AcceptedPermissions): [RepositoryPermission, PermissionLevel][][] {
  return accepted.split(";").map((set) =>
    set
      .split(",")
      .map((entry) => entry.trim())
      .filter(Boolean)
      .map((entry) => entry.split("=") as [RepositoryPermission, PermissionLevel]),
  );
}

export interface RepositoryAccessInput {
  grant: TokenGrant | undefined;
  repo: { fullName: string; private: boolean };
  accepted: AcceptedPermissions;
  write: boolean;
}

export type AccessDecision =
  | { allowed: true }
  | { allowed: false; status: 401 | 403 | 404; message: string; headers: Record<string, string> };

function grantedRepository(grant: TokenGrant, fullName: string): boolean {
  return !grant.repositories || grant.repositories.some((name) => name.toLowerCase() === fullName.toLowerCase());
}

/** The headers GitHub adds for each token kind: OAuth scopes for classic tokens, accepted permissions otherwise. */
export function accessHeaders(grant: TokenGrant | undefined, accepted: AcceptedPermissions | undefined): Record<string, string> {
  if (!grant) return {};
  if ((grant.kind ?? "classic") === "classic") {
    return { "x-oauth-scopes": (grant.scopes ?? ["repo"]).join(", "), "x-accepted-oauth-scopes": accepted?.includes("write") ? "repo" : "" };
  }
  return accepted ? { "x-accepted-github-permissions": accepted } : {};
}

/** Decides one request on one repository. Unauthenticated callers (no grant) read public repositories only. */
export function decideRepositoryAccess({ grant, repo, accepted, write }: RepositoryAccessInput): AccessDecision {
  const notFound = { allowed: false, status: 404, message: "Not Found", headers: {} } as const;
  if (!grant) {
    if (repo.private) return notFound;
    return write ? { allowed: false, status: 401, message: "Requires authentication", headers: {} } : { allowed: true };
  }
  const kind = grant.kind ?? "classic";
  const granted = grantedRepository(grant, repo.fullName);
  if (kind === "classic") {
    const scopes = grant.scopes ?? ["repo"];
    const reaches = scopes.includes("repo") || (!repo.private && scopes.includes("public_repo"));
    if (repo.private && (!granted || !reaches)) return notFound;
    // Classic tokens without the scope get GitHub's 404 on writes too: it does not say what exists.
    if (write && (!granted || !reaches)) return notFound;
    return { allowed: true };
  }
  if (repo.private && !granted) return notFound;
  // Public repositories are readable by any token; everything else needs the permission on a granted repository.
  if (!write && !repo.private && !granted) return { allowed: true };
  const permissions = grant.permissions;
  const satisfied =
    granted &&
    (!permissions ||
      parseAccepted(accepted).some((set) =>
        set.every(([permission, level]) => {
          const held = permissions[permission];
          return held !== undefined && LEVELS[held] >= LEVELS[level];
        }),
      ));
  if (satisfied) return { allowed: true };
  return {
    allowed: false,
    status: 403,
    message: kind === "installation" ? "Resource not accessible by integration" : "Resource not accessible by personal access token",
    headers: { "x-accepted-github-permissions": accepted },
  };
}
