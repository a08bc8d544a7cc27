/**
 * Child process of scripts/bench.ts: times Slipway's index parse against a plain js-yaml load of the same file.
 * It runs apart from the benchmark so that js-yaml's full object tree of a 20 MB index does not count towards the
 * refresh's memory figure; --expose-gc lets every run start from a collected heap, which is fair to both parsers.
 *   argv: <index.yaml> <runs>
 */
import { readFileSync } from "node:fs";
import { load } from "js-yaml";
import { parseHelmIndex } from "@/lib/registry/parse-helm-index";
import { scanHelmIndex } from "@/lib/registry/scan-helm-index";
import type { IndexParseFigures, ParserFigures } from "./index-parse";

const collect = (globalThis as { gc?: () => void }).gc ?? (() => {});

function measure<T>(runs: number, file: string, text: string, parse: (text: string) => T, count: (result: T) => { charts: number; versions: number }): ParserFigures {
  count(parse(text)); // warm-up: lets V8 optimise the parser before the clock runs
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    collect();
    const started = performance.now();
    parse(text);
    times.push(performance.now() - started);
  }
  // What the parsed result keeps alive once the text it was read from is gone (as a refresh lets it go): the heap
  // after against before reading a fresh copy. Strings cut from the text would keep all of it.
  collect();
  const before = process.memoryUsage().heapUsed;
  const kept = parse(readFileSync(file, "utf8"));
  // V8 holds the subject of the last regular expression match until the next one: any later match lets it go.
  /x/.exec("x");
  collect();
  const retainedBytes = Math.max(0, process.memoryUsage().heapUsed - before);
  return { timesMs: times, retainedBytes, ...count(kept) };
}

function main(): void {
  const [file, runsArg] = process.argv.slice(2);
  if (!file) throw new Error("usage: index-parse-child <index.yaml> [runs]");
  const runs = Number(runsArg ?? 5);
  const readStarted = performance.now();
  const text = readFileSync(file, "utf8");
  const readMs = performance.now() - readStarted;

  const figures: IndexParseFigures = {
    bytes: Buffer.byteLength(text),
    readMs,
    // The line scanner is the fast path; if it bails, parseHelmIndex falls back to the `yaml` package.
    scannerHandlesIt: scanHelmIndex(text) !== undefined,
    slipway: measure(runs, file, text, (t) => parseHelmIndex(t), (charts) => ({
      charts: charts.size,
      versions: [...charts.values()].reduce((n, versions) => n + versions.length, 0),
    })),
    jsYaml: measure(runs, file, text, (t) => load(t), (doc) => {
      const entries = (doc as { entries?: Record<string, unknown[]> }).entries ?? {};
      return { charts: Object.keys(entries).length, versions: Object.values(entries).reduce((n, list) => n + list.length, 0) };
    }),
    maxRssBytes: 0,
  };
  figures.maxRssBytes = process.resourceUsage().maxRSS * 1024;
  process.send!(figures);
}

main();
