-- Release history per environment (lib/history): the first-parent commits that changed a pinned version, read
-- incrementally by the refresher, and how far each environment's history has been read.

-- CreateTable
CREATE TABLE "HistoryEntry" (
    "environment" TEXT NOT NULL,
    "sha" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "committedAt" TIMESTAMP(3) NOT NULL,
    "authorName" TEXT NOT NULL,
    "authorEmail" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "merge" BOOLEAN NOT NULL,
    "pullRequest" INTEGER,
    "changeRequest" INTEGER,
    "kind" TEXT NOT NULL,
    "changes" JSONB NOT NULL,
    "error" TEXT,

    CONSTRAINT "HistoryEntry_pkey" PRIMARY KEY ("environment","sha")
);

-- CreateTable
CREATE TABLE "HistoryCursor" (
    "environment" TEXT NOT NULL,
    "repo" TEXT NOT NULL,
    "branch" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "format" INTEGER NOT NULL,
    "headSha" TEXT NOT NULL,
    "newestSha" TEXT,
    "nextSha" TEXT,
    "topSeq" INTEGER NOT NULL DEFAULT 0,
    "bottomSeq" INTEGER NOT NULL DEFAULT 0,
    "commitsRead" INTEGER NOT NULL DEFAULT 0,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "generation" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "HistoryCursor_pkey" PRIMARY KEY ("environment")
);

-- CreateIndex
CREATE UNIQUE INDEX "HistoryEntry_environment_seq_key" ON "HistoryEntry"("environment", "seq");
