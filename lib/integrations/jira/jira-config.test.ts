import { describe, expect, it } from "vitest";
import { doneTransitionFor, jiraConfigSchema, jiraEndpoint, readJiraSecret } from "./jira-config";

const cloud = { url: "https://acme.atlassian.net", deployment: "cloud", auth: { emailEnv: "JIRA_EMAIL", tokenEnv: "JIRA_API_TOKEN" } };

describe("jiraConfigSchema", () => {
  it("fills the defaults", () => {
    expect(jiraConfigSchema.parse(cloud)).toMatchObject({
      fixVersionPattern: "{service}/{environment}/{date}/{version}",
      doneTransition: "Done",
      doneTransitionByProject: {},
      rollback: { label: "rolled-back" },
      cacheSeconds: 60,
      timeoutSeconds: 30,
    });
  });

  it("takes protocol, host, port and base path instead of a URL, not both", () => {
    const config = jiraConfigSchema.parse({ protocol: "https", host: "jira.example.com", port: 8443, basePath: "/jira/", deployment: "datacenter", auth: { tokenEnv: "JIRA_PAT" } });
    expect(jiraEndpoint(config)).toEqual({ protocol: "https", host: "jira.example.com", port: 8443, base: "/jira", siteUrl: "https://jira.example.com:8443/jira" });
    expect(jiraEndpoint(jiraConfigSchema.parse({ ...cloud, url: "https://jira.example.com/jira/" }))).toMatchObject({ base: "/jira", siteUrl: "https://jira.example.com/jira" });
    expect(jiraConfigSchema.safeParse({ ...cloud, host: "x" }).success).toBe(false);
    expect(jiraConfigSchema.safeParse({ deployment: "cloud", auth: cloud.auth }).success).toBe(false);
  });

  it("matches the sign-in to the deployment", () => {
    const wrong = jiraConfigSchema.safeParse({ ...cloud, auth: { tokenEnv: "JIRA_PAT" } });
    expect(wrong.success).toBe(false);
    expect(JSON.stringify(wrong.error?.issues)).toContain("email and API token");
    expect(jiraConfigSchema.safeParse({ ...cloud, deployment: "datacenter" }).success).toBe(false);
  });

  it("checks the fix version pattern, labels, project keys and unknown keys", () => {
    expect(jiraConfigSchema.safeParse({ ...cloud, fixVersionPattern: "{service}/{team}/{version}" }).success).toBe(false);
    expect(jiraConfigSchema.safeParse({ ...cloud, fixVersionPattern: "{service}" }).success).toBe(false);
    expect(jiraConfigSchema.safeParse({ ...cloud, rollback: { label: "rolled back" } }).success).toBe(false);
    expect(jiraConfigSchema.safeParse({ ...cloud, projects: ["pay-1"] }).success).toBe(false);
    expect(jiraConfigSchema.safeParse({ ...cloud, token: "secret" }).success).toBe(false);
    expect(jiraConfigSchema.parse({ ...cloud, projects: ["pay"] }).projects).toEqual(["PAY"]);
  });

  it("picks the done transition per project", () => {
    const config = jiraConfigSchema.parse({ ...cloud, doneTransition: "Resolve", doneTransitionByProject: { ops: "Close" } });
    expect(doneTransitionFor(config, "OPS")).toBe("Close");
    expect(doneTransitionFor(config, "PAY")).toBe("Resolve");
  });
});

describe("readJiraSecret", () => {
  const config = jiraConfigSchema.parse(cloud);
  it("reads the variables the config names", () => {
    expect(readJiraSecret(config, { JIRA_EMAIL: "bot@acme.com", JIRA_API_TOKEN: " t0k " })).toEqual({ enabled: true, secret: { kind: "basic", email: "bot@acme.com", token: "t0k" } });
    const dc = jiraConfigSchema.parse({ url: "https://jira.example.com", deployment: "datacenter", auth: { tokenEnv: "JIRA_PAT" } });
    expect(readJiraSecret(dc, { JIRA_PAT: "pat" })).toEqual({ enabled: true, secret: { kind: "bearer", token: "pat" } });
  });

  it("turns Jira off, naming the missing variable, instead of failing", () => {
    expect(readJiraSecret(config, {})).toEqual({ enabled: false, reason: expect.stringContaining("set JIRA_API_TOKEN") });
    expect(readJiraSecret(config, { JIRA_API_TOKEN: "t" })).toEqual({ enabled: false, reason: expect.stringContaining("set JIRA_EMAIL") });
  });
});
