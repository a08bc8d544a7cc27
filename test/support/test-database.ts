import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaPGlite } from "pglite-prisma-adapter";
import pg from "pg";
import { PrismaClient } from "@/lib/generated/prisma/client";

/** The migrations in order, as `prisma migrate deploy` applies them. */
function migrationSql(): string[] {
  const dir = path.resolve(__dirname, "../../prisma/migrations");
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((name) => readFileSync(path.join(dir, name, "migration.sql"), "utf8"));
}

export interface TestDatabase {
  name: string;
  db: PrismaClient;
  /** PostgreSQL only: the database's URL, for a second client (a second instance of Slipway on the same database). */
  connectionString?: string;
  close(): Promise<void>;
}

/** A fresh in-memory PGlite database with the migrations applied. */
export async function createPgliteDatabase(): Promise<TestDatabase> {
  const client = new PGlite();
  for (const sql of migrationSql()) await client.exec(sql);
  const db = new PrismaClient({ adapter: new PrismaPGlite(client) as unknown as SqlMigrationAwareDriverAdapterFactory });
  return {
    name: "pglite",
    db,
    close: async () => {
      await db.$disconnect();
      await client.close();
    },
  };
}

/** A fresh database on the PostgreSQL server of TEST_DATABASE_URL, dropped again on close. */
export async function createPostgresDatabase(url: string): Promise<TestDatabase> {
  const name = `slipway_t_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  const setup = new pg.Client({ connectionString: target.toString() });
  await setup.connect();
  for (const sql of migrationSql()) await setup.query(sql);
  await setup.end();
  const db = new PrismaClient({ adapter: new PrismaPg({ connectionString: target.toString() }) });
  return {
    name: "postgresql",
    db,
    connectionString: target.toString(),
    close: async () => {
      await db.$disconnect();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** PGlite always; PostgreSQL too when TEST_DATABASE_URL is set (CI sets it). */
export function databaseFactories(): { name: string; create: () => Promise<TestDatabase> }[] {
  const url = process.env.TEST_DATABASE_URL;
  return [
    { name: "pglite", create: createPgliteDatabase },
    ...(url ? [{ name: "postgresql", create: () => createPostgresDatabase(url) }] : []),
  ];
}
