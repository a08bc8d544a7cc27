import type { OidcTestUser } from "./oidc-test-server";

/** The test provider's client registration for Slipway (the redirect URIs are added by whoever starts it). */
export const OIDC_TEST_CLIENT = { clientId: "slipway-e2e", clientSecret: "slipway-e2e-secret: not a real one" } as const;

/** The test provider's people: one in the payments developers' group (a requester on payments), one in no group. */
export const OIDC_TEST_USERS: OidcTestUser[] = [
  { sub: "u-olga-0001", preferred_username: "olga", name: "Olga Oidc", email: "olga@idp.example", groups: ["payments-developers"] },
  { sub: "u-nora-0002", preferred_username: "nora", name: "Nora Nogroups", email: "nora@idp.example", groups: [] },
];
