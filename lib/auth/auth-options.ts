import "server-only";
import { type GitHubOAuthSettings, type OidcSettings, type SlipwayEnvironment, readEnvironment } from "@/lib/config/environment";
import type { NextAuthOptions, Profile, User } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import GitHubProvider from "next-auth/providers/github";
import { z } from "zod";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db";
import { requestOriginFrom } from "@/lib/http/client-address";
import { logger } from "@/lib/logger";
import { resolveAuthSecret } from "./auth-secret";
import { verifyLocalAccount } from "./local-accounts";
import type { Principal } from "./principal";
import { safeCallbackUrl } from "./safe-callback-url";
import { SESSION_MAX_AGE_S, openSession, principalOfSession, pruneSessions, revokeSession } from "./session-store";
import { countBlockedAttempt, findSignInLock, recordSignInAttempt } from "./sign-in-throttle";

/**
 * Sign-in with next-auth: local accounts (embedded default), any OpenID Connect provider (Okta, Entra ID, Google,
 * Keycloak) and GitHub OAuth, each switched on by its environment variables. Sessions are signed, encrypted JWT
 * cookies (httpOnly, SameSite=Lax, Secure when NEXTAUTH_URL is https), so any app instance can read them; each
 * carries the id of a session row (session-store.ts) that sign-out revokes, so a copied cookie dies with it.
 */

/** What a session carries about its user: the Principal, nothing secret (no provider tokens). */
declare module "next-auth" {
  interface Session {
    principal: Principal;
  }
  interface User {
    principal?: Principal;
  }
}
declare module "next-auth/jwt" {
  interface JWT {
    principal?: Principal;
    /** The session's row in the Session table. */
    sid?: string;
  }
}

const credentialsSchema = z.object({
  username: z.string().trim().toLowerCase().min(1).max(100),
  password: z.string().min(1).max(200),
});

type RequestHeaders = Record<string, string | string[] | undefined> | undefined;

async function authorizeLocal(credentials: unknown, headers: RequestHeaders): Promise<User | null> {
  const parsed = credentialsSchema.safeParse(credentials);
  if (!parsed.success) throw new Error("Enter a user name and a password.");
  const { username, password } = parsed.data;
  const db = getDb();
  const origin = requestOriginFrom(headers);
  const actor = { username, source: "local" } as const;
  const lock = await findSignInLock(db, username, origin.ip);
  if (lock) {
    // One audit entry per lock and window; the refusals after it are counted on that entry, so a flood cannot bury
    // the trail (see sign-in-throttle.ts).
    const counted = await countBlockedAttempt(db, lock, username, origin.ip);
    if (counted.first) {
      await recordAuditEvent(db, { actor, action: "sign-in.failure", detail: { reason: "rate-limited", scope: lock.scope, block: counted.blockId }, origin });
    }
    throw new Error(`Too many failed sign-ins. Try again in ${Math.max(1, Math.ceil(lock.retryInMs / 60_000))} minutes.`);
  }
  const account = await verifyLocalAccount(db, username, password);
  await recordSignInAttempt(db, username, origin.ip, Boolean(account));
  if (!account) {
    await recordAuditEvent(db, { actor, action: "sign-in.failure", detail: { reason: "bad-credentials" }, origin });
    throw new Error("Wrong user name or password.");
  }
  const principal: Principal = { ...account, source: "local", oidcGroups: [], githubTeams: [] };
  return { id: account.username, name: account.name, email: account.email, principal };
}

function oidcProvider(oidc: OidcSettings | undefined): NextAuthOptions["providers"][number] | undefined {
  if (!oidc) return undefined;
  const { groupsClaim } = oidc;
  return {
    id: "oidc",
    name: oidc.name,
    type: "oauth",
    wellKnown: `${oidc.issuer}/.well-known/openid-configuration`,
    clientId: oidc.clientId,
    clientSecret: oidc.clientSecret,
    authorization: { params: { scope: oidc.scope } },
    idToken: true,
    checks: ["pkce", "state"],
    profile(profile: Record<string, unknown>) {
      const groups = profile[groupsClaim];
      const username = String(profile.preferred_username ?? profile.email ?? profile.sub);
      const principal: Principal = {
        username,
        name: typeof profile.name === "string" ? profile.name : undefined,
        // An address the provider has not verified must not unlock emailDomains grants.
        email: typeof profile.email === "string" && profile.email_verified !== false ? profile.email : undefined,
        source: "oidc",
        oidcGroups: Array.isArray(groups) ? groups.map(String) : [],
        githubTeams: [],
      };
      return { id: String(profile.sub), name: principal.name, email: principal.email, principal };
    },
  };
}

