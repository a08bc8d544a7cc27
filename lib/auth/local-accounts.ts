import { hash, verify } from "@node-rs/argon2";
import { z } from "zod";
import { ValidationError } from "@/lib/errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";

/** Local accounts for the embedded default: argon2id hashes from @node-rs/argon2, never a hand-rolled scheme. */

export const newAccountSchema = z.object({
  username: z.string().regex(/^[a-z][a-z0-9._-]{1,38}$/, "user names are 2–39 lowercase letters, digits, '.', '_' or '-'"),
  name: z.string().max(100).optional(),
  email: z.string().email().optional(),
  password: z.string().min(10, "passwords need at least 10 characters").max(200),
});

export type NewAccount = z.infer<typeof newAccountSchema>;

export interface LocalAccount {
  username: string;
  name?: string;
  email?: string;
}

export async function createLocalAccount(db: PrismaClient, input: NewAccount): Promise<LocalAccount> {
  const parsed = newAccountSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError(parsed.error.issues.map((i) => i.message).join("; "));
  const { username, name, email, password } = parsed.data;
  if (await db.user.findUnique({ where: { username } })) throw new ValidationError(`user ${username} already exists`);
  const user = await db.user.create({ data: { username, name, email, passwordHash: await hash(password) } });
  return { username: user.username, name: user.name ?? undefined, email: user.email ?? undefined };
}

// Verifying against this when the user does not exist makes "no such user" take as long as "wrong password".
let dummyHash: Promise<string> | undefined;

export async function verifyLocalAccount(db: PrismaClient, username: string, password: string): Promise<LocalAccount | null> {
  const user = await db.user.findUnique({ where: { username } });
  if (!user || user.disabledAt) {
    dummyHash ??= hash("slipway-timing-equaliser");
    await verify(await dummyHash, password).catch(() => false);
    return null;
  }
  const ok = await verify(user.passwordHash, password).catch(() => false);
  return ok ? { username: user.username, name: user.name ?? undefined, email: user.email ?? undefined } : null;
}
