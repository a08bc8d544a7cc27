import { describe, expect, it } from "vitest";
import { parseRepositoryRef } from "./parse-repository-ref";

describe("parseRepositoryRef", () => {
  it.each([
    ["https://charts.example.com", { kind: "http", url: "https://charts.example.com" }],
    ["http://chartmuseum.local:8080/", { kind: "http", url: "http://chartmuseum.local:8080/" }],
    ["oci://ghcr.io/acme/charts", { kind: "oci", url: "oci://ghcr.io/acme/charts" }],
    ["file://../common", { kind: "file", path: "../common" }],
    ["@stable", { kind: "alias", name: "stable" }],
    ["alias:internal", { kind: "alias", name: "internal" }],
    ["", { kind: "none" }],
    ["   ", { kind: "none" }],
  ])("reads %j", (raw, expected) => {
    expect(parseRepositoryRef(raw)).toEqual(expected);
  });

  // Helm matches both prefixes case-sensitively and the name exactly.
  it.each(["stable", "ftp://example.com", "@", "alias:", "ALIAS:internal", "Alias:internal", "@ stable", "alias: internal"])("refuses %j", (raw) => {
    expect(parseRepositoryRef(raw)).toBeUndefined();
  });
});
