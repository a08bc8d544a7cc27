-- A raise that hit a GitHub rate limit Slipway would not wait for is deferred until "retryAfter", then resumed with the
-- same row, branch and commit message ("commitMessage", kept so a resume by the periodic sync credits the requester).
ALTER TABLE "ReleaseRequest" ADD COLUMN "retryAfter" TIMESTAMP(3),
ADD COLUMN "commitMessage" TEXT;

-- CreateIndex
CREATE INDEX "ReleaseRequest_state_retryAfter_idx" ON "ReleaseRequest"("state", "retryAfter");
