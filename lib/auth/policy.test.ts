import { describe, expect, it } from "vitest";
import { type AccessConfig, accessSchema } from "@/lib/config/schema";
import { type PolicyAction, type ReleaseRef, decide } from "./policy";
import { ANONYMOUS, type Principal, SLIPWAY_SYSTEM } from "./principal";

const access: AccessConfig = accessSchema.parse({
  grants: [
    { role: "admin", members: { users: ["ada"] } },
    { role: "viewer", members: { emailDomains: ["example.com"] } },
    { role: "requester", groups: { brand: "payments" }, members: { users: ["ben"], oidcGroups: ["payments-devs"] } },
    { role: "gatekeeper", environments: ["shop-production"], members: { users: ["gita"] } },
    { role: "gatekeeper", groups: { brand: "payments", stage: "prod" }, members: { users: ["pat"] } },
  ],
});

const environments = {
  "shop-production": { name: "shop-production", groups: { brand: "shop", stage: "prod" } },
  "payments-eu": { name: "payments-eu", groups: { brand: "payments", stage: "prod" } },
};
type EnvName = keyof typeof environments;

const person = (username: string, extra: Partial<Principal> = {}): Principal => ({ username, source: "local", oidcGroups: [], githubTeams: [], ...extra });
const people = {
  ada: person("ada"),
  dana: person("dana", { email: "dana@example.com" }),
  ben: person("ben"),
  olga: person("olga", { source: "oidc", oidcGroups: ["payments-devs"] }),
  gita: person("gita"),
  pat: person("pat"),
  eve: person("eve", { email: "eve@evil.test" }),
  anonymous: ANONYMOUS,
};
type Who = keyof typeof people;

const onEnvironment = (name: EnvName) => ({ type: "environment", name, environment: environments[name] }) as const;

/** "ok", or the refusal's status. Written out by hand: these are the rules, not a copy of the code. */
type Answer = "ok" | 401 | 403 | 404;
const environmentMatrix: Record<Who, Record<EnvName, { view: Answer; plan: Answer }>> = {
  ada: { "shop-production": { view: "ok", plan: "ok" }, "payments-eu": { view: "ok", plan: "ok" } },
  dana: { "shop-production": { view: "ok", plan: 403 }, "payments-eu": { view: "ok", plan: 403 } },
  ben: { "shop-production": { view: 404, plan: 404 }, "payments-eu": { view: "ok", plan: "ok" } },
  olga: { "shop-production": { view: 404, plan: 404 }, "payments-eu": { view: "ok", plan: "ok" } },
  gita: { "shop-production": { view: "ok", plan: "ok" }, "payments-eu": { view: 404, plan: 404 } },
  pat: { "shop-production": { view: 404, plan: 404 }, "payments-eu": { view: "ok", plan: "ok" } },
  eve: { "shop-production": { view: 404, plan: 404 }, "payments-eu": { view: 404, plan: 404 } },
  anonymous: { "shop-production": { view: 401, plan: 401 }, "payments-eu": { view: 401, plan: 401 } },
};

const answer = (principal: Principal | null, action: PolicyAction, resource: Parameters<typeof decide>[2], config = access): Answer => {
  const decision = decide(principal, action, resource, config);
  return decision.allowed ? "ok" : (decision.status as Answer);
};

describe("policy: environments, person × environment × action", () => {
  for (const [who, principal] of Object.entries(people) as [Who, Principal][]) {
    for (const name of Object.keys(environments) as EnvName[]) {
      it(`${who} on ${name}`, () => {
        const want = environmentMatrix[who][name];
        expect(answer(principal, "environment.view", onEnvironment(name))).toBe(want.view);
        expect(answer(principal, "release.view", { type: "release", request: request({ environment: name }), environment: environments[name] })).toBe(want.view);
        expect(answer(principal, "release.plan", onEnvironment(name))).toBe(want.plan);
        expect(answer(principal, "release.raise", onEnvironment(name))).toBe(want.plan);
      });
    }
  }

  it("answers an unknown environment like an invisible one, and never says more before sign-in", () => {
    const unknown = { type: "environment", name: "nope", environment: undefined } as const;
    expect(decide(people.dana, "environment.view", unknown, access)).toEqual({ allowed: false, status: 404, reason: 'There is no environment named "nope".' });
    expect(decide(people.ben, "environment.view", onEnvironment("shop-production"), access)).toEqual({
      allowed: false,
      status: 404,
      reason: 'There is no environment named "shop-production".',
    });
    expect(answer(null, "environment.view", unknown)).toBe(401);
    expect(answer(null, "release.merge", { type: "release", request: request(), environment: undefined })).toBe(401);
  });
});

