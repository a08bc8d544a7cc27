import { isIPv4, isIPv6 } from "node:net";
import type { RegistryEndpoint } from "./types";

/**
 * Where registry requests may go. A Chart.yaml is input from whoever can push to a stack repository, and the
 * dashboard shows registry errors: without these rules its `repository:` URLs, their redirects and OCI token
 * realms would let that person make the server connect anywhere it can reach and read the answer's outline.
 *
 * - A registry from slipway.yaml may be anywhere (operators run internal registries on private addresses), and so
 *   may requests to the host of any other registry there. Redirects and token realms elsewhere must be public.
 * - A registry only a Chart.yaml names (followed with `registryPolicy.followUnknownRegistries`) is read over https,
 *   and every step of the way must be public.
 * Names are checked again on the addresses actually connected to (see registry-http.ts), so DNS cannot swap a
 * public answer for a private one between the check and the connection.
 */

export type AddressRange = "public" | "loopback" | "private" | "link-local" | "unspecified" | "multicast" | "reserved";

export interface NetworkScope {
  /** The registry is in slipway.yaml: trustedHosts may be reached whatever their address, over http too. */
  configured: boolean;
  /** `host:port` keys (see hostKeys) reachable whatever their address: the registry's own and every configured one. */
  trustedHosts: readonly string[];
}

export type HopDecision = { allowed: true; publicOnly: boolean } | { allowed: false; reason: string };

/** The scope of requests for one endpoint. Only endpoints built from slipway.yaml are trusted. */
export function networkScopeOf(endpoint: RegistryEndpoint): NetworkScope {
  if (endpoint.configured !== true) return { configured: false, trustedHosts: [] };
  return { configured: true, trustedHosts: [...hostKeys(endpoint.url), ...(endpoint.configuredHosts ?? [])] };
}

/**
 * `hostname:port` keys for a registry URL, port made explicit so that `https://h` and `https://h:443` match and
 * two servers on one address with different ports do not. An oci:// URL without a port is read over https or, on
 * loopback, http: both default ports count.
 */
export function hostKeys(url: string): string[] {
  if (!URL.canParse(url)) return [];
  const parsed = new URL(url);
  const hostname = parsed.hostname.toLowerCase();
  if (!hostname) return [];
  if (parsed.port) return [`${hostname}:${parsed.port}`];
  switch (parsed.protocol) {
    case "http:":
      return [`${hostname}:80`];
    case "https:":
      return [`${hostname}:443`];
    case "oci:":
      return [`${hostname}:443`, `${hostname}:80`];
    default:
      return [];
  }
}

/**
 * May a request (or a redirect from `from`) go to `target`? `publicOnly` asks the transport to connect only to
 * public addresses: the name's addresses are checked when it connects; an IP literal is checked here, as Node
 * does not look it up.
 */
export function decideHop(target: URL, scope: NetworkScope, from?: URL): HopDecision {
  if (target.protocol !== "https:" && target.protocol !== "http:") {
    return { allowed: false, reason: `refused: ${target.protocol} URLs are not followed` };
  }
  if (!scope.configured && target.protocol !== "https:") {
    return {
      allowed: false,
      reason: `refused: registries that are not in slipway.yaml are read over https only; configure the registry in slipway.yaml to allow ${target.host}`,
    };
  }
  if (scope.configured && scope.trustedHosts.includes(hostKeys(target.origin)[0] ?? "")) {
    return { allowed: true, publicOnly: false };
  }
  if (from?.protocol === "https:" && target.protocol === "http:") {
    return { allowed: false, reason: `refused: redirect from https to plain http (${target.host})` };
  }
  const literal = classifyAddress(target.hostname.replace(/^\[(.*)\]$/, "$1"));
  if (literal !== undefined && literal !== "public") {
    return { allowed: false, reason: refusedAddressReason(target.hostname, literal) };
  }
  return { allowed: true, publicOnly: true };
}

/** The refusal, worded so it helps the operator and tells a prober nothing about what listens there. */
export function refusedAddressReason(host: string, range: Exclude<AddressRange, "public">): string {
  const article = range === "unspecified" ? "an" : "a";
  return `refused: ${host} resolves to ${article} ${range} address; configure the registry in slipway.yaml to allow it`;
}

