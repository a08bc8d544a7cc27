import { describe, expect, it } from "vitest";
import { serviceDashboardLink } from "./service-dashboard-link";

describe("serviceDashboardLink", () => {
  const template = "https://grafana.example.com/d/abc/services?var-env={environment}&var-service={service}";

  it("fills the environment and the service into grafana.dashboardUrlTemplate, URL-encoded", () => {
    expect(serviceDashboardLink(template, { environment: "shop-production", service: "checkout" }, "https://grafana.example.com/d/own")).toBe(
      "https://grafana.example.com/d/abc/services?var-env=shop-production&var-service=checkout",
    );
    // A value can neither add a parameter nor change the path.
    expect(serviceDashboardLink(template, { environment: "eu/prod", service: "a&var-x=1" }, undefined)).toBe(
      "https://grafana.example.com/d/abc/services?var-env=eu%2Fprod&var-service=a%26var-x%3D1",
    );
  });

  it("keeps the service's own grafanaDashboard link without a template, and no link without either", () => {
    expect(serviceDashboardLink(undefined, { environment: "shop-production", service: "checkout" }, "https://grafana.example.com/d/orders")).toBe(
      "https://grafana.example.com/d/orders",
    );
    expect(serviceDashboardLink(undefined, { environment: "shop-production", service: "checkout" }, undefined)).toBeUndefined();
  });
});
