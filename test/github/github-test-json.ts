import { gitText, resolveCommit, type CommitRecord } from "./github-test-git";
import type { TestRepository } from "./github-test-repository";

/**
 * The JSON GitHub's REST API answers with, built from git data: users, teams, repositories, commits, labels, pull
 * requests. Shapes follow api.github.com's OpenAPI description (openapi-contract.test.ts checks them, required
 * properties and types all the way down); URLs point back at the test server, as GitHub's point at itself.
 */

/** Where the client reached the API (with /api/v3 for GitHub Enterprise) and the matching web root. */
export interface UrlRoots {
  api: string;
  web: string;
}

export interface TestPullRequest {
  id: number;
  number: number;
  repo: string;
  title: string;
  body: string | null;
  state: "open" | "closed";
  draft: boolean;
  user: string;
  head: { ref: string; sha: string };
  base: { ref: string; sha: string };
  labels: string[];
  requestedReviewers: string[];
  requestedTeams: string[];
  createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
  mergedAt: Date | null;
  mergeCommitSha: string | null;
  mergedBy: string | null;
}

/** GitHub's timestamps: UTC, second precision, "Z". */
export function isoSeconds(date: Date | string): string {
  return new Date(date).toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function nodeId(kind: string, id: string | number): string {
  return Buffer.from(`${kind}:${id}`).toString("base64").replace(/=+$/, "");
}

/** Account and team ids are handed out on first sight and kept, like GitHub's. */
export function createJsonShapes(openPullCount: (repo: TestRepository) => number) {
  const userIds = new Map<string, number>();
  const teamIds = new Map<string, number>();

  function userId(login: string): number {
    let id = userIds.get(login);
    if (id === undefined) {
      id = 100 + userIds.size;
      userIds.set(login, id);
    }
    return id;
  }

  function simpleUser(ctx: UrlRoots, login: string, type?: "User" | "Bot" | "Organization") {
    const id = userId(login);
    const url = `${ctx.api}/users/${encodeURIComponent(login)}`;
    return {
      login,
      id,
      node_id: nodeId("User", id),
      avatar_url: `${ctx.web}/avatars/u/${id}`,
      gravatar_id: "",
      url,
      html_url: `${ctx.web}/${login}`,
      followers_url: `${url}/followers`,
      following_url: `${url}/following{/other_user}`,
      gists_url: `${url}/gists{/gist_id}`,
      starred_url: `${url}/starred{/owner}{/repo}`,
      subscriptions_url: `${url}/subscriptions`,
      organizations_url: `${url}/orgs`,
      repos_url: `${url}/repos`,
      events_url: `${url}/events{/privacy}`,
      received_events_url: `${url}/received_events`,
      type: type ?? (login.endsWith("[bot]") ? "Bot" : "User"),
      user_view_type: "public",
      site_admin: false,
    };
  }

  function teamJson(ctx: UrlRoots, org: string, slug: string) {
    const key = `${org}/${slug}`;
    let id = teamIds.get(key);
    if (id === undefined) {
      id = 700 + teamIds.size;
      teamIds.set(key, id);
    }
    const url = `${ctx.api}/organizations/1/team/${id}`;
    return {
      id,
      node_id: nodeId("Team", id),
      url,
      html_url: `${ctx.web}/orgs/${org}/teams/${slug}`,
      name: slug,
      slug,
      description: null,
      privacy: "closed",
      notification_setting: "notifications_enabled",
      permission: "push",
      members_url: `${url}/members{/member}`,
      repositories_url: `${url}/repos`,
      type: "organization",
      parent: null,
    };
  }

  function repositoryJson(ctx: UrlRoots, repo: TestRepository, full = false) {
    const url = `${ctx.api}/repos/${repo.fullName}`;
    const html = `${ctx.web}/${repo.fullName}`;
    const created = isoSeconds(repo.createdAt);
    const openPulls = openPullCount(repo);
    const json: Record<string, unknown> = {
      id: repo.id,
      node_id: nodeId("Repository", repo.id),
      name: repo.name,
      full_name: repo.fullName,
      owner: simpleUser(ctx, repo.owner, "Organization"),
      private: repo.private,
      html_url: html,
      description: null,
      fork: false,
      url,
      archive_url: `${url}/{archive_format}{/ref}`,
      assignees_url: `${url}/assignees{/user}`,
      blobs_url: `${url}/git/blobs{/sha}`,
      branches_url: `${url}/branches{/branch}`,
      collaborators_url: `${url}/collaborators{/collaborator}`,
      comments_url: `${url}/comments{/number}`,
      commits_url: `${url}/commits{/sha}`,
      compare_url: `${url}/compare/{base}...{head}`,
      contents_url: `${url}/contents/{+path}`,
      contributors_url: `${url}/contributors`,
      deployments_url: `${url}/deployments`,
      downloads_url: `${url}/downloads`,
      events_url: `${url}/events`,
      forks_url: `${url}/forks`,
      git_commits_url: `${url}/git/commits{/sha}`,
      git_refs_url: `${url}/git/refs{/sha}`,
      git_tags_url: `${url}/git/tags{/sha}`,
      git_url: `${ctx.web.replace(/^https?:/, "git:")}/${repo.fullName}.git`,
      hooks_url: `${url}/hooks`,
      issue_comment_url: `${url}/issues/comments{/number}`,
      issue_events_url: `${url}/issues/events{/number}`,
      issues_url: `${url}/issues{/number}`,
      keys_url: `${url}/keys{/key_id}`,
      labels_url: `${url}/labels{/name}`,
      languages_url: `${url}/languages`,
      merges_url: `${url}/merges`,
      milestones_url: `${url}/milestones{/number}`,
      notifications_url: `${url}/notifications{?since,all,participating}`,
      pulls_url: `${url}/pulls{/number}`,
      releases_url: `${url}/releases{/id}`,
      ssh_url: `git@${new URL(ctx.web).host}:${repo.fullName}.git`,
      stargazers_url: `${url}/stargazers`,
      statuses_url: `${url}/statuses/{sha}`,
      subscribers_url: `${url}/subscribers`,
      subscription_url: `${url}/subscription`,
      tags_url: `${url}/tags`,
      teams_url: `${url}/teams`,
      trees_url: `${url}/git/trees{/sha}`,
      clone_url: `${html}.git`,
      mirror_url: null,
      svn_url: html,
      homepage: null,
      language: null,
      forks: 0,
      forks_count: 0,
      stargazers_count: 0,
      watchers_count: 0,
      watchers: 0,
      size: 1,
      default_branch: repo.defaultBranch,
      open_issues: openPulls,
      open_issues_count: openPulls,
      is_template: false,
      topics: [],
      has_issues: true,
      has_projects: true,
      has_wiki: false,
      has_pages: false,
      has_downloads: true,
      has_discussions: false,
      archived: false,
      disabled: false,
      visibility: repo.private ? "private" : "public",
      license: null,
      pushed_at: created,
      created_at: created,
      updated_at: created,
      allow_forking: true,
      web_commit_signoff_required: false,
    };
    if (full) {
      // What "get a repository" adds for an authenticated caller (recorded answers in @octokit/fixtures have all of it).
      Object.assign(json, {
        permissions: { admin: false, maintain: false, push: true, triage: true, pull: true },
        temp_clone_token: "",
        allow_squash_merge: true,
        allow_merge_commit: true,
        allow_rebase_merge: true,
        allow_auto_merge: false,
        delete_branch_on_merge: false,
        allow_update_branch: false,
        use_squash_pr_title_as_default: false,
        squash_merge_commit_title: "COMMIT_OR_PR_TITLE",
        squash_merge_commit_message: "COMMIT_MESSAGES",
        merge_commit_title: "MERGE_MESSAGE",
        merge_commit_message: "PR_TITLE",
        organization: simpleUser(ctx, repo.owner, "Organization"),
        network_count: 0,
        subscribers_count: 0,
      });
    }
    return json;
  }

  function commitJson(ctx: UrlRoots, repo: TestRepository, commit: CommitRecord) {
    const url = `${ctx.api}/repos/${repo.fullName}`;
    return {
      sha: commit.sha,
      node_id: nodeId("Commit", commit.sha),
      commit: {
        author: { name: commit.authorName, email: commit.authorEmail, date: isoSeconds(commit.authorDate) },
        committer: { name: commit.committerName, email: commit.committerEmail, date: isoSeconds(commit.committerDate) },
        message: commit.message.replace(/\n+$/, ""),
        tree: { sha: commit.tree, url: `${url}/git/trees/${commit.tree}` },
        url: `${url}/git/commits/${commit.sha}`,
        comment_count: 0,
        verification: { verified: false, reason: "unsigned", signature: null, payload: null, verified_at: null },
      },
      url: `${url}/commits/${commit.sha}`,
      html_url: `${ctx.web}/${repo.fullName}/commit/${commit.sha}`,
      comments_url: `${url}/commits/${commit.sha}/comments`,
      // GitHub links authors to accounts by verified email; the test server knows no emails.
      author: null,
      committer: null,
      parents: commit.parents.map((sha) => ({
        sha,
        url: `${url}/commits/${sha}`,
        html_url: `${ctx.web}/${repo.fullName}/commit/${sha}`,
      })),
    };
  }

  function gitCommitJson(ctx: UrlRoots, repo: TestRepository, commit: CommitRecord) {
    const url = `${ctx.api}/repos/${repo.fullName}`;
    return {
      sha: commit.sha,
      node_id: nodeId("Commit", commit.sha),
      url: `${url}/git/commits/${commit.sha}`,
      html_url: `${ctx.web}/${repo.fullName}/commit/${commit.sha}`,
      author: { name: commit.authorName, email: commit.authorEmail, date: isoSeconds(commit.authorDate) },
      committer: { name: commit.committerName, email: commit.committerEmail, date: isoSeconds(commit.committerDate) },
      tree: { sha: commit.tree, url: `${url}/git/trees/${commit.tree}` },
      message: commit.message.replace(/\n+$/, ""),
      parents: commit.parents.map((sha) => ({
        sha,
        url: `${url}/git/commits/${sha}`,
        html_url: `${ctx.web}/${repo.fullName}/commit/${sha}`,
      })),
      verification: { verified: false, reason: "unsigned", signature: null, payload: null, verified_at: null },
    };
  }

  function labelJson(ctx: UrlRoots, repo: TestRepository, name: string) {
    const label = repo.labels.get(name)!;
    return {
      id: label.id,
      node_id: nodeId("Label", label.id),
      url: `${ctx.api}/repos/${repo.fullName}/labels/${encodeURIComponent(name)}`,
      name,
      color: label.color,
      default: false,
      description: label.description,
    };
  }

  /** `mergeability` is what GitHub has computed so far (full answers only; null while computing). */
  async function pullJson(
    ctx: UrlRoots,
    repo: TestRepository,
    pull: TestPullRequest,
    full: boolean,
    mergeability: { mergeable: boolean | null; state: string } = { mergeable: null, state: "unknown" },
  ) {
    const url = `${ctx.api}/repos/${repo.fullName}/pulls/${pull.number}`;
    const issue = `${ctx.api}/repos/${repo.fullName}/issues/${pull.number}`;
    const html = `${ctx.web}/${repo.fullName}/pull/${pull.number}`;
    // Like GitHub, head and base show where the branches are now (the recorded sha once a branch is gone).
    const headSha = (await resolveCommit(repo.dir, `refs/heads/${pull.head.ref}`)) ?? pull.head.sha;
    const baseSha = pull.mergedAt ? pull.base.sha : ((await resolveCommit(repo.dir, `refs/heads/${pull.base.ref}`)) ?? pull.base.sha);
    const side = (ref: string, sha: string) => ({
      label: `${repo.owner}:${ref}`,
      ref,
      sha,
      user: simpleUser(ctx, repo.owner, "Organization"),
      repo: repositoryJson(ctx, repo),
    });
    const json: Record<string, unknown> = {
      url,
      id: pull.id,
      node_id: nodeId("PullRequest", pull.id),
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      issue_url: issue,
      commits_url: `${url}/commits`,
      review_comments_url: `${url}/comments`,
      review_comment_url: `${ctx.api}/repos/${repo.fullName}/pulls/comments{/number}`,
      comments_url: `${issue}/comments`,
      statuses_url: `${ctx.api}/repos/${repo.fullName}/statuses/${headSha}`,
      number: pull.number,
      state: pull.state,
      locked: false,
      title: pull.title,
      user: simpleUser(ctx, pull.user),
      body: pull.body,
      labels: pull.labels.map((name) => labelJson(ctx, repo, name)),
      milestone: null,
      active_lock_reason: null,
      created_at: isoSeconds(pull.createdAt),
      updated_at: isoSeconds(pull.updatedAt),
      closed_at: pull.closedAt ? isoSeconds(pull.closedAt) : null,
      merged_at: pull.mergedAt ? isoSeconds(pull.mergedAt) : null,
      merge_commit_sha: pull.mergeCommitSha,
      assignee: null,
      assignees: [],
      requested_reviewers: pull.requestedReviewers.map((login) => simpleUser(ctx, login)),
      requested_teams: pull.requestedTeams.map((slug) => teamJson(ctx, repo.owner, slug)),
      head: side(pull.head.ref, headSha),
      base: side(pull.base.ref, baseSha),
      _links: {
        self: { href: url },
        html: { href: html },
        issue: { href: issue },
        comments: { href: `${issue}/comments` },
        review_comments: { href: `${url}/comments` },
        review_comment: { href: `${ctx.api}/repos/${repo.fullName}/pulls/comments{/number}` },
        commits: { href: `${url}/commits` },
        statuses: { href: `${ctx.api}/repos/${repo.fullName}/statuses/${headSha}` },
      },
      author_association: "MEMBER",
      auto_merge: null,
      draft: pull.draft,
    };
    if (full) {
      const mergeBase = (await gitText(repo.dir, ["merge-base", baseSha, headSha]).catch(() => "")).trim();
      const commits = mergeBase ? Number((await gitText(repo.dir, ["rev-list", "--count", `${mergeBase}..${headSha}`])).trim()) : 0;
      let additions = 0;
      let deletions = 0;
      let changedFiles = 0;
      if (mergeBase) {
        for (const line of (await gitText(repo.dir, ["diff", "--numstat", mergeBase, headSha])).split("\n").filter(Boolean)) {
          const [added, deleted] = line.split("\t");
          additions += Number(added) || 0;
          deletions += Number(deleted) || 0;
          changedFiles++;
        }
      }
      Object.assign(json, {
        merged: pull.mergedAt !== null,
        mergeable: mergeability.mergeable,
        rebaseable: mergeability.mergeable,
        mergeable_state: mergeability.state,
        merged_by: pull.mergedBy ? simpleUser(ctx, pull.mergedBy) : null,
        comments: 0,
        review_comments: 0,
        maintainer_can_modify: false,
        commits,
        additions,
        deletions,
        changed_files: changedFiles,
      });
    }
    return json;
  }

  return { userId, simpleUser, teamJson, repositoryJson, commitJson, gitCommitJson, labelJson, pullJson };
}