function githubProvider(github: GitHubOAuthSettings | undefined): NextAuthOptions["providers"][number] | undefined {
  if (!github) return undefined;
  // GitHub Enterprise: GITHUB_URL=https://github.example.com (API at /api/v3).
  const web = github.webUrl;
  const api = web === "https://github.com" ? "https://api.github.com" : `${web}/api/v3`;
  return GitHubProvider({
    clientId: github.clientId,
    clientSecret: github.clientSecret,
    authorization: { url: `${web}/login/oauth/authorize`, params: { scope: "read:user user:email read:org" } },
    token: `${web}/login/oauth/access_token`,
    userinfo: {
      url: `${api}/user`,
      async request({ tokens }): Promise<Profile> {
        const headers = { Authorization: `Bearer ${tokens.access_token}`, Accept: "application/vnd.github+json" };
        const [user, teams] = await Promise.all([
          fetch(`${api}/user`, { headers }).then((r) => r.json() as Promise<Record<string, unknown>>),
          fetch(`${api}/user/teams?per_page=100`, { headers }).then((r) => (r.ok ? (r.json() as Promise<{ slug: string; organization: { login: string } }[]>) : [])),
        ]);
        return { ...user, teams: teams.map((t) => `${t.organization.login}/${t.slug}`) } as Profile;
      },
    },
    profile(profile) {
      const teams = (profile as { teams?: string[] }).teams ?? [];
      const principal: Principal = {
        username: profile.login,
        name: profile.name ?? profile.login,
        email: profile.email ?? undefined,
        source: "github",
        oidcGroups: [],
        githubTeams: teams,
      };
      return { id: String(profile.id), name: principal.name, email: principal.email, image: profile.avatar_url, principal };
    },
  });
}

export function configuredProviders(env: SlipwayEnvironment = readEnvironment()): NextAuthOptions["providers"] {
  const providers: NextAuthOptions["providers"] = [];
  if (env.localAccounts) {
    providers.push(
      CredentialsProvider({
        id: "local",
        name: "Slipway account",
        credentials: { username: { label: "User name", type: "text" }, password: { label: "Password", type: "password" } },
        authorize: (credentials, req) => authorizeLocal(credentials, req.headers as RequestHeaders),
      }),
    );
  }
  for (const provider of [oidcProvider(env.oidc), githubProvider(env.githubOAuth)]) if (provider) providers.push(provider);
  return providers;
}

let options: NextAuthOptions | undefined;

export function getAuthOptions(): NextAuthOptions {
  options ??= {
    secret: resolveAuthSecret(),
    providers: configuredProviders(),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
    pages: { signIn: "/sign-in", error: "/sign-in" },
    callbacks: {
      async jwt({ token, user }) {
        if (user?.principal) {
          return { ...token, principal: user.principal, sid: await openSession(getDb(), user.principal) };
        }
        // Every later read of the cookie: a cookie whose session was signed out (or never recorded) signs no one in.
        // An empty token, not an error: next-auth then answers "no session" and, where it can, rewrites the cookie.
        return (await principalOfSession(getDb(), token)) ? token : {};
      },
      session({ session, token }) {
        if (!token.principal) return { expires: session.expires };
        session.principal = token.principal;
        return session;
      },
      redirect({ url, baseUrl }) {
        // The sign-in page's rule, for every redirect next-auth makes (OAuth callbacks, sign-out): this origin only.
        return `${baseUrl}${safeCallbackUrl(url, baseUrl)}`;
      },
    },
    events: {
      async signIn({ user }) {
        const principal = user.principal;
        if (!principal) return;
        await recordAuditEvent(getDb(), { actor: principal, action: "sign-in.success" }).catch((error) =>
          logger.error({ err: error }, "audit: recording a sign-in failed"),
        );
        await pruneSessions(getDb()).catch((error) => logger.warn({ err: error }, "sign-in: pruning ended sessions failed"));
      },
      async signOut({ token }) {
        try {
          await revokeSession(getDb(), token?.sid);
        } catch (error) {
          logger.error({ err: error, username: token?.principal?.username }, "sign-out: revoking the session failed; its cookie stays valid until it expires");
        }
        if (!token?.principal) return;
        await recordAuditEvent(getDb(), { actor: token.principal, action: "sign-out" }).catch((error) =>
          logger.error({ err: error }, "audit: recording a sign-out failed"),
        );
      },
    },
    logger: {
      error: (code, metadata) => logger.error({ code, metadata }, "next-auth error"),
      warn: (code) => logger.warn({ code }, "next-auth warning"),
      debug: () => {},
    },
  };
  return options;
}

/** The configured providers as the sign-in page lists them. next-auth applies a provider's own options (its id, its
 * name) only when it handles a request, so read them from `options` where the provider keeps them. */
export function listSignInProviders(env: SlipwayEnvironment = readEnvironment()): { id: string; name: string; type: string }[] {
  return configuredProviders(env).map((provider) => {
    const own = (provider as { options?: { id?: string; name?: string } }).options;
    return { id: own?.id ?? provider.id, name: own?.name ?? provider.name, type: provider.type };
  });
}
