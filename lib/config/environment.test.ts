import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseEnvironment } from "./environment";

describe("parseEnvironment", () => {
  it("gives the documented defaults for an empty environment", () => {
    const env = parseEnvironment({});
    expect(env).toMatchObject({
      configPath: path.resolve("slipway.yaml"),
      databaseUrl: undefined,
      dataDir: path.resolve(".slipway/data"),
      cacheDir: path.resolve(".slipway/cache/git"),
      refreshOnStart: true,
      logLevel: "info",
      localAccounts: true,
      trustedProxies: 0,
      oidc: undefined,
      githubOAuth: undefined,
    });
  });

  it("reads blank as unset and trims what people paste", () => {
    const env = parseEnvironment({ SLIPWAY_CONFIG: "  ", SLIPWAY_USER: " dana ", DATABASE_URL: "" });
    expect(env.configPath).toBe(path.resolve("slipway.yaml"));
    expect(env.cli.user).toBe("dana");
    expect(env.databaseUrl).toBeUndefined();
  });

  it("switches providers on only when their variables are complete", () => {
    expect(parseEnvironment({ OIDC_ISSUER: "https://idp.example.com/" }).oidc).toBeUndefined();
    expect(parseEnvironment({ OIDC_ISSUER: "https://idp.example.com/", OIDC_CLIENT_ID: "slipway" }).oidc).toEqual({
      issuer: "https://idp.example.com",
      clientId: "slipway",
      clientSecret: undefined,
      name: "Single sign-on",
      scope: "openid email profile",
      groupsClaim: "groups",
    });
    expect(parseEnvironment({ GITHUB_CLIENT_ID: "id" }).githubOAuth).toBeUndefined();
    expect(parseEnvironment({ GITHUB_CLIENT_ID: "id", GITHUB_CLIENT_SECRET: "s", GITHUB_URL: "https://ghe.example.com/" }).githubOAuth).toEqual({
      clientId: "id",
      clientSecret: "s",
      webUrl: "https://ghe.example.com",
    });
  });

  it.each([
    ["SLIPWAY_REFRESH_ON_START", "0", { refreshOnStart: false }],
    ["SLIPWAY_REFRESH_ON_START", "yes", { refreshOnStart: true }],
    ["SLIPWAY_LOCAL_ACCOUNTS", "off", { localAccounts: false }],
    ["SLIPWAY_TRUSTED_PROXIES", "2", { trustedProxies: 2 }],
    ["NODE_ENV", "test", { logLevel: "silent" }],
    ["SLIPWAY_HEAP_GROWTH_PERCENT", "", { heapGrowthPercent: 20 }],
    ["SLIPWAY_HEAP_GROWTH_PERCENT", "0", { heapGrowthPercent: 0 }],
    ["SLIPWAY_HEAP_GROWTH_PERCENT", "50", { heapGrowthPercent: 50 }],
  ])("%s=%s", (name, value, expected) => {
    expect(parseEnvironment({ [name]: value })).toMatchObject(expected);
  });

  it.each([
    ["SLIPWAY_REFRESH_ON_START", "maybe"],
    ["SLIPWAY_TRUSTED_PROXIES", "-1"],
    ["SLIPWAY_TRUSTED_PROXIES", "one"],
    ["DATABASE_URL", "mysql://db/slipway"],
    ["LOG_LEVEL", "loud"],
    ["NEXTAUTH_URL", "javascript:alert(1)"],
    ["SLIPWAY_HEAP_GROWTH_PERCENT", "500"],
    ["SLIPWAY_HEAP_GROWTH_PERCENT", "1.5"],
    ["SLIPWAY_HEAP_GROWTH_PERCENT", "-5"],
  ])("refuses %s=%s with the variable's name and the fix", (name, value) => {
    expect(() => parseEnvironment({ [name]: value })).toThrow(new RegExp(`^Environment variable ${name} is invalid: .+\\. Fix or unset it\\.$`));
  });

  it("hands out the secrets slipway.yaml names exactly as set", () => {
    const env = parseEnvironment({ CHARTS_PASSWORD: " pa ss ", EMPTY: "" });
    expect(env.secret("CHARTS_PASSWORD")).toBe(" pa ss ");
    expect(env.secret("EMPTY")).toBeUndefined();
    expect(env.secret("MISSING")).toBeUndefined();
  });
});
