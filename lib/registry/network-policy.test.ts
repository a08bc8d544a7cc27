import { describe, expect, it } from "vitest";
import { classifyAddress, decideHop, hostKeys, networkScopeOf, type NetworkScope } from "./network-policy";

describe("classifyAddress", () => {
  it.each([
    ["0.0.0.0", "unspecified"],
    ["0.1.2.3", "unspecified"],
    ["127.0.0.1", "loopback"],
    ["127.255.255.254", "loopback"],
    ["10.0.0.1", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.1", "private"],
    ["100.64.0.1", "private"],
    ["100.127.255.255", "private"],
    ["169.254.169.254", "link-local"],
    ["169.254.0.1", "link-local"],
    ["224.0.0.1", "multicast"],
    ["239.255.255.250", "multicast"],
    ["255.255.255.255", "reserved"],
    ["240.0.0.1", "reserved"],
    ["192.0.2.10", "reserved"],
    ["198.18.0.1", "reserved"],
    ["8.8.8.8", "public"],
    ["1.1.1.1", "public"],
    ["172.15.255.255", "public"],
    ["172.32.0.1", "public"],
    ["100.63.255.255", "public"],
    ["100.128.0.1", "public"],
    ["169.253.255.255", "public"],
    ["11.0.0.1", "public"],
  ])("IPv4 %s is %s", (address, range) => {
    expect(classifyAddress(address)).toBe(range);
  });

  it.each([
    ["::", "unspecified"],
    ["::1", "loopback"],
    ["0:0:0:0:0:0:0:1", "loopback"],
    ["fe80::1", "link-local"],
    ["fe80::1%eth0", "link-local"],
    ["febf::1", "link-local"],
    ["fc00::1", "private"],
    ["fd12:3456:789a::1", "private"],
    ["fec0::1", "private"],
    ["ff02::1", "multicast"],
    ["2001:db8::1", "reserved"],
    ["::2", "reserved"],
    ["100::1", "reserved"],
    ["2606:4700:4700::1111", "public"],
    ["2a00:1450:4001:80b::200e", "public"],
  ])("IPv6 %s is %s", (address, range) => {
    expect(classifyAddress(address)).toBe(range);
  });

  it.each([
    // IPv4-mapped, dotted and hex, as URL parsing normalises them
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["0:0:0:0:0:ffff:7f00:1", "loopback"],
    ["::ffff:169.254.169.254", "link-local"],
    ["::ffff:a9fe:a9fe", "link-local"],
    ["::ffff:10.1.2.3", "private"],
    ["::ffff:0.0.0.0", "unspecified"],
    ["::ffff:8.8.8.8", "public"],
    // NAT64 and 6to4 carry an IPv4 address too
    ["64:ff9b::7f00:1", "loopback"],
    ["64:ff9b::8.8.8.8", "public"],
    ["64:ff9b:1::1", "private"],
    ["2002:a9fe:a9fe::1", "link-local"],
    ["2002:808:808::1", "public"],
  ])("IPv6 with an embedded IPv4 address %s is %s", (address, range) => {
    expect(classifyAddress(address)).toBe(range);
  });

  it("is undefined for host names and junk", () => {
    for (const text of ["localhost", "example.com", "", "127.1", "1.2.3", "[::1]", "::ffff:999.0.0.1", "gggg::1"]) {
      expect(classifyAddress(text)).toBeUndefined();
    }
  });
});

describe("hostKeys", () => {
  it("makes the port explicit, so default and explicit ports match and other ports do not", () => {
    expect(hostKeys("https://Charts.Example.com/x")).toEqual(["charts.example.com:443"]);
    expect(hostKeys("https://charts.example.com:443/x")).toEqual(["charts.example.com:443"]);
    expect(hostKeys("http://127.0.0.1:8080/charts")).toEqual(["127.0.0.1:8080"]);
    expect(hostKeys("http://[::1]:5000/")).toEqual(["[::1]:5000"]);
    expect(hostKeys("oci://Registry.Example.com/charts")).toEqual(["registry.example.com:443", "registry.example.com:80"]);
    expect(hostKeys("oci://127.0.0.1:5000/charts")).toEqual(["127.0.0.1:5000"]);
    expect(hostKeys("file://./registry")).toEqual([]);
    expect(hostKeys("not a url")).toEqual([]);
  });
});

describe("decideHop", () => {
  const configured: NetworkScope = { configured: true, trustedHosts: ["127.0.0.1:5000", "charts.internal:443"] };
  const unknown: NetworkScope = { configured: false, trustedHosts: [] };
  const decide = (url: string, scope: NetworkScope, from?: string) => decideHop(new URL(url), scope, from ? new URL(from) : undefined);

  it("lets a configured registry reach its own and other configured hosts anywhere, over http too", () => {
    expect(decide("http://127.0.0.1:5000/index.yaml", configured)).toEqual({ allowed: true, publicOnly: false });
    expect(decide("https://charts.internal/index.yaml", configured, "http://127.0.0.1:5000/")).toEqual({
      allowed: true,
      publicOnly: false,
    });
  });

  it("holds a configured registry's other hosts to public addresses", () => {
    expect(decide("http://127.0.0.1:5001/x", configured)).toEqual({
      allowed: false,
      reason: "refused: 127.0.0.1 resolves to a loopback address; configure the registry in slipway.yaml to allow it",
    });
    expect(decide("http://169.254.169.254/latest/meta-data/", configured)).toMatchObject({
      allowed: false,
      reason: expect.stringContaining("169.254.169.254 resolves to a link-local address"),
    });
    expect(decide("https://[::ffff:7f00:1]:5000/", configured)).toMatchObject({ allowed: false, reason: expect.stringContaining("loopback") });
    expect(decide("https://[fd00::1]/", configured)).toMatchObject({ allowed: false, reason: expect.stringContaining("private") });
    expect(decide("https://cdn.example.com/index.yaml", configured, "http://127.0.0.1:5000/")).toEqual({ allowed: true, publicOnly: true });
    expect(decide("http://2130706433:5000/", configured)).toEqual({ allowed: true, publicOnly: false }); // URL normalises it to 127.0.0.1
    expect(decide("http://0x7f.1:5001/", configured)).toMatchObject({ allowed: false });
  });

  it("refuses a step down from https to http, and anything but http(s)", () => {
    expect(decide("http://cdn.example.com/index.yaml", configured, "https://charts.internal/")).toMatchObject({
      allowed: false,
      reason: expect.stringContaining("from https to plain http"),
    });
    expect(decide("file:///etc/passwd", configured)).toMatchObject({ allowed: false, reason: "refused: file: URLs are not followed" });
    expect(decide("ftp://charts.internal/", configured)).toMatchObject({ allowed: false });
  });

  it("reads an unconfigured registry over https on public addresses only, whatever slipway.yaml configures", () => {
    expect(decide("https://charts.example.com/index.yaml", unknown)).toEqual({ allowed: true, publicOnly: true });
    expect(decide("http://charts.example.com/index.yaml", unknown)).toMatchObject({
      allowed: false,
      reason: expect.stringContaining("read over https only"),
    });
    expect(decide("https://127.0.0.1:5000/", unknown)).toMatchObject({ allowed: false, reason: expect.stringContaining("loopback") });
    expect(decide("https://[::1]/", unknown)).toMatchObject({ allowed: false, reason: expect.stringContaining("loopback") });
    // A name is checked on the addresses it resolves to, when connecting.
    expect(decide("https://localhost/", unknown)).toEqual({ allowed: true, publicOnly: true });
  });
});

describe("networkScopeOf", () => {
  it("trusts only endpoints marked configured, with their own host and the configured ones", () => {
    expect(networkScopeOf({ name: "x", url: "http://127.0.0.1:5000/charts", auth: { type: "none" } })).toEqual({
      configured: false,
      trustedHosts: [],
    });
    expect(
      networkScopeOf({
        name: "x",
        url: "http://127.0.0.1:5000/charts",
        auth: { type: "none" },
        configured: true,
        configuredHosts: ["charts.internal:443"],
      }),
    ).toEqual({ configured: true, trustedHosts: ["127.0.0.1:5000", "charts.internal:443"] });
  });
});
