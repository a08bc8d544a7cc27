import { createHash, createPublicKey, randomBytes, verify } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OIDC_TEST_CLIENT, OIDC_TEST_USERS } from "./oidc-test-fixtures";
import { type OidcTestServer, startOidcTestServer } from "./oidc-test-server";

const REDIRECT_URI = "http://127.0.0.1:9/api/auth/callback/oidc";
const basic = `Basic ${Buffer.from(`${encodeURIComponent(OIDC_TEST_CLIENT.clientId)}:${encodeURIComponent(OIDC_TEST_CLIENT.clientSecret)}`).toString("base64")}`;
const form = { "Content-Type": "application/x-www-form-urlencoded" };

let idp: OidcTestServer;

beforeAll(async () => {
  idp = await startOidcTestServer({ clients: [{ ...OIDC_TEST_CLIENT, redirectUris: [REDIRECT_URI] }], users: OIDC_TEST_USERS });
});
afterAll(() => idp.close());

function pkce() {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

/** The browser's half of the flow: GET /authorize (the picker page), then submit the form as `username`. */
async function authorize(username: string, overrides: Record<string, string> = {}) {
  const { verifier, challenge } = pkce();
  const params = new URLSearchParams({
    client_id: OIDC_TEST_CLIENT.clientId,
    redirect_uri: REDIRECT_URI,
    response_type: "code",
    scope: "openid email profile",
    state: "state-123",
    nonce: "nonce-456",
    code_challenge: challenge,
    code_challenge_method: "S256",
    ...overrides,
  });
  const page = await fetch(`${idp.issuer}/authorize?${params}`, { redirect: "manual" });
  const submitted = new URLSearchParams(params);
  submitted.set("username", username);
  const response = await fetch(`${idp.issuer}/authorize`, { method: "POST", headers: form, body: submitted, redirect: "manual" });
  return { page, response, verifier, location: new URL(response.headers.get("location") ?? "http://invalid/") };
}

function decodeJwt(jwt: string) {
  const [header, payload, signature] = jwt.split(".") as [string, string, string];
  return {
    header: JSON.parse(Buffer.from(header, "base64url").toString()) as Record<string, unknown>,
    payload: JSON.parse(Buffer.from(payload, "base64url").toString()) as Record<string, unknown>,
    signingInput: `${header}.${payload}`,
    signature: Buffer.from(signature, "base64url"),
  };
}

describe("the OpenID Connect test provider", () => {
  it("publishes its discovery document and keys", async () => {
    const response = await fetch(`${idp.issuer}/.well-known/openid-configuration`);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    const doc = (await response.json()) as Record<string, unknown>;
    expect(doc).toMatchObject({
      issuer: idp.issuer,
      authorization_endpoint: `${idp.issuer}/authorize`,
      token_endpoint: `${idp.issuer}/token`,
      userinfo_endpoint: `${idp.issuer}/userinfo`,
      jwks_uri: `${idp.issuer}/jwks`,
      response_types_supported: ["code"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: ["RS256"],
      code_challenge_methods_supported: ["S256"],
      token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
    });
    const jwks = (await (await fetch(doc.jwks_uri as string)).json()) as { keys: Record<string, string>[] };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: "RSA", kid: idp.kid, alg: "RS256", use: "sig" });
    expect(jwks.keys[0]).not.toHaveProperty("d"); // public part only
  });

  it("runs the authorization code flow with PKCE and signs the ID token with its published key", async () => {
    const { page, response, verifier, location } = await authorize("olga");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Sign in to Test IdP");
    expect(response.status).toBe(302);
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
    expect(location.searchParams.get("state")).toBe("state-123");
    expect(location.searchParams.get("iss")).toBe(idp.issuer);
    const code = location.searchParams.get("code")!;
    expect(code).toBeTruthy();

    const token = await fetch(`${idp.issuer}/token`, {
      method: "POST",
      headers: { ...form, Authorization: basic },
      body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI, code_verifier: verifier }),
    });
    expect(token.status).toBe(200);
    expect(token.headers.get("cache-control")).toBe("no-store");
    const tokens = (await token.json()) as Record<string, unknown>;
    expect(tokens).toMatchObject({ token_type: "Bearer", expires_in: 300 });
    expect(typeof tokens.access_token).toBe("string");

    const jwt = decodeJwt(tokens.id_token as string);
    expect(jwt.header).toMatchObject({ alg: "RS256", kid: idp.kid });
    const jwks = (await (await fetch(`${idp.issuer}/jwks`)).json()) as { keys: import("node:crypto").JsonWebKey[] };
    const key = createPublicKey({ key: jwks.keys[0]!, format: "jwk" });
    expect(verify("RSA-SHA256", Buffer.from(jwt.signingInput), key, jwt.signature)).toBe(true);
    expect(verify("RSA-SHA256", Buffer.from(`${jwt.signingInput}x`), key, jwt.signature)).toBe(false);
    const now = Math.floor(Date.now() / 1000);
    expect(jwt.payload).toMatchObject({
      iss: idp.issuer,
      aud: OIDC_TEST_CLIENT.clientId,
      sub: "u-olga-0001",
      nonce: "nonce-456",
      preferred_username: "olga",
      name: "Olga Oidc",
      email: "olga@idp.example",
      groups: ["payments-developers"],
    });
    expect(jwt.payload.iat).toBeGreaterThanOrEqual(now - 5);
    expect(jwt.payload.exp).toBe((jwt.payload.iat as number) + 300);

    const userinfo = await fetch(`${idp.issuer}/userinfo`, { headers: { Authorization: `Bearer ${tokens.access_token}` } });
    expect(await userinfo.json()).toMatchObject({ sub: "u-olga-0001", preferred_username: "olga", groups: ["payments-developers"] });
    const noToken = await fetch(`${idp.issuer}/userinfo`, { headers: { Authorization: "Bearer nope" } });
    expect(noToken.status).toBe(401);
    expect(noToken.headers.get("www-authenticate")).toMatch(/invalid_token/);

    // A code is good once.
    const replay = await fetch(`${idp.issuer}/token`, {
      method: "POST",
      headers: { ...form, Authorization: basic },
      body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI, code_verifier: verifier }),
    });
    expect(replay.status).toBe(400);
    expect(await replay.json()).toMatchObject({ error: "invalid_grant" });
  });

  it("accepts client_secret_post, and gives a user without groups an empty groups claim", async () => {
    const { verifier, location } = await authorize("nora");
    const token = await fetch(`${idp.issuer}/token`, {
      method: "POST",
      headers: form,
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code: location.searchParams.get("code")!,
        redirect_uri: REDIRECT_URI,
        code_verifier: verifier,
        client_id: OIDC_TEST_CLIENT.clientId,
        client_secret: OIDC_TEST_CLIENT.clientSecret,
      }),
    });
    expect(token.status).toBe(200);
    const { payload } = decodeJwt(((await token.json()) as { id_token: string }).id_token);
    expect(payload).toMatchObject({ preferred_username: "nora", groups: [] });
  });

  it("answers a bad code, a wrong verifier, a wrong redirect URI and a bad client as RFC 6749 errors", async () => {
    const exchange = async (body: Record<string, string>, auth = basic) => {
      const response = await fetch(`${idp.issuer}/token`, {
        method: "POST",
        headers: { ...form, Authorization: auth },
        body: new URLSearchParams({ grant_type: "authorization_code", redirect_uri: REDIRECT_URI, ...body }),
      });
      return { status: response.status, body: (await response.json()) as { error: string; error_description: string } };
    };
    expect(await exchange({ code: "not-a-code", code_verifier: pkce().verifier })).toMatchObject({ status: 400, body: { error: "invalid_grant" } });

    const first = await authorize("olga");
    expect(await exchange({ code: first.location.searchParams.get("code")!, code_verifier: pkce().verifier })).toMatchObject({
      status: 400,
      body: { error: "invalid_grant", error_description: "PKCE verification failed." },
    });
    const second = await authorize("olga");
    expect(
      await exchange({ code: second.location.searchParams.get("code")!, code_verifier: second.verifier, redirect_uri: "http://127.0.0.1:9/elsewhere" }),
    ).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    const wrongSecret = `Basic ${Buffer.from(`${OIDC_TEST_CLIENT.clientId}:wrong`).toString("base64")}`;
    expect(await exchange({ code: "x", code_verifier: pkce().verifier }, wrongSecret)).toMatchObject({ status: 401, body: { error: "invalid_client" } });
    const grant = await fetch(`${idp.issuer}/token`, { method: "POST", headers: { ...form, Authorization: basic }, body: "grant_type=password" });
    expect(await grant.json()).toMatchObject({ error: "unsupported_grant_type" });
  });

  it("refuses an unknown redirect URI without redirecting, and a request without PKCE by redirecting an error", async () => {
    const unknown = await fetch(
      `${idp.issuer}/authorize?${new URLSearchParams({ client_id: OIDC_TEST_CLIENT.clientId, redirect_uri: "http://evil.test/cb", response_type: "code", scope: "openid", state: "s" })}`,
      { redirect: "manual" },
    );
    expect(unknown.status).toBe(400);
    const { response, location } = await authorize("olga", { code_challenge: "", code_challenge_method: "" });
    expect(response.status).toBe(302);
    expect(location.searchParams.get("error")).toBe("invalid_request");
    expect(location.searchParams.get("state")).toBe("state-123");
    expect(location.searchParams.get("code")).toBeNull();
  });
});
