import { provideDb } from "@/lib/db";
import { ensureDemoUsers } from "@/lib/demo/ensure-demo-users";
import { type TestDatabase, createPgliteDatabase } from "./test-database";

/** A fresh in-memory database with the demo's accounts, made the process's database (what getDb() returns). */
export async function provideDatabaseWithDemoUsers(): Promise<TestDatabase> {
  const database = await createPgliteDatabase();
  provideDb(database.db);
  await ensureDemoUsers(database.db);
  return database;
}
