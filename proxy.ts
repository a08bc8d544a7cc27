import { type NextRequest, NextResponse } from "next/server";
import { FORWARDED_CHAIN_HEADER } from "@/lib/http/client-address";
import { contentSecurityPolicy } from "@/lib/http/content-security-policy";

/**
 * Runs before every page, server action and route handler (not static files):
 * - a fresh nonce and the Content-Security-Policy that carries it. Next reads the nonce from the request's CSP header
 *   and puts it on its scripts; the root layout reads `x-nonce` for antd's styles.
 * - the client address: see lib/http/client-address.ts. The `x-forwarded-for` the peer sent moves to
 *   FORWARDED_CHAIN_HEADER and is removed, so that Next's render pass sets `x-forwarded-for` to the socket address.
 */
export function proxy(request: NextRequest) {
  const nonce = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(18))));
  const policy = contentSecurityPolicy(nonce, { development: process.env.NODE_ENV === "development" });

  const headers = new Headers(request.headers);
  const forwardedFor = headers.get("x-forwarded-for");
  headers.delete("x-forwarded-for");
  if (forwardedFor) headers.set(FORWARDED_CHAIN_HEADER, forwardedFor);
  else headers.delete(FORWARDED_CHAIN_HEADER);
  headers.set("x-nonce", nonce);
  headers.set("content-security-policy", policy);

  const response = NextResponse.next({ request: { headers } });
  response.headers.set("Content-Security-Policy", policy);
  return response;
}

export const config = {
  // Everything the app renders or answers; static files carry no nonce and no address worth knowing.
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
