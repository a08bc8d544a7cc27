-- Environments discovered from stack repositories' release files (issue 9, item 9), and each file's last read.
CREATE TABLE "DiscoveredEnvironment" (
    "source" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "branch" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "attributes" JSONB NOT NULL,
    "discoveredAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DiscoveredEnvironment_pkey" PRIMARY KEY ("source","name")
);

CREATE TABLE "DiscoverySource" (
    "source" TEXT NOT NULL,
    "readAt" TIMESTAMP(3) NOT NULL,
    "lastSuccessAt" TIMESTAMP(3),
    "commitSha" TEXT,
    "error" TEXT,
    "problems" TEXT[],

    CONSTRAINT "DiscoverySource_pkey" PRIMARY KEY ("source")
);
