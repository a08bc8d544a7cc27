import { describe, expect, it } from "vitest";
import { MAX_AUTHORIZATION_LENGTH, checkMetricsToken } from "./check-metrics-token";

const TOKEN = "0123456789abcdef0123456789abcdef";

describe("checkMetricsToken", () => {
  it("accepts exactly `Bearer <token>`, the scheme in any case", () => {
    expect(checkMetricsToken(`Bearer ${TOKEN}`, TOKEN)).toBe(true);
    expect(checkMetricsToken(`BEARER  ${TOKEN}`, TOKEN)).toBe(true);
  });

  it.each([
    ["no header", null],
    ["an empty header", ""],
    ["another token", `Bearer ${TOKEN.replace(/f$/, "e")}`],
    ["a prefix", `Bearer ${TOKEN.slice(0, 8)}`],
    ["more after the token", `Bearer ${TOKEN} ${TOKEN}`],
    ["another scheme", `Token ${TOKEN}`],
    ["no scheme", TOKEN],
  ])("refuses %s", (_, header) => {
    expect(checkMetricsToken(header, TOKEN)).toBe(false);
  });

  it("refuses a header over the length bound without comparing, even when it carries the token", () => {
    const long = "t".repeat(MAX_AUTHORIZATION_LENGTH);
    expect(checkMetricsToken(`Bearer ${long}`, long)).toBe(false);
    const fits = "t".repeat(MAX_AUTHORIZATION_LENGTH - "Bearer ".length);
    expect(checkMetricsToken(`Bearer ${fits}`, fits)).toBe(true);
  });
});
