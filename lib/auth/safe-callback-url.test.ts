import { describe, expect, it } from "vitest";
import { safeCallbackUrl, siteOrigin } from "./safe-callback-url";

const origin = "https://slipway.example.com";

describe("safeCallbackUrl", () => {
  it.each([
    ["/environments/shop-production", "/environments/shop-production"],
    ["/admin/audit?actor=ada#top", "/admin/audit?actor=ada#top"],
    ["https://slipway.example.com/releases/4", "/releases/4"],
    ["/environments/ünïcode", "/environments/%C3%BCn%C3%AFcode"],
    ["/a/../releases", "/releases"],
    ["releases", "/releases"],
  ])("keeps %j on this site as %j", (raw, expected) => {
    expect(safeCallbackUrl(raw, origin)).toBe(expected);
  });

  it.each([
    ["a tab that browsers drop", "/\t/evil.example"],
    ["a newline", "/\n/evil.example"],
    ["a carriage return", "/\r/evil.example"],
    ["a NUL", "/\u0000"],
    ["a C1 control", "/\u0085/evil.example"],
    ["a backslash", "/\\evil.example"],
    ["a protocol-relative URL", "//evil.example/path"],
    ["another origin", "https://evil.example/"],
    ["another port", "https://slipway.example.com:8443/"],
    ["a plain-http downgrade", "http://slipway.example.com/"],
    ["credentials in the URL", "https://user:pass@slipway.example.com/"],
    ["javascript:", "javascript:alert(1)"],
    ["data:", "data:text/html,hi"],
    ["an empty string", ""],
    ["not a string", ["/a", "/b"]],
  ])("refuses %s", (_label, raw) => {
    expect(safeCallbackUrl(raw, origin)).toBe("/");
  });
});

describe("siteOrigin", () => {
  it("prefers NEXTAUTH_URL, else the host the request was made to", () => {
    const headers = new Headers({ host: "127.0.0.1:3100" });
    expect(siteOrigin(headers, { nextAuthUrl: "https://slipway.example.com/base" })).toBe(origin);
    expect(siteOrigin(headers, {})).toBe("http://127.0.0.1:3100");
    expect(siteOrigin(new Headers({ host: "bad host/" }), {})).toBe("http://localhost");
  });
});
