-- The lock report of each environment (issue 8): whether its lock matches its dependencies, as helm dependency build judges it.
ALTER TABLE "EnvironmentSnapshot" ADD COLUMN "lockReport" JSONB;
