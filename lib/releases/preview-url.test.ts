import { describe, expect, it } from "vitest";
import { workspaceConfigSchema } from "@/lib/config/schema";
import { previewTemplateProblem, previewUrlFor, repositoryName, slugForDns } from "./preview-url";

const values = { repo: "acme/shop-stack", branch: "slipway/shop-dev/upgrade-payments-1.4.2-3f2a9c1", environment: "shop-dev" };

describe("slugForDns", () => {
  it("lower-cases, turns every run of other characters into one hyphen and trims hyphens at the ends", () => {
    expect(slugForDns("Feature/PAY-12_retry..captures")).toBe("feature-pay-12-retry-captures");
    expect(slugForDns("--/release/1.4--")).toBe("release-1-4");
    expect(slugForDns("already-fine-123")).toBe("already-fine-123");
    expect(slugForDns("ünïcode")).toBe("n-code");
  });

  it("keeps at most 63 characters, without ending on a hyphen", () => {
    const slug = slugForDns(`${"a".repeat(62)}/b`);
    expect(slug).toBe("a".repeat(62));
    expect(slugForDns("x".repeat(100))).toHaveLength(63);
  });
});

describe("repositoryName", () => {
  it.each([
    ["acme/shop-stack", "shop-stack"],
    ["/srv/git/shop.git", "shop"],
    ["git@github.com:acme/shop.git", "shop"],
    ["https://git.example.com/acme/Shop-Stack.git/", "Shop-Stack"],
    ["./stacks/payments", "payments"],
  ])("%s → %s", (repo, name) => expect(repositoryName(repo)).toBe(name));
});

describe("previewUrlFor", () => {
  it("fills in the repository's name, the branch and the environment, each slugged for DNS", () => {
    expect(previewUrlFor("https://{repo}-{branch}.dev.example.com", values)).toBe(
      "https://shop-stack-slipway-shop-dev-upgrade-payments-1-4-2-3f2a9c1.dev.example.com",
    );
    expect(previewUrlFor("http://preview.example.com:8080/{environment}/{branch}?from={repo}", { ...values, branch: "Feature/X" })).toBe(
      "http://preview.example.com:8080/shop-dev/feature-x?from=shop-stack",
    );
  });

  it("cuts a host label that comes out longer than 63 characters, and leaves the rest of the URL alone", () => {
    const url = previewUrlFor("https://{repo}-{branch}.dev.example.com/{branch}", { ...values, repo: "acme/a-rather-long-stack-repository-name" });
    const host = new URL(url!).hostname;
    expect(host.split(".")[0]).toHaveLength(63);
    expect(host.split(".")[0]).not.toMatch(/-$/);
    expect(host.endsWith(".dev.example.com")).toBe(true);
    expect(url!.endsWith("/slipway-shop-dev-upgrade-payments-1-4-2-3f2a9c1")).toBe(true);
  });

  it("gives nothing for an unknown placeholder, a value with nothing DNS can use, or what is not an http(s) URL", () => {
    expect(previewUrlFor("https://{service}.example.com", values)).toBeUndefined();
    expect(previewUrlFor("https://{branch}.example.com", { ...values, branch: "///" })).toBeUndefined();
    expect(previewUrlFor("ftp://{branch}.example.com", values)).toBeUndefined();
    expect(previewUrlFor("javascript:alert({branch})", values)).toBeUndefined();
    expect(previewUrlFor("https://", values)).toBeUndefined();
  });
});

describe("previewTemplateProblem", () => {
  it("accepts templates that give an http(s) URL and names what is wrong with the others", () => {
    expect(previewTemplateProblem("https://{repo}-{branch}.dev.example.com")).toBeUndefined();
    expect(previewTemplateProblem("https://preview.example.com/{environment}")).toBeUndefined();
    expect(previewTemplateProblem("https://{service}.example.com")).toMatch(/placeholders \{repo\}, \{branch\}, \{environment\} \(not \{service\}\)/);
    expect(previewTemplateProblem("{branch}.example.com")).toMatch(/http:\/\/ or https:\/\//);
  });
});

describe("an environment's previewUrl in slipway.yaml", () => {
  const parse = (previewUrl: string) => workspaceConfigSchema.safeParse({ environments: [{ name: "shop-dev", repo: "acme/shop-stack", previewUrl }] });

  it("is kept as written when it gives an http(s) URL, and refused with the reason otherwise", () => {
    const parsed = parse("https://{repo}-{branch}.dev.example.com");
    expect(parsed.success && parsed.data.environments[0]!.previewUrl).toBe("https://{repo}-{branch}.dev.example.com");
    const refused = parse("https://{service}.dev.example.com");
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]).toMatchObject({ path: ["environments", 0, "previewUrl"], message: expect.stringContaining("(not {service})") });
  });
});
