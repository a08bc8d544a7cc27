import { describe, expect, it } from "vitest";
import { githubConfigSchema } from "@/lib/config/schema";
import { commitWebUrl, repositoryWebUrl } from "./repository-web-url";

const sha = "0123456789abcdef0123456789abcdef01234567";
const github = githubConfigSchema.parse({ auth: { tokenEnv: "GITHUB_TOKEN" } });
const enterprise = githubConfigSchema.parse({ apiUrl: "https://github.example.com/api/v3", auth: { tokenEnv: "GITHUB_TOKEN" } });

describe("commitWebUrl", () => {
  it("links an owner/name repository's commit on GitHub, github.com by default, else webUrl or the Enterprise host", () => {
    expect(commitWebUrl(github, "acme/payments", sha)).toBe(`https://github.com/acme/payments/commit/${sha}`);
    expect(commitWebUrl(enterprise, "acme/payments", sha)).toBe(`https://github.example.com/acme/payments/commit/${sha}`);
    expect(commitWebUrl({ ...github, webUrl: "https://code.example.com/" }, "acme/payments.git", sha)).toBe(`https://code.example.com/acme/payments/commit/${sha}`);
  });

  it("links a commit of a repository given as an https URL, without .git", () => {
    expect(commitWebUrl(undefined, "https://gitea.example.com/acme/payments.git", sha)).toBe(`https://gitea.example.com/acme/payments/commit/${sha}`);
  });

  it("has no link for paths, other git URLs, owner/name without a github section, or what is not a commit id", () => {
    expect(commitWebUrl(github, "./repos/services/payments", sha)).toBeUndefined();
    expect(commitWebUrl(github, "/srv/git/payments.git", sha)).toBeUndefined();
    expect(commitWebUrl(github, "git@github.com:acme/payments.git", sha)).toBeUndefined();
    expect(commitWebUrl(undefined, "acme/payments", sha)).toBeUndefined();
    expect(commitWebUrl(github, "acme/payments", "main; rm -rf")).toBeUndefined();
    expect(repositoryWebUrl(undefined, "https://example.com")).toBeUndefined();
  });
});
