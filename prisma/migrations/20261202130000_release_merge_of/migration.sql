-- A promotion raised as a merge of a snapshot's tag into the environment branch (issue 9, snapshots): the merged commit.
ALTER TABLE "ReleaseRequest" ADD COLUMN "mergeOf" TEXT;
