import { isIP } from "node:net";
import { type SlipwayEnvironment, readEnvironment } from "@/lib/config/environment";

/**
 * The address a request came from, for the sign-in limits and the audit trail. One function decides it; every caller
 * (sign-in, server actions, route handlers) goes through `requestOriginFrom` or `readRequestOrigin`.
 *
 * How the socket address reaches the app under `next start` (Next 16.4, verified in node_modules/next/dist/server):
 * Next exposes no socket to route handlers or server actions. Its base server only *fills in* `x-forwarded-for` from
 * `socket.remoteAddress` when the header is absent (`req.headers['x-forwarded-for'] ??= …` in base-server.js), so a
 * header the client sends survives untouched and the socket address is lost. proxy.ts therefore moves whatever
 * arrived as `x-forwarded-for` to FORWARDED_CHAIN_HEADER and deletes `x-forwarded-for` from the request it passes on;
 * Next's render pass (which runs after the proxy, on the same request) then sets `x-forwarded-for` to the socket
 * address. So, behind proxy.ts:
 *   - `x-forwarded-for` is the socket address, always (a client cannot set it);
 *   - FORWARDED_CHAIN_HEADER is the `x-forwarded-for` the peer sent (proxy.ts overwrites or deletes a client's own).
 * When the client sent no `x-forwarded-for`, proxy.ts sees the socket address Next filled in for the proxy pass, so the
 * chain repeats the socket address once; that changes no answer below (both ends are the same peer).
 */
export const FORWARDED_CHAIN_HEADER = "x-slipway-forwarded-for";

export interface ClientAddressInput {
  /** The TCP peer of this server. */
  socketAddress?: string;
  /** The `X-Forwarded-For` that peer sent, if any: comma-separated, left-most the claimed client. */
  forwardedFor?: string;
  /** How many reverse proxies of our own stand in front of the app (each appends the address it saw). */
  trustedProxies: number;
}

/**
 * With no trusted proxy, the socket address: anything in `X-Forwarded-For` is the client's word. With N trusted
 * proxies, the right-most hop none of them vouches for: the address N entries from the right of
 * `X-Forwarded-For` + socket (the last proxy is the socket, each earlier one appended its peer). A chain shorter than
 * that means fewer proxies than configured; its left-most entry is then the best there is. An entry that is not an IP
 * address gives "unknown", never the raw text.
 */
export function clientAddress({ socketAddress, forwardedFor, trustedProxies }: ClientAddressInput): string {
  if (trustedProxies <= 0) return normalizeAddress(socketAddress);
  const chain = [...(forwardedFor ?? "").split(","), socketAddress ?? ""].map((entry) => entry.trim()).filter(Boolean);
  if (chain.length === 0) return "unknown";
  return normalizeAddress(chain[Math.max(0, chain.length - 1 - trustedProxies)]);
}

/** An IP address as the app stores it: IPv4-mapped IPv6 as plain IPv4, brackets and ports dropped; else "unknown". */
export function normalizeAddress(raw: string | undefined): string {
  let value = raw?.trim() ?? "";
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value);
  if (bracketed) value = bracketed[1]!;
  else if (/^[\d.]+:\d+$/.test(value)) value = value.slice(0, value.lastIndexOf(":"));
  if (/^::ffff:[\d.]+$/i.test(value)) value = value.slice(7);
  return isIP(value) ? value.toLowerCase() : "unknown";
}

export interface RequestOrigin {
  ip: string;
  userAgent?: string;
}

type HeaderSource = Headers | Record<string, string | string[] | undefined> | undefined;

function readHeader(headers: HeaderSource, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name) ?? undefined;
  const value = (headers as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(value) ? value.join(", ") : value;
}

/** Where a request came from, from its headers as they reach a route handler, a server action or next-auth. */
export function requestOriginFrom(headers: HeaderSource, env: Pick<SlipwayEnvironment, "trustedProxies"> = readEnvironment()): RequestOrigin {
  const ip = clientAddress({
    socketAddress: readHeader(headers, "x-forwarded-for"),
    forwardedFor: readHeader(headers, FORWARDED_CHAIN_HEADER),
    trustedProxies: env.trustedProxies,
  });
  const userAgent = readHeader(headers, "user-agent")?.slice(0, 300) || undefined;
  return { ip, userAgent };
}
