/** Who is asking: the signed-in person (or the CLI's user), with what their identity provider says about them. */
export interface Principal {
  /** Local account name, OIDC preferred_username, or GitHub login. */
  username: string;
  name?: string;
  email?: string;
  source: "local" | "oidc" | "github" | "cli" | "anonymous" | "system";
  oidcGroups: string[];
  /** "org/team-slug" from GitHub, when signed in with GitHub. */
  githubTeams: string[];
}

export const ANONYMOUS: Principal = { username: "anonymous", source: "anonymous", oidcGroups: [], githubTeams: [] };

/**
 * Slipway itself, acting on its own (automatic upgrades of environments that ask for them). No sign-in or CLI ever
 * yields this source; grants never name it; the policy lets it act only where slipway.yaml says (autoUpgrade, autoMerge).
 */
export const SLIPWAY_SYSTEM: Principal = { username: "slipway", name: "Slipway", source: "system", oidcGroups: [], githubTeams: [] };
