-- Refresh requests (issue 11): several instances on one PostgreSQL database, and the refresh leader does what any asked for.
CREATE TABLE "RefreshRequest" (
    "id" SERIAL NOT NULL,
    "trigger" TEXT NOT NULL,
    "full" BOOLEAN NOT NULL,
    "environments" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "requestedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "claimedBy" TEXT,
    "claimedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "runId" INTEGER,
    "error" TEXT,

    CONSTRAINT "RefreshRequest_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "RefreshRequest_finishedAt_idx" ON "RefreshRequest"("finishedAt");
