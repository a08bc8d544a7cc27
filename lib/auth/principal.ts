/** Who is asking: the signed-in person (or the CLI's user), with what their identity provider says about them. */
export interface Principal {
  /** Local account name, OIDC preferred_username, or GitHub login. */
  username: string;
  name?: string;
  email?: string;
  source: "local" | "oidc" | "github" | "cli" | "anonymous";
  oidcGroups: string[];
  /** "org/team-slug" from GitHub, when signed in with GitHub. */
  githubTeams: string[];
}

export const ANONYMOUS: Principal = { username: "anonymous", source: "anonymous", oidcGroups: [], githubTeams: [] };
