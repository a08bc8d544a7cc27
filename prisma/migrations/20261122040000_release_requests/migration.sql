-- CreateTable
CREATE TABLE "ReleaseRequest" (
    "id" SERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "environment" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "requester" TEXT NOT NULL,
    "requesterSource" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "repo" TEXT NOT NULL,
    "baseBranch" TEXT NOT NULL,
    "baseSha" TEXT NOT NULL,
    "branch" TEXT NOT NULL,
    "headSha" TEXT,
    "number" INTEGER,
    "url" TEXT,
    "files" JSONB NOT NULL,
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "approvedBy" TEXT,
    "approvedAt" TIMESTAMP(3),
    "mergedBy" TEXT,
    "mergedAt" TIMESTAMP(3),
    "mergeSha" TEXT,
    "closedBy" TEXT,
    "closedAt" TIMESTAMP(3),

    CONSTRAINT "ReleaseRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReleaseItem" (
    "id" SERIAL NOT NULL,
    "requestId" INTEGER NOT NULL,
    "service" TEXT NOT NULL,
    "chart" TEXT NOT NULL,
    "fromVersion" TEXT NOT NULL,
    "toVersion" TEXT NOT NULL,
    "tickets" TEXT[],

    CONSTRAINT "ReleaseItem_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ReleaseRequest_idempotencyKey_key" ON "ReleaseRequest"("idempotencyKey");

-- CreateIndex
CREATE INDEX "ReleaseRequest_environment_createdAt_idx" ON "ReleaseRequest"("environment", "createdAt");

-- CreateIndex
CREATE INDEX "ReleaseRequest_state_idx" ON "ReleaseRequest"("state");

-- CreateIndex
CREATE INDEX "ReleaseItem_requestId_idx" ON "ReleaseItem"("requestId");

-- CreateIndex
CREATE INDEX "ReleaseItem_service_idx" ON "ReleaseItem"("service");

-- AddForeignKey
ALTER TABLE "ReleaseItem" ADD CONSTRAINT "ReleaseItem_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "ReleaseRequest"("id") ON DELETE CASCADE ON UPDATE CASCADE;

