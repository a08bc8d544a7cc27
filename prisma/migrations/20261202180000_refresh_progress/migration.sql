-- A refresh's progress (environments read of all, which are being read now) and each environment's timing.
ALTER TABLE "RefreshRun" ADD COLUMN "total" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "RefreshRun" ADD COLUMN "done" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "RefreshRun" ADD COLUMN "skipped" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "RefreshRun" ADD COLUMN "reading" JSONB;
ALTER TABLE "RefreshRun" ADD COLUMN "timings" JSONB;
