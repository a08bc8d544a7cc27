import { type SlipwayEnvironment, readEnvironment } from "@/lib/config/environment";
/**
 * Where to send someone after sign-in, from a `callbackUrl` anyone can put in a link: only somewhere on this site.
 * The value is resolved the way a browser would resolve it against `origin` (browsers drop tabs and newlines inside a
 * URL, and read `\` as `/`, which is how `/%09/evil.example` became `//evil.example`), and kept only when it stays on
 * that origin. Control characters and backslashes are refused outright. Returns a path (with query and fragment),
 * always ASCII, or "/".
 */
export function safeCallbackUrl(raw: unknown, origin: string): string {
  if (typeof raw !== "string" || raw.length === 0 || raw.length > 1000) return "/";
  // C0 controls, DEL and C1 controls; backslashes.
  if (/[\u0000-\u001f\u007f-\u009f\\]/.test(raw)) return "/";
  let base: URL;
  let target: URL;
  try {
    base = new URL(origin);
    target = new URL(raw, base);
  } catch {
    return "/";
  }
  if (target.origin !== base.origin) return "/";
  if (target.username || target.password) return "/";
  const path = `${target.pathname}${target.search}${target.hash}`;
  return path.startsWith("//") ? "/" : path;
}

/** The origin to resolve a callback URL against: NEXTAUTH_URL's when set, else the one the request was made to. */
export function siteOrigin(requestHeaders: Headers, env: Pick<SlipwayEnvironment, "nextAuthUrl"> = readEnvironment()): string {
  const configured = env.nextAuthUrl;
  if (configured) {
    try {
      return new URL(configured).origin;
    } catch {
      // An unusable NEXTAUTH_URL is next-auth's to report; fall back to the request's own origin.
    }
  }
  const host = requestHeaders.get("x-forwarded-host") ?? requestHeaders.get("host") ?? "localhost";
  const proto = requestHeaders.get("x-forwarded-proto") === "https" ? "https" : "http";
  try {
    return new URL(`${proto}://${host}`).origin;
  } catch {
    return "http://localhost";
  }
}
