import "server-only";
import { headers } from "next/headers";

/**
 * This response's Content-Security-Policy nonce (made by proxy.ts), for a server component that renders its own
 * <style> or <script>: the policy refuses one without it. Undefined outside a request that went through proxy.ts.
 */
export async function readCspNonce(): Promise<string | undefined> {
  return (await headers()).get("x-nonce") ?? undefined;
}
