/**
 * Serves the OpenID Connect test provider for the browser tests (playwright.config.ts starts it before the app):
 * `npx tsx test/oidc/serve-oidc.ts [--port N] [--redirect-uri URL]...`. Port also from E2E_OIDC_PORT (default 3199);
 * redirect URIs also from OIDC_TEST_REDIRECT_URIS (comma-separated).
 */
import { parseArgs } from "node:util";
import { OIDC_TEST_CLIENT, OIDC_TEST_USERS } from "./oidc-test-fixtures";
import { startOidcTestServer } from "./oidc-test-server";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: process.env.E2E_OIDC_PORT ?? "3199" },
    host: { type: "string", default: "127.0.0.1" },
    "redirect-uri": { type: "string", multiple: true, default: [] },
  },
});

const redirectUris = [...values["redirect-uri"]!, ...(process.env.OIDC_TEST_REDIRECT_URIS ?? "").split(",").filter(Boolean)];
if (redirectUris.length === 0) {
  console.error("serve-oidc: give at least one --redirect-uri (or OIDC_TEST_REDIRECT_URIS)");
  process.exit(2);
}

async function main() {
  const idp = await startOidcTestServer({
    port: Number(values.port),
    host: values.host,
    clients: [{ ...OIDC_TEST_CLIENT, redirectUris }],
    users: OIDC_TEST_USERS,
  });
  console.log(`serve-oidc: OpenID Connect test provider at ${idp.issuer} (client ${OIDC_TEST_CLIENT.clientId}, redirect ${redirectUris.join(", ")})`);
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void idp.close().then(() => process.exit(0)));
}

main().catch((error) => {
  console.error(`serve-oidc: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
