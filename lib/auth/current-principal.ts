import "server-only";
import { getServerSession } from "next-auth";
import { getAuthOptions } from "./auth-options";
import type { Principal } from "./principal";

/** The signed-in user of this request, from the session cookie; null when there is none (or it is not valid). */
export async function currentPrincipal(): Promise<Principal | null> {
  const session = await getServerSession(getAuthOptions());
  return session?.principal ?? null;
}
