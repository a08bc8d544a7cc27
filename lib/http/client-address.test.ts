import { parseEnvironment } from "@/lib/config/environment";
import { describe, expect, it } from "vitest";
import { FORWARDED_CHAIN_HEADER, clientAddress, normalizeAddress, requestOriginFrom } from "./client-address";

describe("clientAddress", () => {
  it("uses the socket address when no proxy is trusted, whatever X-Forwarded-For claims", () => {
    expect(clientAddress({ socketAddress: "198.51.100.9", forwardedFor: "203.0.113.1", trustedProxies: 0 })).toBe("198.51.100.9");
    expect(clientAddress({ socketAddress: "198.51.100.9", forwardedFor: undefined, trustedProxies: 0 })).toBe("198.51.100.9");
  });

  it("takes the right-most hop no trusted proxy vouches for", () => {
    // client → proxy A (10.0.0.1) → proxy B (10.0.0.2, the socket)
    const forwardedFor = "6.6.6.6, 203.0.113.5, 10.0.0.1"; // 6.6.6.6 is what the client itself claimed
    expect(clientAddress({ socketAddress: "10.0.0.2", forwardedFor, trustedProxies: 2 })).toBe("203.0.113.5");
    expect(clientAddress({ socketAddress: "10.0.0.2", forwardedFor, trustedProxies: 1 })).toBe("10.0.0.1");
  });

  it("falls back to the left-most entry when the chain is shorter than the proxies configured", () => {
    expect(clientAddress({ socketAddress: "10.0.0.2", forwardedFor: "203.0.113.5", trustedProxies: 3 })).toBe("203.0.113.5");
    // No X-Forwarded-For at all (proxy.ts then passes the socket address as the chain): the peer is the client.
    expect(clientAddress({ socketAddress: "198.51.100.9", forwardedFor: "198.51.100.9", trustedProxies: 1 })).toBe("198.51.100.9");
  });

  it("never passes on text that is not an address", () => {
    expect(clientAddress({ socketAddress: "10.0.0.2", forwardedFor: "<script>, 10.0.0.1", trustedProxies: 2 })).toBe("unknown");
    expect(clientAddress({ socketAddress: undefined, trustedProxies: 0 })).toBe("unknown");
  });
});

describe("normalizeAddress", () => {
  it.each([
    ["::ffff:127.0.0.1", "127.0.0.1"],
    ["[2001:DB8::1]:443", "2001:db8::1"],
    ["203.0.113.5:51234", "203.0.113.5"],
    ["2001:db8::1", "2001:db8::1"],
    ["evil.example", "unknown"],
    ["", "unknown"],
  ])("%s → %s", (raw, expected) => expect(normalizeAddress(raw)).toBe(expected));
});

describe("SLIPWAY_TRUSTED_PROXIES", () => {
  it("is 0 unless configured", () => {
    expect(parseEnvironment({}).trustedProxies).toBe(0);
    expect(parseEnvironment({ SLIPWAY_TRUSTED_PROXIES: " 2 " }).trustedProxies).toBe(2);
  });

  it.each(["-1", "one", "1.5", "999"])("rejects %s, naming the variable", (value) => {
    expect(() => parseEnvironment({ SLIPWAY_TRUSTED_PROXIES: value })).toThrow(/Environment variable SLIPWAY_TRUSTED_PROXIES is invalid/);
  });
});

describe("requestOriginFrom", () => {
  it("reads the socket address Next sets and the chain proxy.ts kept, from Headers or a plain object", () => {
    const env = { trustedProxies: 1 };
    const headers = new Headers({ "x-forwarded-for": "10.0.0.2", [FORWARDED_CHAIN_HEADER]: "203.0.113.5", "user-agent": "curl/8" });
    expect(requestOriginFrom(headers, env)).toEqual({ ip: "203.0.113.5", userAgent: "curl/8" });
    expect(requestOriginFrom({ "x-forwarded-for": "10.0.0.2", [FORWARDED_CHAIN_HEADER]: "203.0.113.5" }, { trustedProxies: 0 })).toEqual({
      ip: "10.0.0.2",
      userAgent: undefined,
    });
  });
});
