import { describe, expect, it } from "vitest";
import { grafanaConfigSchema } from "./grafana-config";

describe("grafanaConfigSchema", () => {
  const base = { url: "https://grafana.example.com", tokenEnv: "GRAFANA_TOKEN" };

  it("accepts a URL, a token variable, a dashboard template and UID", () => {
    expect(
      grafanaConfigSchema.safeParse({ ...base, dashboardUrlTemplate: "https://grafana.example.com/d/abc?var-env={environment}&var-service={service}", dashboardUID: "abc_D-1" }).success,
    ).toBe(true);
  });

  it("rejects unknown placeholders, non-http templates, bad UIDs and plain http off loopback", () => {
    expect(grafanaConfigSchema.safeParse({ ...base, dashboardUrlTemplate: "https://g.example.com/d/{env}" }).success).toBe(false);
    expect(grafanaConfigSchema.safeParse({ ...base, dashboardUrlTemplate: "javascript:alert({service})" }).success).toBe(false);
    expect(grafanaConfigSchema.safeParse({ ...base, dashboardUID: "a/b" }).success).toBe(false);
    expect(grafanaConfigSchema.safeParse({ ...base, url: "http://grafana.example.com" }).success).toBe(false);
    expect(grafanaConfigSchema.safeParse({ ...base, url: "http://127.0.0.1:3000" }).success).toBe(true);
    expect(grafanaConfigSchema.safeParse({ ...base, token: "x" }).success).toBe(false);
  });
});
