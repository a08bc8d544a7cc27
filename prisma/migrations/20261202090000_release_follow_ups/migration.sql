-- Follow-up steps of a merged release request (issue 9: reverse promotion), each with its outcome.
ALTER TABLE "ReleaseRequest" ADD COLUMN "followUps" JSONB;
