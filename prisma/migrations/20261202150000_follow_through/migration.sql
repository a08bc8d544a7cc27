-- Follow-through of release requests (issue 10): the Slack message each channel got, so its update and thread reply
-- survive restarts, and the Jira fix version each service got per project, so the merge releases that one.
CREATE TABLE "ReleaseNotice" (
    "releaseRequestId" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "ts" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReleaseNotice_pkey" PRIMARY KEY ("releaseRequestId","channel")
);

CREATE TABLE "ReleaseFixVersion" (
    "releaseRequestId" INTEGER NOT NULL,
    "service" TEXT NOT NULL,
    "project" TEXT NOT NULL,
    "versionId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReleaseFixVersion_pkey" PRIMARY KEY ("releaseRequestId","service","project")
);

CREATE INDEX "ReleaseFixVersion_service_idx" ON "ReleaseFixVersion"("service");
