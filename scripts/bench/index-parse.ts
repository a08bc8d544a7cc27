import { fork } from "node:child_process";
import path from "node:path";

export interface ParserFigures {
  timesMs: number[];
  /** Heap still held by one parsed result. */
  retainedBytes: number;
  charts: number;
  versions: number;
}

export interface IndexParseFigures {
  bytes: number;
  readMs: number;
  scannerHandlesIt: boolean;
  slipway: ParserFigures;
  jsYaml: ParserFigures;
  /** Peak RSS of the child that ran both parsers (js-yaml's object tree dominates it). */
  maxRssBytes: number;
}

/** Runs index-parse-child.ts in its own node process (same tsx loader and conditions) and returns its figures. */
export function measureIndexParse(indexFile: string, runs: number): Promise<IndexParseFigures> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(__dirname, "index-parse-child.ts"), [indexFile, String(runs)], {
      execArgv: [...process.execArgv, "--expose-gc"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    let figures: IndexParseFigures | undefined;
    child.on("message", (message) => {
      figures = message as IndexParseFigures;
    });
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (figures && code === 0) resolve(figures);
      else reject(new Error(`index parse child failed (exit ${code ?? signal})`));
    });
  });
}
