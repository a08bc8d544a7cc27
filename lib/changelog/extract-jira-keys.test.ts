import { describe, expect, it } from "vitest";
import { extractJiraKeys } from "./extract-jira-keys";

describe("extractJiraKeys", () => {
  it.each([
    ["PAY-123: add refunds", ["PAY-123"]],
    ["[PAY-123] add refunds", ["PAY-123"]],
    ["[PAY-123][PAY-124] two tickets", ["PAY-123", "PAY-124"]],
    ["PAY-1 PAY-2 PAY-3 three at once", ["PAY-1", "PAY-2", "PAY-3"]],
    ["PAY-1, PAY-2; PAY-3/PAY-4", ["PAY-1", "PAY-2", "PAY-3", "PAY-4"]],
    ["feat(api): support refunds (PAY-42)", ["PAY-42"]],
    ["fix: rounding in totals\n\nFixes PAY-7\nRefs: OPS-12", ["PAY-7", "OPS-12"]],
    ["Merge pull request #12 from acme/PAY-9-retry-webhooks", ["PAY-9"]],
    ["see https://acme.atlassian.net/browse/PAY-77 for details", ["PAY-77"]],
    ["the cause was PAY-12.", ["PAY-12"]],
    ["A2B-5 and AB_C-6 are valid project keys", ["A2B-5", "AB_C-6"]],
    ["ABCDEFGHIJ-1 has a ten-character project key", ["ABCDEFGHIJ-1"]],
    ["no tickets in this one", []],
  ])("finds the keys in %j", (text, keys) => {
    expect(extractJiraKeys(text)).toEqual(keys);
  });

  it("de-duplicates, keeping the order of first appearance", () => {
    expect(extractJiraKeys("PAY-2: follow-up to PAY-1\n\nPAY-2 again, and PAY-1, and OPS-3")).toEqual([
      "PAY-2",
      "PAY-1",
      "OPS-3",
    ]);
  });

  it.each([
    ["X-1 is a one-letter project, which Jira does not allow"],
    ["ABCDEFGHIJK-1 has an eleven-character project key"],
    ["PAY-0 and PAY-012 are not issue numbers"],
    ["xPAY-1 and PAY-1x are parts of other words"],
    ["pay-123 is lowercase"],
    ["Release-2 is not all capitals"],
    ["RELEASE-1.2.3 is a version, not a ticket"],
    ["PAY_1 and PAY 1 have no hyphen"],
  ])("finds nothing in %j", (text) => {
    expect(extractJiraKeys(text)).toEqual([]);
  });

  it("ignores lowercase keys: Jira keys are uppercase, and lowercase would read utf-8 or node-20 as tickets", () => {
    expect(extractJiraKeys("pay-1: lowercase, Pay-2 mixed, PAY-3 upper")).toEqual(["PAY-3"]);
    expect(extractJiraKeys("pay-1 fixed", ["PAY"])).toEqual([]);
  });

  it("ignores standards, hashes and CVE ids that look like keys", () => {
    expect(
      extractJiraKeys(
        "PAY-5: read UTF-8 and UTF-16, sign with SHA-256 (not SHA-1), dates in ISO-8601 and ISO-8859-1, " +
          "patch CVE-2024-12345 and CWE-79, HTTP-2 only, X86-64 and ARM-64 images, now on GPT-4 and ES-2015, RFC-3339",
      ),
    ).toEqual(["PAY-5"]);
  });

  it("keeps only the given projects, case-insensitively named, and then trusts them over the denylist", () => {
    const text = "PAY-1: OPS-2 and SEC-3 and ISO-4";
    expect(extractJiraKeys(text, ["PAY"])).toEqual(["PAY-1"]);
    expect(extractJiraKeys(text, ["pay", " sec "])).toEqual(["PAY-1", "SEC-3"]);
    expect(extractJiraKeys(text, ["ISO"])).toEqual(["ISO-4"]);
    expect(extractJiraKeys(text, [])).toEqual([]);
  });

  describe("which projects count", () => {
    const text = "PAY-1: run on JDK-17 with KIP-500 and SQL-92 (OPS-2, SEC-3)";
    it.each<[string, readonly string[] | undefined, string[]]>([
      ["no jiraProject: every project, but not standards", undefined, ["PAY-1", "OPS-2", "SEC-3"]],
      ["the service's jiraProject", ["PAY"], ["PAY-1"]],
      ["the project keys a configured Jira knows", ["PAY", "OPS"], ["PAY-1", "OPS-2"]],
      ["known project keys trump the denylist", ["PAY", "KIP"], ["PAY-1", "KIP-500"]],
      ["a configured Jira that knows no projects", [], []],
    ])("%s", (_case, projects, keys) => {
      expect(extractJiraKeys(text, projects)).toEqual(keys);
    });
  });

  it.each([
    ["JDK-8"],
    ["JDK-17"],
    ["JRE-11"],
    ["JEP-444"],
    ["JSR-310"],
    ["KIP-500"],
    ["KEP-1287"],
    ["SQL-92"],
    ["UTC-5"],
    ["GMT-8"],
  ])("without a project, does not take %s for a ticket", (token) => {
    expect(extractJiraKeys(`PAY-9: support ${token}`)).toEqual(["PAY-9"]);
  });
});
