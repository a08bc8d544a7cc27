import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";

/** Everything the browser can download: the built app's static folder. */
function staticFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    return statSync(full).isDirectory() ? staticFiles(full) : [full];
  });
}

test("no secret or server-only code reaches the client bundle", async ({ request }) => {
  // The sign-in page reads the session, so the server has made its session secret by the time it answers.
  expect((await request.get("/sign-in")).ok()).toBe(true);
  const staticDir = path.join(process.env.SLIPWAY_DIST_DIR || ".next", "static");
  const files = staticFiles(staticDir).filter((f) => /\.(js|css|json|map)$/.test(f));
  expect(files.length).toBeGreaterThan(10);
  const bundle = files.map((f) => readFileSync(f, "utf8")).join("\n");

  const secret = readFileSync(path.join(".slipway", "e2e", "auth-secret"), "utf8").trim();
  expect(secret.length).toBeGreaterThanOrEqual(32);
  expect(bundle).not.toContain(secret);
  for (const marker of ["NEXTAUTH_SECRET", "GITHUB_CLIENT_SECRET", "OIDC_CLIENT_SECRET", "passwordHash", "DATABASE_URL", "@node-rs/argon2", "PGlite"]) {
    expect(bundle, `client bundle mentions ${marker}`).not.toContain(marker);
  }
});
