import type { GitHubConfig } from "@/lib/config/schema";
import { isGitHubRepoName } from "@/lib/git/choose-git-provider";
import { repositoryWebUrl } from "@/lib/git/repository-web-url";

/**
 * Where a pull request of a stack repository is browsed, when the repository is on GitHub: the configured webUrl,
 * else github.com for the public API, else the Enterprise host the API lives on (https://HOST/api/v3 → https://HOST).
 */
export function pullRequestUrl(github: GitHubConfig | undefined, repo: string, number: number): string | undefined {
  if (!github || !isGitHubRepoName(repo)) return undefined;
  return `${repositoryWebUrl(github, repo)}/pull/${number}`;
}
