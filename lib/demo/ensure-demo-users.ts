import { createLocalAccount } from "@/lib/auth/local-accounts";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { DEMO_USERS } from "./demo-users";

/** Creates the demo's local accounts that do not exist yet; returns the names it created. */
export async function ensureDemoUsers(db: PrismaClient): Promise<string[]> {
  const created: string[] = [];
  for (const user of DEMO_USERS) {
    if (await db.user.findUnique({ where: { username: user.username } })) continue;
    await createLocalAccount(db, { username: user.username, name: user.name, email: user.email, password: user.password });
    created.push(user.username);
  }
  return created;
}
