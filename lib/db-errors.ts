import { Prisma } from "@/lib/generated/prisma/client";

/**
 * A unique constraint refused the write. Prisma reports it as P2002 on PostgreSQL (adapter-pg); the PGlite adapter
 * is built against an older adapter contract and passes the raw PostgreSQL error (SQLSTATE 23505) through instead.
 */
export function isUniqueViolation(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientKnownRequestError) return error.code === "P2002";
  const cause = (error as { cause?: { code?: string; kind?: string } } | null)?.cause;
  return cause?.code === "23505" || cause?.kind === "UniqueConstraintViolation";
}
