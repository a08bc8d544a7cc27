/**
 * `npm run db:migrate`: applies prisma/migrations to the database the app opens. The embedded database (no
 * DATABASE_URL) is migrated in-process and closed, so this exits on every run; PostgreSQL goes through
 * `prisma migrate deploy`, which exits there.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describeDatabaseTarget } from "@/lib/database-adapter";
import { migrateEmbeddedDatabase } from "@/lib/database/migrate-database";

const projectDir = path.resolve(__dirname, "..");

async function main(): Promise<number> {
  const target = describeDatabaseTarget();
  if (target.kind === "postgres") {
    const prismaCli = path.join(projectDir, "node_modules", "prisma", "build", "index.js");
    const result = spawnSync(process.execPath, [prismaCli, "migrate", "deploy"], { cwd: projectDir, stdio: "inherit" });
    return result.status ?? 1;
  }
  const applied = await migrateEmbeddedDatabase(target.location, {
    migrationsDir: path.join(projectDir, "prisma", "migrations"),
    command: "npm run db:migrate",
  });
  const relative = path.relative(process.cwd(), target.location);
  const where = relative && !relative.startsWith("..") ? relative : target.location;
  console.log(applied.length === 0 ? `db:migrate: ${where} is up to date` : `db:migrate: applied ${applied.join(", ")} to ${where}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`db:migrate: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
