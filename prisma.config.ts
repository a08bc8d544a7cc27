import path from "node:path";
import { defineConfig } from "prisma/config";
import { openDatabaseAdapter } from "./lib/database-adapter";

// The JS schema engine runs migrate offline; the adapter picks PostgreSQL when DATABASE_URL is set and the
// embedded PGlite database otherwise, exactly as the app does (lib/database-adapter.ts).
export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  adapter: async () => openDatabaseAdapter(),
});
