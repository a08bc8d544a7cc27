/**
 * A minimal but real OpenID Connect provider for tests, on node:http and node:crypto only: Discovery, JWKS, the
 * authorization code flow with PKCE (S256 only), client authentication by client_secret_basic or client_secret_post,
 * RS256-signed ID tokens and a UserInfo endpoint. Errors follow RFC 6749 (JSON `error` / `error_description`).
 * Users are fixed at start; the authorization page lets a person pick one (no passwords: it is a test IdP).
 */
import { createHash, generateKeyPairSync, randomBytes, randomUUID, sign as cryptoSign, timingSafeEqual, type KeyObject } from "node:crypto";
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface OidcTestUser {
  sub: string;
  preferred_username: string;
  name?: string;
  email?: string;
  groups?: string[];
}

export interface OidcTestClient {
  clientId: string;
  clientSecret: string;
  /** Exact redirect URIs this client may use (OpenID Connect Core 3.1.2.1: simple string comparison). */
  redirectUris: string[];
}

export interface OidcTestServerOptions {
  port?: number;
  host?: string;
  /** The issuer URL; defaults to http://<host>:<port>. */
  issuer?: string;
  clients: OidcTestClient[];
  users: OidcTestUser[];
  /** The claim that carries the user's groups (default `groups`). */
  groupsClaim?: string;
  /** ID token and access token lifetime in seconds (default 300). */
  tokenLifetime?: number;
}

export interface OidcTestServer {
  issuer: string;
  port: number;
  server: Server;
  /** The public key the ID tokens are signed with, for tests that verify them. */
  publicKey: KeyObject;
  kid: string;
  close(): Promise<void>;
}

interface PendingCode {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  nonce?: string;
  scope: string;
  user: OidcTestUser;
  expiresAt: number;
}

interface IssuedToken {
  user: OidcTestUser;
  scope: string;
  expiresAt: number;
}

const CODE_LIFETIME_MS = 60_000;

const b64url = (input: Buffer | string) => Buffer.from(input).toString("base64url");

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "Content-Type": "application/json", "Cache-Control": "no-store", Pragma: "no-cache", ...headers });
  res.end(JSON.stringify(body));
}

