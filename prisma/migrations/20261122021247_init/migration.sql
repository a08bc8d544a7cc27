-- CreateTable
CREATE TABLE "EnvironmentSnapshot" (
    "environment" TEXT NOT NULL,
    "refreshedAt" TIMESTAMP(3) NOT NULL,
    "durationMs" INTEGER NOT NULL,
    "commitSha" TEXT,
    "commitDate" TIMESTAMP(3),
    "chartName" TEXT,
    "chartVersion" TEXT,
    "chartFormat" TEXT,
    "error" TEXT,
    "lastSuccessAt" TIMESTAMP(3),
    "warnings" TEXT[],

    CONSTRAINT "EnvironmentSnapshot_pkey" PRIMARY KEY ("environment")
);

-- CreateTable
CREATE TABLE "ServiceSnapshot" (
    "environment" TEXT NOT NULL,
    "service" TEXT NOT NULL,
    "chart" TEXT NOT NULL,
    "repository" TEXT NOT NULL,
    "constraint" TEXT NOT NULL,
    "running" TEXT,
    "resolvedFrom" TEXT,
    "unpinned" BOOLEAN NOT NULL DEFAULT false,
    "latest" TEXT,
    "releasesBehind" INTEGER NOT NULL DEFAULT 0,
    "step" TEXT NOT NULL,
    "daysBehind" INTEGER,
    "status" TEXT NOT NULL,
    "badgeLevel" INTEGER NOT NULL,
    "badgeColor" TEXT NOT NULL,
    "badgeLabel" TEXT NOT NULL,
    "imageTag" TEXT,
    "error" TEXT,

    CONSTRAINT "ServiceSnapshot_pkey" PRIMARY KEY ("environment","service")
);

-- CreateTable
CREATE TABLE "RegistrySnapshot" (
    "registry" TEXT NOT NULL,
    "refreshedAt" TIMESTAMP(3) NOT NULL,
    "chartCount" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,

    CONSTRAINT "RegistrySnapshot_pkey" PRIMARY KEY ("registry")
);

-- CreateTable
CREATE TABLE "RefreshRun" (
    "id" SERIAL NOT NULL,
    "trigger" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3),
    "environments" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "requests" INTEGER NOT NULL DEFAULT 0,
    "notModified" INTEGER NOT NULL DEFAULT 0,
    "bytes" BIGINT NOT NULL DEFAULT 0,
    "error" TEXT,

    CONSTRAINT "RefreshRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ServiceSnapshot_service_idx" ON "ServiceSnapshot"("service");

-- CreateIndex
CREATE INDEX "RefreshRun_startedAt_idx" ON "RefreshRun"("startedAt");

-- AddForeignKey
ALTER TABLE "ServiceSnapshot" ADD CONSTRAINT "ServiceSnapshot_environment_fkey" FOREIGN KEY ("environment") REFERENCES "EnvironmentSnapshot"("environment") ON DELETE CASCADE ON UPDATE CASCADE;
