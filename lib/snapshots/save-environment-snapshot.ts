import "server-only";
import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import type { EnvironmentStatus } from "@/lib/releases/environment-status";

/**
 * Stores one environment's status as its current snapshot, replacing the previous one in a transaction so a page
 * never sees half a refresh. When the environment could not be read, the last good services are kept and only
 * the error is recorded: a broken branch must not blank out what is known to run there.
 */
export async function saveEnvironmentSnapshot(db: PrismaClient, status: EnvironmentStatus): Promise<void> {
  const head = {
    refreshedAt: status.readAt,
    durationMs: status.durationMs,
    error: status.error ?? null,
    warnings: status.warnings,
  };
  if (status.error) {
    await db.environmentSnapshot.upsert({
      where: { environment: status.environment },
      create: { environment: status.environment, ...head, commitSha: status.commit?.sha ?? null },
      update: head,
    });
    return;
  }

  const full = {
    ...head,
    commitSha: status.commit?.sha ?? null,
    commitDate: status.commit?.date ?? null,
    chartName: status.chart?.name ?? null,
    chartVersion: status.chart?.version ?? null,
    chartFormat: status.chart?.format ?? null,
    lockReport: status.lock ? (status.lock as unknown as Prisma.InputJsonObject) : Prisma.DbNull,
    lastSuccessAt: status.readAt,
  };
  await db.$transaction([
    db.environmentSnapshot.upsert({
      where: { environment: status.environment },
      create: { environment: status.environment, ...full },
      update: full,
    }),
    db.serviceSnapshot.deleteMany({ where: { environment: status.environment } }),
    db.serviceSnapshot.createMany({
      data: status.services.map((s) => ({
        environment: status.environment,
        service: s.service,
        chart: s.chart,
        repository: s.repository,
        constraint: s.constraint,
        running: s.running ?? null,
        resolvedFrom: s.resolvedFrom ?? null,
        unpinned: s.unpinned,
        latest: s.version.latest ?? null,
        releasesBehind: s.version.releasesBehind,
        step: s.version.step,
        daysBehind: s.version.daysBehind ?? null,
        status: s.version.status,
        badgeLevel: s.version.badge.level,
        badgeColor: s.version.badge.color,
        badgeLabel: s.version.badge.label,
        imageTag: s.imageTag ?? null,
        error: s.error ?? null,
      })),
    }),
  ]);
}
