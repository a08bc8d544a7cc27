import { describe, expect, it } from "vitest";
import { annotationUrl, dashboardUrl } from "./dashboard-url";

const template = "https://grafana.example.com/d/abc/services?var-env={environment}&var-service={service}";

describe("dashboardUrl", () => {
  it("fills in the environment and the service", () => {
    expect(dashboardUrl(template, { environment: "shop-production", service: "checkout" })).toBe(
      "https://grafana.example.com/d/abc/services?var-env=shop-production&var-service=checkout",
    );
  });

  it("URL-encodes values, so one cannot add a parameter or change the path", () => {
    expect(dashboardUrl(template, { environment: "a&var-x=1", service: "b c/d#e" })).toBe(
      "https://grafana.example.com/d/abc/services?var-env=a%26var-x%3D1&var-service=b%20c%2Fd%23e",
    );
    expect(dashboardUrl("https://g.example.com/d/{service}", { environment: "x", service: "../admin" })).toBe("https://g.example.com/d/..%2Fadmin");
  });

  it("replaces every occurrence and leaves a template without placeholders alone", () => {
    expect(dashboardUrl("https://g.example.com/d/x?a={service}&b={service}", { environment: "e", service: "s" })).toBe("https://g.example.com/d/x?a=s&b=s");
    expect(dashboardUrl("https://g.example.com/d/x", { environment: "e", service: "s" })).toBe("https://g.example.com/d/x");
  });
});

describe("annotationUrl", () => {
  it("adds a time range around the annotation, before any fragment", () => {
    const time = new Date(10_000_000);
    expect(annotationUrl(template, { environment: "e", service: "s", time }, 1000)).toBe(
      "https://grafana.example.com/d/abc/services?var-env=e&var-service=s&from=9999000&to=10001000",
    );
    expect(annotationUrl("https://g.example.com/d/x#panel", { environment: "e", service: "s", time }, 0)).toBe(
      "https://g.example.com/d/x?from=10000000&to=10000000#panel",
    );
  });
});