function request(extra: Partial<ReleaseRef> = {}): ReleaseRef {
  return { id: 7, environment: "payments-eu", requester: "ben", requesterSource: "local", provider: "local", state: "open", ...extra };
}
const onRelease = (extra: Partial<ReleaseRef> = {}) => {
  const ref = request(extra);
  return { type: "release", request: ref, environment: environments[ref.environment as EnvName] } as const;
};

describe("policy: release requests", () => {
  const mergeAndClose: Record<Who, { merge: Answer | 409; close: Answer | 409 }> = {
    ada: { merge: "ok", close: "ok" },
    dana: { merge: 403, close: 403 },
    ben: { merge: 403, close: "ok" }, // the requester closes, never approves
    olga: { merge: 403, close: 403 }, // a requester of the environment, not of this request
    gita: { merge: 404, close: 404 }, // cannot see payments-eu at all
    pat: { merge: "ok", close: "ok" }, // the environment's gatekeeper
    eve: { merge: 404, close: 404 },
    anonymous: { merge: 401, close: 401 },
  };
  for (const [who, principal] of Object.entries(people) as [Who, Principal][]) {
    it(`${who}: merge and close of ben's open request`, () => {
      expect(answer(principal, "release.merge", onRelease())).toBe(mergeAndClose[who].merge);
      expect(answer(principal, "release.close", onRelease())).toBe(mergeAndClose[who].close);
    });
  }

  it("never lets a gatekeeper merge their own request", () => {
    expect(decide(people.pat, "release.merge", onRelease({ requester: "pat" }), access)).toEqual({
      allowed: false,
      status: 403,
      reason: "pat raised #7; another gatekeeper must approve it.",
    });
  });

  it("compares requesters by provider-qualified member name, not by bare user name", () => {
    // github:ben is not local ben: he may not close it as its requester...
    expect(answer(people.ben, "release.close", onRelease({ requester: "ben", requesterSource: "github" }))).toBe(403);
    // ...and an OIDC "pat" who raised it does not stop the local gatekeeper pat from merging it.
    expect(answer(people.pat, "release.merge", onRelease({ requester: "pat", requesterSource: "oidc" }))).toBe("ok");
    // The CLI acts as the local account of the same name.
    expect(answer(person("ben", { source: "cli" }), "release.close", onRelease())).toBe("ok");
  });

  it("leaves pull requests to GitHub: closing or merging one here is a conflict, not a silent record change", () => {
    expect(decide(people.ben, "release.close", onRelease({ provider: "github", number: 12 }), access)).toMatchObject({ status: 409, reason: expect.stringContaining("close it on GitHub") });
    // A raise that never opened its pull request (deferred by a rate limit, or failed) has nothing on GitHub to close.
    expect(answer(people.ben, "release.close", onRelease({ provider: "github", state: "deferred", number: null }))).toBe("ok");
    expect(answer(people.ben, "release.close", onRelease({ provider: "github", state: "failed" }))).toBe("ok");
    expect(decide(people.pat, "release.merge", onRelease({ provider: "github" }), access)).toMatchObject({ status: 409, reason: expect.stringContaining("merge it on GitHub") });
  });

  it("lets Slipway merge only its own requests where autoMerge is set, pull requests once they are open", () => {
    const auto = { name: "payments-eu", groups: { brand: "payments", stage: "prod" }, autoUpgrade: { services: "all" as const, level: "minor" as const }, autoMerge: true };
    const own = (extra: Partial<ReleaseRef> = {}, environment: typeof auto | (typeof environments)["payments-eu"] = auto) =>
      ({ type: "release", request: request({ requester: "slipway", requesterSource: "system", ...extra }), environment }) as const;
    expect(answer(SLIPWAY_SYSTEM, "release.merge", own())).toBe("ok");
    expect(answer(SLIPWAY_SYSTEM, "release.merge", own({ provider: "github", number: 31 }))).toBe("ok");
    expect(decide(SLIPWAY_SYSTEM, "release.merge", own({ provider: "github", number: null }), access)).toMatchObject({ status: 409, reason: expect.stringContaining("no pull request yet") });
    expect(answer(SLIPWAY_SYSTEM, "release.merge", own({ requester: "ben", requesterSource: "local" }))).toBe(403);
    expect(answer(SLIPWAY_SYSTEM, "release.merge", own({}, environments["payments-eu"]))).toBe(403);
    expect(answer(SLIPWAY_SYSTEM, "release.merge", own({ state: "merged" }))).toBe(409);
  });

  it("lets only admins run a request's failed follow-through jobs again, whatever its state; never Slipway itself", () => {
    const rerun: Record<Who, Answer> = { ada: "ok", dana: 403, ben: 403, olga: 403, gita: 404, pat: 403, eve: 404, anonymous: 401 };
    for (const [who, principal] of Object.entries(people) as [Who, Principal][]) {
      expect({ who, answer: answer(principal, "job.rerun", onRelease({ state: "merged" })) }).toEqual({ who, answer: rerun[who] });
    }
    expect(answer(people.ada, "job.rerun", onRelease({ state: "closed", provider: "github", number: 4 }))).toBe("ok");
    expect(answer(SLIPWAY_SYSTEM, "job.rerun", onRelease())).toBe(403);
  });

  it("merges only open requests and closes open or failed ones", () => {
    expect(answer(people.pat, "release.merge", onRelease({ state: "merged" }))).toBe(409);
    expect(answer(people.pat, "release.merge", onRelease({ state: "failed" }))).toBe(409);
    expect(answer(people.ben, "release.close", onRelease({ state: "failed" }))).toBe("ok");
    expect(answer(people.ben, "release.close", onRelease({ state: "closed" }))).toBe(409);
  });
});

