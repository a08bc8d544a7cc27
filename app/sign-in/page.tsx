import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { z } from "zod";
import { SignInForm } from "@/components/sign-in-form";
import { listSignInProviders } from "@/lib/auth/auth-options";
import { currentPrincipal } from "@/lib/auth/current-principal";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

// Only paths inside Slipway: an absolute or protocol-relative URL here would be an open redirect.
const searchSchema = z.object({
  callbackUrl: z.string().regex(/^\/(?![/\\])/).max(500).catch("/").default("/"),
  error: z.string().max(300).optional().catch(undefined),
});

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { callbackUrl, error } = searchSchema.parse(await searchParams);
  if (await currentPrincipal()) redirect(callbackUrl);
  const providers = listSignInProviders();
  return <SignInForm providers={providers} callbackUrl={callbackUrl} initialError={error} />;
}
