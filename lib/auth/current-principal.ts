import "server-only";
import { getServerSession } from "next-auth";
import { cache } from "react";
import { getAuthOptions } from "./auth-options";
import type { Principal } from "./principal";

/**
 * The signed-in user of this request, from the session cookie; null when there is none, it is not valid, or its
 * session has been signed out (the jwt callback checks the session row). Once per render: the layout and the page
 * both ask, and each answer costs a database read.
 */
export const currentPrincipal = cache(async (): Promise<Principal | null> => {
  const session = await getServerSession(getAuthOptions());
  return session?.principal ?? null;
});