describe("policy: the workspace", () => {
  const workspace = { type: "workspace", environments: Object.values(environments) } as const;
  it.each([
    ["ada", "ok", "ok"],
    ["dana", "ok", 403],
    ["gita", "ok", 403],
    ["eve", 403, 403],
    ["anonymous", 401, 401],
  ] as const)("%s: refresh %s, admin pages (audit trail, users, settings, connection tests) %s", (who, refresh, admin) => {
    expect(answer(people[who], "workspace.refresh", workspace)).toBe(refresh);
    expect(answer(people[who], "audit.view", workspace)).toBe(admin);
    expect(answer(people[who], "user.create", workspace)).toBe(admin);
    expect(answer(people[who], "settings.view", workspace)).toBe(admin);
    expect(answer(people[who], "integration.test", workspace)).toBe(admin);
  });

  it("keeps the settings page and connection tests from anonymous readers and from Slipway itself", () => {
    const open = { ...access, anonymousRead: true };
    expect(answer(ANONYMOUS, "settings.view", workspace, open)).toBe(401);
    expect(answer(ANONYMOUS, "integration.test", workspace, open)).toBe(401);
    expect(answer(SLIPWAY_SYSTEM, "settings.view", workspace)).toBe(403);
    expect(answer(SLIPWAY_SYSTEM, "integration.test", workspace)).toBe(403);
  });

  it("lets anonymous callers read where anonymousRead is on, and do nothing else", () => {
    const open = { ...access, anonymousRead: true };
    expect(answer(ANONYMOUS, "environment.view", onEnvironment("payments-eu"), open)).toBe("ok");
    expect(answer(ANONYMOUS, "release.view", onRelease(), open)).toBe("ok");
    expect(answer(ANONYMOUS, "release.plan", onEnvironment("payments-eu"), open)).toBe(401);
    expect(answer(ANONYMOUS, "release.close", onRelease(), open)).toBe(401);
    expect(answer(ANONYMOUS, "workspace.refresh", workspace, open)).toBe(401);
  });
});
