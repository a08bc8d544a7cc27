import { describe, expect, it, vi } from "vitest";
import type { RegistryClient } from "./registry-client";
import { scopeRegistryClient } from "./scope-registry-client";
import type { ChartVersion, RegistryEndpoint } from "./types";

const helm: RegistryEndpoint = { name: "demo", url: "file://./registry", auth: { type: "none" } };
const oci: RegistryEndpoint = { name: "oci", url: "oci://registry.example.com/charts", auth: { type: "none" } };
const v = (version: string): ChartVersion => ({ version, deprecated: false });
const stats = () => ({ requests: 0, notModified: 0, bytes: 0 });

function fakeClient() {
  return {
    loadIndex: vi.fn(async () => new Map([["orders", [v("1.2.0"), v("1.10.0"), v("1.9.1")]]])),
    listChartVersions: vi.fn(async () => [v("2.0.0")]),
  } satisfies RegistryClient;
}

describe("scopeRegistryClient", () => {
  it("loads each index once per scope and sorts each chart once, handing every caller its own array", async () => {
    const client = fakeClient();
    const scope = scopeRegistryClient(client);
    const [a, b] = await Promise.all([scope.listChartVersions(helm, "orders", stats()), scope.listChartVersions(helm, "orders", stats())]);
    const c = await scope.listChartVersions(helm, "orders", stats());
    expect(a!.map((x) => x.version)).toEqual(["1.10.0", "1.9.1", "1.2.0"]);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    expect(a).not.toBe(b);
    expect(await scope.listChartVersions(helm, "missing", stats())).toBeUndefined();
    expect(client.loadIndex).toHaveBeenCalledTimes(1);
  });

  it("asks an OCI registry once per chart per scope; a new scope asks again", async () => {
    const client = fakeClient();
    const scope = scopeRegistryClient(client);
    await scope.listChartVersions(oci, "risk-engine", stats());
    await scope.listChartVersions(oci, "risk-engine", stats());
    expect(client.listChartVersions).toHaveBeenCalledTimes(1);
    await scopeRegistryClient(client).listChartVersions(oci, "risk-engine", stats());
    expect(client.listChartVersions).toHaveBeenCalledTimes(2);
  });
});
