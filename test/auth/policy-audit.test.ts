import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_DENIALS_PER_ACTOR } from "@/lib/audit/record-denial";
import { enforce } from "@/lib/auth/enforce";
import { POLICY_ACTIONS, type PolicyAction, type PolicyResource } from "@/lib/auth/policy";
import { ANONYMOUS, type Principal } from "@/lib/auth/principal";
import { type AccessConfig, accessSchema } from "@/lib/config/schema";
import { type TestDatabase, databaseFactories } from "../support/test-database";

const access: AccessConfig = accessSchema.parse({
  grants: [
    { role: "admin", members: { users: ["ada"] } },
    { role: "viewer", members: { users: ["dana"] } },
    { role: "requester", environments: ["payments-eu"], members: { users: ["ben"] } },
    { role: "gatekeeper", environments: ["payments-eu"], members: { users: ["pat"] } },
  ],
});
const environments = [
  { name: "payments-eu", groups: {} },
  { name: "shop-production", groups: {} },
];
const person = (username: string): Principal => ({ username, source: "local", oidcGroups: [], githubTeams: [] });
const people = [person("ada"), person("dana"), person("ben"), person("pat"), person("eve"), ANONYMOUS];

/** Each action on the kind of thing it acts on: every environment, a request in every environment, the workspace. */
function resourcesFor(action: PolicyAction): PolicyResource[] {
  if (action === "workspace.refresh" || action === "audit.view" || action === "user.create") return [{ type: "workspace", environments }];
  if (action.startsWith("release.") && action !== "release.plan" && action !== "release.raise") {
    return environments.map((environment, i) => ({
      type: "release",
      environment,
      request: { id: i + 1, environment: environment.name, requester: "ben", requesterSource: "local", provider: "local", state: "open" },
    }));
  }
  return environments.map((environment) => ({ type: "environment", name: environment.name, environment }));
}

async function walk(db: TestDatabase["db"]): Promise<{ key: string; status: number }[]> {
  const refused: { key: string; status: number }[] = [];
  for (const principal of people) {
    for (const action of POLICY_ACTIONS) {
      for (const resource of resourcesFor(action)) {
        const where = resource.type === "workspace" ? "workspace" : resource.type === "release" ? `#${resource.request.id}` : resource.name;
        await enforce(principal, action, resource, { access, db }).catch((error: { status: number }) =>
          refused.push({ key: `${principal.username} ${action} ${where}`, status: error.status }),
        );
      }
    }
  }
  return refused;
}

describe.each(databaseFactories())("denials in the audit trail on $name", ({ create }) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await create();
  });
  afterAll(async () => {
    await database?.close();
  });

  it("records every refusal of a signed-in person once, across every action × person × environment", async () => {
    const refused = await walk(database.db);
    // Denials: 403s, and 404s for things that exist but are hidden. 401s (no session) and 409s (state) are not.
    const denials = refused.filter((r) => (r.status === 403 || r.status === 404) && !r.key.startsWith("anonymous"));
    expect(denials.length).toBeGreaterThan(20);
    expect(refused.some((r) => r.status === 401)).toBe(true);
    const rows = await database.db.auditEvent.findMany({ where: { action: "access.denied" } });
    const recorded = rows.map((row) => {
      const detail = row.detail as { action: string; status: number };
      return `${row.actor} ${detail.action} ${row.target ?? row.environment ?? "workspace"}`;
    });
    expect(recorded.sort()).toEqual(denials.map((d) => d.key).sort());

    // The same attempts again, at once: refused as before, and the trail does not grow.
    expect(await walk(database.db)).toEqual(refused);
    expect(await database.db.auditEvent.count({ where: { action: "access.denied" } })).toBe(rows.length);
  });

  it("stops recording one actor's flood of distinct denials at a cap, so it cannot bury the trail", async () => {
    const eve = person("mallory");
    for (let i = 0; i < MAX_DENIALS_PER_ACTOR + 30; i++) {
      const environment = { name: `env-${i}`, groups: {} };
      await expect(
        enforce(eve, "environment.view", { type: "environment", name: environment.name, environment }, { access, db: database.db }),
      ).rejects.toMatchObject({ status: 404 });
    }
    expect(await database.db.auditEvent.count({ where: { action: "access.denied", actor: "mallory" } })).toBe(MAX_DENIALS_PER_ACTOR);
  });
});