function oauthError(res: ServerResponse, status: number, error: string, description: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { error, error_description: description }, headers);
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" });
  res.end(html);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 64 * 1024) throw new Error("request body too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** RFC 6749 2.3.1: client_id and client_secret are form-urlencoded before being put in the Basic header. */
function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  if (!header?.startsWith("Basic ")) return undefined;
  const decoded = Buffer.from(header.slice(6), "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  const unescape = (s: string) => decodeURIComponent(s.replace(/\+/g, " "));
  try {
    return { id: unescape(decoded.slice(0, colon)), secret: unescape(decoded.slice(colon + 1)) };
  } catch {
    return undefined;
  }
}

export async function startOidcTestServer(options: OidcTestServerOptions): Promise<OidcTestServer> {
  const host = options.host ?? "127.0.0.1";
  const groupsClaim = options.groupsClaim ?? "groups";
  const tokenLifetime = options.tokenLifetime ?? 300;
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const kid = randomUUID();
  const jwk = { ...(publicKey.export({ format: "jwk" }) as Record<string, string>), kid, use: "sig", alg: "RS256" };
  const codes = new Map<string, PendingCode>();
  const accessTokens = new Map<string, IssuedToken>();
  let issuer = options.issuer ?? "";

  const clientById = (id: string | null | undefined) => options.clients.find((c) => c.clientId === id);
  const userBySub = (sub: string | null) => options.users.find((u) => u.sub === sub || u.preferred_username === sub);

  function signJwt(payload: Record<string, unknown>): string {
    const header = b64url(JSON.stringify({ alg: "RS256", typ: "JWT", kid }));
    const body = b64url(JSON.stringify(payload));
    const signature = cryptoSign("RSA-SHA256", Buffer.from(`${header}.${body}`), privateKey);
    return `${header}.${body}.${b64url(signature)}`;
  }

  function userClaims(user: OidcTestUser, scope: string): Record<string, unknown> {
    const scopes = new Set(scope.split(" "));
    const claims: Record<string, unknown> = { sub: user.sub };
    if (scopes.has("profile")) {
      claims.preferred_username = user.preferred_username;
      if (user.name) claims.name = user.name;
    }
    if (scopes.has("email") && user.email) {
      claims.email = user.email;
      claims.email_verified = true;
    }
    // Groups are not a standard scope; like Keycloak and Okta with a groups mapper, always include them.
    claims[groupsClaim] = user.groups ?? [];
    return claims;
  }

  function discovery(): Record<string, unknown> {
    return {
      issuer,
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: `${issuer}/token`,
      userinfo_endpoint: `${issuer}/userinfo`,
      jwks_uri: `${issuer}/jwks`,
      scopes_supported: ["openid", "profile", "email"],
      response_types_supported: ["code"],
      response_modes_supported: ["query"],
      grant_types_supported: ["authorization_code"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: ["RS256"],
      code_challenge_methods_supported: ["S256"],
      token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
      claims_supported: ["iss", "sub", "aud", "exp", "iat", "nonce", "preferred_username", "name", "email", "email_verified", groupsClaim],
    };
  }

  /** GET /authorize shows the user picker; POST /authorize (the form) issues the code. Same validation for both. */
  function handleAuthorize(req: IncomingMessage, res: ServerResponse, params: URLSearchParams): void {
    const client = clientById(params.get("client_id"));
    const redirectUri = params.get("redirect_uri");
    // Without a valid client and redirect URI the error must not be redirected (RFC 6749 4.1.2.1).
    if (!client) return sendHtml(res, 400, "<h1>invalid_request</h1><p>Unknown client_id.</p>");
    if (!redirectUri || !client.redirectUris.includes(redirectUri))
      return sendHtml(res, 400, "<h1>invalid_request</h1><p>redirect_uri is not registered for this client.</p>");
    const state = params.get("state");
    const redirectError = (error: string, description: string) => {
      const url = new URL(redirectUri);
      url.searchParams.set("error", error);
      url.searchParams.set("error_description", description);
      if (state) url.searchParams.set("state", state);
      url.searchParams.set("iss", issuer);
      res.writeHead(302, { Location: url.toString() });
      res.end();
    };
    if (params.get("response_type") !== "code") return redirectError("unsupported_response_type", "Only response_type=code is supported.");
    const scope = params.get("scope") ?? "";
    if (!scope.split(" ").includes("openid")) return redirectError("invalid_scope", "The openid scope is required.");
    if (!state) return redirectError("invalid_request", "state is required by this provider.");
    const codeChallenge = params.get("code_challenge");
    if (!codeChallenge || params.get("code_challenge_method") !== "S256" || !/^[A-Za-z0-9_-]{43}$/.test(codeChallenge))
      return redirectError("invalid_request", "PKCE with code_challenge_method=S256 is required.");
    const nonce = params.get("nonce") ?? undefined;

    if (req.method === "GET") {
      const hidden = [...params.entries()]
        .filter(([k]) => k !== "username")
        .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
        .join("\n");
      const choices = options.users
        .map((u) => `<option value="${escapeHtml(u.preferred_username)}">${escapeHtml(u.name ?? u.preferred_username)} (${escapeHtml(u.preferred_username)})</option>`)
        .join("");
      return sendHtml(
        res,
        200,
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in to Test IdP</title></head><body>
<main><h1>Sign in to Test IdP</h1>
<form method="post" action="/authorize">
${hidden}
<label for="username">User</label>
<select id="username" name="username">${choices}</select>
<button type="submit">Continue</button>
</form></main></body></html>`,
      );
    }

    const user = userBySub(params.get("username"));
    if (!user) return redirectError("access_denied", "Unknown user.");
    const code = b64url(randomBytes(32));
    codes.set(code, { clientId: client.clientId, redirectUri, codeChallenge, nonce, scope, user, expiresAt: Date.now() + CODE_LIFETIME_MS });
    const url = new URL(redirectUri);
    url.searchParams.set("code", code);
    url.searchParams.set("state", state);
    url.searchParams.set("iss", issuer); // RFC 9207
    res.writeHead(302, { Location: url.toString() });
    res.end();
  }

  async function handleToken(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== "POST") return oauthError(res, 405, "invalid_request", "Use POST.", { Allow: "POST" });
    if (!req.headers["content-type"]?.startsWith("application/x-www-form-urlencoded"))
      return oauthError(res, 400, "invalid_request", "Expected application/x-www-form-urlencoded.");
    const form = new URLSearchParams(await readBody(req));

    // Client authentication: exactly one method (RFC 6749 2.3).
    const basic = basicCredentials(req.headers.authorization);
    const postId = form.get("client_id");
    const postSecret = form.get("client_secret");
    if (basic && postSecret) return oauthError(res, 400, "invalid_request", "Use one client authentication method.");
    const credentials = basic ?? (postId && postSecret ? { id: postId, secret: postSecret } : undefined);
    const client = clientById(credentials?.id);
    if (!credentials || !client || !safeEqual(credentials.secret, client.clientSecret)) {
      const headers: Record<string, string> = basic ? { "WWW-Authenticate": 'Basic realm="token"' } : {};
      return oauthError(res, 401, "invalid_client", "Client authentication failed.", headers);
    }
    if (postId && postId !== client.clientId) return oauthError(res, 400, "invalid_request", "client_id does not match the authenticated client.");

    if (form.get("grant_type") !== "authorization_code")
      return oauthError(res, 400, "unsupported_grant_type", "Only authorization_code is supported.");
    const code = form.get("code") ?? "";
    const pending = codes.get(code);
    codes.delete(code); // single use, whatever happens next
    if (!pending || pending.expiresAt < Date.now() || pending.clientId !== client.clientId)
      return oauthError(res, 400, "invalid_grant", "The authorization code is invalid, expired or was already used.");
    if (form.get("redirect_uri") !== pending.redirectUri)
      return oauthError(res, 400, "invalid_grant", "redirect_uri does not match the authorization request.");
    const verifier = form.get("code_verifier");
    if (!verifier || !/^[A-Za-z0-9._~-]{43,128}$/.test(verifier) || !safeEqual(b64url(createHash("sha256").update(verifier).digest()), pending.codeChallenge))
      return oauthError(res, 400, "invalid_grant", "PKCE verification failed.");

    const now = Math.floor(Date.now() / 1000);
    const accessToken = b64url(randomBytes(32));
    accessTokens.set(accessToken, { user: pending.user, scope: pending.scope, expiresAt: Date.now() + tokenLifetime * 1000 });
    const idToken = signJwt({
      iss: issuer,
      aud: client.clientId,
      iat: now,
      exp: now + tokenLifetime,
      auth_time: now,
      ...(pending.nonce ? { nonce: pending.nonce } : {}),
      ...userClaims(pending.user, pending.scope),
    });
    sendJson(res, 200, { access_token: accessToken, token_type: "Bearer", expires_in: tokenLifetime, scope: pending.scope, id_token: idToken });
  }

  function handleUserinfo(req: IncomingMessage, res: ServerResponse): void {
    const header = req.headers.authorization;
    const token = header?.startsWith("Bearer ") ? header.slice(7) : undefined;
    const issued = token ? accessTokens.get(token) : undefined;
    if (!issued || issued.expiresAt < Date.now()) {
      // RFC 6750 3.1
      res.writeHead(401, { "WWW-Authenticate": `Bearer error="invalid_token", error_description="The access token is invalid or expired."` });
      res.end();
      return;
    }
    sendJson(res, 200, userClaims(issued.user, issued.scope));
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const route = async () => {
      switch (url.pathname) {
        case "/.well-known/openid-configuration":
          return sendJson(res, 200, discovery(), { "Cache-Control": "no-cache" });
        case "/jwks":
          return sendJson(res, 200, { keys: [jwk] }, { "Cache-Control": "no-cache" });
        case "/authorize":
          if (req.method === "GET") return handleAuthorize(req, res, url.searchParams);
          if (req.method === "POST") return handleAuthorize(req, res, new URLSearchParams(await readBody(req)));
          return oauthError(res, 405, "invalid_request", "Use GET or POST.");
        case "/token":
          return handleToken(req, res);
        case "/userinfo":
          return handleUserinfo(req, res);
        default:
          return sendJson(res, 404, { error: "not_found" });
      }
    };
    route().catch((error: unknown) => {
      if (!res.headersSent) oauthError(res, 500, "server_error", error instanceof Error ? error.message : String(error));
      else res.end();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  if (!issuer) issuer = `http://${host}:${port}`;
  issuer = issuer.replace(/\/$/, "");

  return {
    issuer,
    port,
    server,
    publicKey,
    kid,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
