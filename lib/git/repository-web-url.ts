import type { GitHubConfig } from "@/lib/config/schema";
import { isGitHubRepoName } from "./choose-git-provider";

/**
 * Where people browse a repository slipway.yaml names, for links: an `owner/name` repository on GitHub (given a
 * `github:` section) at the configured webUrl, else github.com for the public API, else the Enterprise host the API
 * lives on (https://HOST/api/v3 → https://HOST); an https URL as it is, without `.git`. Paths and other git URLs
 * (ssh, file) have no web page Slipway knows of: undefined.
 */
export function repositoryWebUrl(github: GitHubConfig | undefined, repo: string): string | undefined {
  if (github && isGitHubRepoName(repo)) {
    const web = (github.webUrl ?? (github.apiUrl === "https://api.github.com" ? "https://github.com" : github.apiUrl.replace(/\/api\/v3\/?$/, ""))).replace(/\/+$/, "");
    return `${web}/${repo.replace(/\.git$/, "")}`;
  }
  if (/^https?:\/\/[^\s/?#]+\/[^\s?#]+$/i.test(repo)) return repo.replace(/\/+$/, "").replace(/\.git$/i, "");
  return undefined;
}

/**
 * A commit's page (its diff): `<repository>/commit/<sha>`, the path GitHub, Gitea and Forgejo use and GitLab redirects.
 * Undefined where the repository has no web page (repositoryWebUrl) or `sha` is not a commit id.
 */
export function commitWebUrl(github: GitHubConfig | undefined, repo: string, sha: string): string | undefined {
  if (!/^[0-9a-f]{7,64}$/i.test(sha)) return undefined;
  const web = repositoryWebUrl(github, repo);
  return web ? `${web}/commit/${sha}` : undefined;
}
