import { describe, expect, it } from "vitest";
import { locateOciRepository, nextPageUrl, parseChallenge, tagToChartVersion } from "./oci-registry";

describe("locateOciRepository", () => {
  it("uses https, and plain http for loopback hosts unless told otherwise", () => {
    expect(locateOciRepository("oci://ghcr.io/acme/charts", "web")).toEqual({
      origin: "https://ghcr.io",
      repository: "acme/charts/web",
    });
    expect(locateOciRepository("oci://127.0.0.1:5000/charts/", "web")).toEqual({
      origin: "http://127.0.0.1:5000",
      repository: "charts/web",
    });
    expect(locateOciRepository("oci://localhost:5000", "web").origin).toBe("http://localhost:5000");
    expect(locateOciRepository("oci://[::1]:5000", "web").origin).toBe("http://[::1]:5000");
    expect(locateOciRepository("oci://localhost:5000", "web", false).origin).toBe("https://localhost:5000");
    expect(locateOciRepository("oci://registry.internal", "web", true).origin).toBe("http://registry.internal");
  });

  it("rejects URLs that are not oci://host/path", () => {
    expect(() => locateOciRepository("https://ghcr.io/acme", "web")).toThrow("not an OCI registry URL");
  });
});

describe("tagToChartVersion", () => {
  it("turns Helm's `_` back into `+`", () => {
    expect(tagToChartVersion("1.0.0_build.5")).toEqual({ version: "1.0.0+build.5", deprecated: false });
  });
});

describe("parseChallenge", () => {
  it("reads Bearer and Basic challenges", () => {
    expect(
      parseChallenge('Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull"'),
    ).toEqual({
      scheme: "bearer",
      params: { realm: "https://auth.example/token", service: "registry.example", scope: "repository:a/b:pull" },
    });
    expect(parseChallenge('Basic realm="Registry Realm"')).toEqual({ scheme: "basic", params: { realm: "Registry Realm" } });
    expect(parseChallenge("Bearer realm=https://x/token, error=invalid_token")?.params).toEqual({
      realm: "https://x/token",
      error: "invalid_token",
    });
    expect(parseChallenge(null)).toBeUndefined();
  });
});

describe("nextPageUrl", () => {
  const current = "https://r.example/v2/a/tags/list";
  it("resolves the rel=next target against the current page", () => {
    expect(nextPageUrl('</v2/a/tags/list?n=2&last=b>; rel="next"', current, "https://r.example", "r")).toBe(
      "https://r.example/v2/a/tags/list?n=2&last=b",
    );
    expect(
      nextPageUrl('<https://r.example/first>; rel="first", <?last=c>; rel=next', current, "https://r.example", "r"),
    ).toBe("https://r.example/v2/a/tags/list?last=c");
    expect(nextPageUrl('</x>; rel="prev"', current, "https://r.example", "r")).toBeUndefined();
    expect(nextPageUrl(null, current, "https://r.example", "r")).toBeUndefined();
  });

  it("refuses links to another origin", () => {
    expect(() => nextPageUrl('<https://evil.example/x>; rel="next"', current, "https://r.example", "r")).toThrow(
      "another host",
    );
  });
});
