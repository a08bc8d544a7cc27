import "server-only";
import { type AppClients, createAppClients } from "@/lib/app-clients";
import { getWorkspace } from "@/lib/config/workspace";
import { getDb } from "@/lib/db";
import type { PrismaClient } from "@/lib/generated/prisma/client";

/** The server's clients: one set per process, so registry validators, git mirrors and GitHub's ETag cache carry over. */
export type ServerClients = AppClients & { db: PrismaClient };

const holder = globalThis as typeof globalThis & { slipwayClients?: ServerClients };

export function getServerClients(): ServerClients {
  const workspace = getWorkspace();
  if (holder.slipwayClients?.workspace !== workspace) holder.slipwayClients = { ...createAppClients({ workspace }), db: getDb() };
  return holder.slipwayClients;
}
