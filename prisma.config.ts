import path from "node:path";
import { defineConfig } from "prisma/config";
import { openDatabaseAdapter } from "./lib/database-adapter";

// Prisma calls `adapter` more than once per command; a second PGlite on the same folder in one process would be
// two writers on one cluster (the folder's lock refuses it), so every call shares the first one.
let adapter: ReturnType<typeof openDatabaseAdapter> | undefined;

// The JS schema engine runs migrate offline; the adapter picks PostgreSQL when DATABASE_URL is set and the
// embedded PGlite database otherwise, exactly as the app does (lib/database-adapter.ts), and takes the embedded data
// folder's lock like every other process. Prisma never disposes the adapter, so on PGlite `prisma migrate deploy`
// does not exit when there is nothing to apply: `npm run db:migrate` migrates the embedded database in-process
// instead (lib/database/migrate-database.ts) and keeps `prisma migrate deploy` for PostgreSQL.
export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  adapter: async () => (adapter ??= openDatabaseAdapter()),
});
