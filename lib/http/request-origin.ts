import "server-only";
import { headers } from "next/headers";
import { type RequestOrigin, requestOriginFrom } from "./client-address";

/** Where the current request came from (client address and user agent), for server actions, pages and route handlers. */
export async function readRequestOrigin(): Promise<RequestOrigin> {
  return requestOriginFrom(await headers());
}
