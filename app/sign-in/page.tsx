import type { Metadata } from "next";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { SignInForm } from "@/components/sign-in-form";
import { listSignInProviders } from "@/lib/auth/auth-options";
import { currentPrincipal } from "@/lib/auth/current-principal";
import { safeCallbackUrl, siteOrigin } from "@/lib/auth/safe-callback-url";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

const searchSchema = z.object({
  // Checked against this site's origin below: anything else would be an open redirect.
  callbackUrl: z.string().max(1000).catch("/").default("/"),
  // Only ever looked up in the form's table of known codes, never shown as sent.
  error: z.string().max(100).regex(/^[A-Za-z]+$/).optional().catch(undefined),
});

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const query = searchSchema.parse(await searchParams);
  const callbackUrl = safeCallbackUrl(query.callbackUrl, siteOrigin(await headers()));
  if (await currentPrincipal()) redirect(callbackUrl);
  const providers = listSignInProviders();
  return <SignInForm providers={providers} callbackUrl={callbackUrl} initialError={query.error} />;
}
