import NextAuth from "next-auth";
import { getAuthOptions } from "@/lib/auth/auth-options";

type Context = { params: Promise<{ nextauth: string[] }> };

// next-auth v4's App Router handler; its own CSRF token guards the sign-in and sign-out POSTs.
async function handler(request: Request, context: Context) {
  return NextAuth(request as never, context as never, getAuthOptions());
}

export { handler as GET, handler as POST };