/** The range an IP address belongs to; undefined when the text is not an IP address (a host name). */
export function classifyAddress(address: string): AddressRange | undefined {
  if (isIPv4(address)) return classifyIpv4(parseIpv4(address));
  const zoneless = address.replace(/%.*$/, "");
  if (isIPv6(zoneless)) return classifyIpv6(parseIpv6(zoneless));
  return undefined;
}

/** [base, prefix length, range]; first match wins. Everything unlisted is public. */
const IPV4_RANGES: [string, number, Exclude<AddressRange, "public">][] = [
  ["0.0.0.0", 8, "unspecified"],
  ["10.0.0.0", 8, "private"],
  ["100.64.0.0", 10, "private"], // shared address space (carrier-grade NAT)
  ["127.0.0.0", 8, "loopback"],
  ["169.254.0.0", 16, "link-local"], // includes cloud metadata at 169.254.169.254
  ["172.16.0.0", 12, "private"],
  ["192.0.0.0", 24, "reserved"],
  ["192.0.2.0", 24, "reserved"],
  ["192.88.99.0", 24, "reserved"],
  ["192.168.0.0", 16, "private"],
  ["198.18.0.0", 15, "reserved"], // benchmarking, often used inside data centres
  ["198.51.100.0", 24, "reserved"],
  ["203.0.113.0", 24, "reserved"],
  ["224.0.0.0", 4, "multicast"],
  ["240.0.0.0", 4, "reserved"], // includes 255.255.255.255
];

function classifyIpv4(address: number): AddressRange {
  for (const [base, prefix, range] of IPV4_RANGES) {
    const shift = 32 - prefix;
    if (address >>> shift === parseIpv4(base) >>> shift) return range;
  }
  return "public";
}

function classifyIpv6(g: number[]): AddressRange {
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g;
  const embeddedIpv4 = (high: number, low: number) => classifyIpv4(((high << 16) | low) >>> 0);
  const zeroTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeroTo(8)) return "unspecified";
  if (zeroTo(7) && g7 === 1) return "loopback";
  if (zeroTo(5) && g5 === 0xffff) return embeddedIpv4(g6, g7); // IPv4-mapped ::ffff:a.b.c.d
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return embeddedIpv4(g6, g7); // NAT64
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 1) return "private"; // local-use NAT64
  if (g0 === 0x2002) return embeddedIpv4(g1, g2); // 6to4
  if ((g0 & 0xfe00) === 0xfc00) return "private"; // unique local fc00::/7
  if ((g0 & 0xffc0) === 0xfe80) return "link-local";
  if ((g0 & 0xffc0) === 0xfec0) return "private"; // deprecated site-local
  if ((g0 & 0xff00) === 0xff00) return "multicast";
  if (g0 === 0x2001 && (g1 === 0x0db8 || g1 < 0x0200)) return "reserved"; // documentation, IETF protocol assignments (Teredo)
  if ((g0 & 0xe000) === 0x2000) return "public"; // global unicast 2000::/3
  return "reserved"; // IPv4-compatible ::a.b.c.d, discard-only and unassigned space
}

function parseIpv4(address: string): number {
  return address.split(".").reduce((value, octet) => ((value << 8) | Number(octet)) >>> 0, 0);
}

/** Eight 16-bit groups of a valid IPv6 address (checked by isIPv6), a trailing dotted quad folded into two. */
function parseIpv6(address: string): number[] {
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(address)?.[1];
  let text = address;
  if (dotted) {
    const v4 = parseIpv4(dotted);
    text = `${address.slice(0, -dotted.length)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const [head = "", tail] = text.split("::");
  const split = (part: string) => (part === "" ? [] : part.split(":"));
  const groups =
    tail === undefined
      ? split(head)
      : [...split(head), ...Array<string>(8 - split(head).length - split(tail).length).fill("0"), ...split(tail)];
  return groups.map((group) => Number.parseInt(group, 16));
}
