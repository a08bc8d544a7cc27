// Imported first by scripts/bench.ts: the logger reads LOG_LEVEL when its module loads, and the refresher's info
// lines ("refresh finished") would interleave with the benchmark's own report.
process.env.LOG_LEVEL ??= "warn";
