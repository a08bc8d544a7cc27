import { describe, expect, it } from "vitest";
import type { AccessConfig } from "@/lib/config/schema";
import { accessSchema } from "@/lib/config/schema";
import { type Action, allowedActions, can, gatekeepersFor, visibleEnvironments } from "./permissions";
import { ANONYMOUS, type Principal } from "./principal";

const access: AccessConfig = accessSchema.parse({
  grants: [
    { role: "admin", members: { users: ["ada"] } },
    { role: "viewer", members: { emailDomains: ["example.com"] } },
    { role: "requester", groups: { brand: "payments" }, members: { users: ["ben"], oidcGroups: ["payments-devs"] } },
    { role: "gatekeeper", environments: ["shop-production"], members: { users: ["gita", "github:gita-gh"], githubTeams: ["acme/release-managers"] } },
    { role: "viewer", environments: ["shop-dev"], members: { users: ["oidc:olga"] } },
    { role: "gatekeeper", groups: { brand: "payments", stage: "prod" }, members: { users: ["pat"] } },
  ],
});

const environments = {
  "shop-dev": { name: "shop-dev", groups: { brand: "shop" } },
  "shop-production": { name: "shop-production", groups: { brand: "shop", stage: "prod" } },
  "payments-eu": { name: "payments-eu", groups: { brand: "payments", stage: "prod" } },
  "payments-dev": { name: "payments-dev", groups: { brand: "payments" } },
};

const person = (username: string, extra: Partial<Principal> = {}): Principal => ({
  username, source: "local", oidcGroups: [], githubTeams: [], ...extra,
});

const people = {
  admin: person("ada"),
  dana: person("dana", { email: "dana@example.com" }),
  ben: person("ben", { email: "ben@example.com" }),
  oidcDev: person("olga", { source: "oidc", oidcGroups: ["payments-devs"] }),
  gita: person("gita", { email: "gita@example.com" }),
  ghTeam: person("octocat", { source: "github", githubTeams: ["ACME/release-managers"] }),
  pat: person("pat"),
  stranger: person("eve", { email: "eve@evil.test" }),
  anonymous: ANONYMOUS,
};

// The whole matrix, person × environment → actions allowed there.
const expected: Record<keyof typeof people, Record<keyof typeof environments, Action[]>> = {
  admin: { "shop-dev": ["view", "request", "approve", "admin"], "shop-production": ["view", "request", "approve", "admin"], "payments-eu": ["view", "request", "approve", "admin"], "payments-dev": ["view", "request", "approve", "admin"] },
  dana: { "shop-dev": ["view"], "shop-production": ["view"], "payments-eu": ["view"], "payments-dev": ["view"] },
  ben: { "shop-dev": ["view"], "shop-production": ["view"], "payments-eu": ["view", "request"], "payments-dev": ["view", "request"] },
  oidcDev: { "shop-dev": ["view"], "shop-production": [], "payments-eu": ["view", "request"], "payments-dev": ["view", "request"] },
  gita: { "shop-dev": ["view"], "shop-production": ["view", "request", "approve"], "payments-eu": ["view"], "payments-dev": ["view"] },
  ghTeam: { "shop-dev": [], "shop-production": ["view", "request", "approve"], "payments-eu": [], "payments-dev": [] },
  pat: { "shop-dev": [], "shop-production": [], "payments-eu": ["view", "request", "approve"], "payments-dev": [] },
  stranger: { "shop-dev": [], "shop-production": [], "payments-eu": [], "payments-dev": [] },
  anonymous: { "shop-dev": [], "shop-production": [], "payments-eu": [], "payments-dev": [] },
};

describe("permission matrix", () => {
  for (const [who, principal] of Object.entries(people)) {
    for (const [envName, env] of Object.entries(environments)) {
      it(`${who} on ${envName}`, () => {
        expect(allowedActions(principal, access, env)).toEqual(expected[who as keyof typeof people][envName as keyof typeof environments]);
      });
    }
  }

  it("admin actions need a workspace-wide admin grant", () => {
    expect(can(people.admin, "admin", access)).toBe(true);
    expect(can(people.gita, "admin", access)).toBe(false);
    expect(can(people.dana, "view", access)).toBe(true); // the viewer grant covers every environment
    expect(can(people.ben, "request", access)).toBe(false); // ben's request grant is limited to payments
  });

  it("anonymous read opens viewing only", () => {
    const open = { ...access, anonymousRead: true };
    expect(allowedActions(ANONYMOUS, open, environments["shop-dev"])).toEqual(["view"]);
    expect(can(ANONYMOUS, "request", open, environments["shop-dev"])).toBe(false);
  });

  it("filters the environments a person may see", () => {
    expect(visibleEnvironments(people.oidcDev, access, Object.values(environments)).map((e) => e.name)).toEqual(["shop-dev", "payments-eu", "payments-dev"]);
  });

  it("names an environment's gatekeepers for review requests", () => {
    expect(gatekeepersFor(access, environments["shop-production"])).toEqual({ users: ["gita", "github:gita-gh"], githubLogins: ["gita-gh"], githubTeams: ["acme/release-managers"] });
    expect(gatekeepersFor(access, environments["payments-eu"])).toEqual({ users: ["pat"], githubLogins: [], githubTeams: [] });
    expect(gatekeepersFor(access, environments["shop-dev"])).toEqual({ users: [], githubLogins: [], githubTeams: [] });
  });

  it("never lets an identity provider's user name borrow a local account's grants", () => {
    const impostor = person("ada", { source: "oidc", email: "ada@idp.example" });
    expect(can(impostor, "admin", access)).toBe(false);
    expect(allowedActions(impostor, access, environments["shop-dev"])).toEqual([]);
    expect(can(person("gita", { source: "github" }), "approve", access, environments["shop-production"])).toBe(false);
    expect(can(person("gita-gh", { source: "github" }), "approve", access, environments["shop-production"])).toBe(true);
  });
});
