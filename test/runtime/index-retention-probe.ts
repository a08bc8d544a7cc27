/**
 * Run by index-retention.test.ts with --expose-gc: parses a ~10 MB index.yaml with the scanner or the YAML fallback,
 * lets the text go, and prints how many bytes of heap the parsed index keeps.
 */
import { parseHelmIndex, parseHelmIndexWithYaml } from "@/lib/registry/parse-helm-index";

const gc = (globalThis as { gc?: () => void }).gc!;
const parser = process.argv[2] === "yaml" ? parseHelmIndexWithYaml : parseHelmIndex;

function parseFreshIndex() {
  const lines = ["apiVersion: v1", "entries:"];
  for (let chart = 0; chart < 40; chart++) {
    lines.push(`  service-with-a-long-name-${chart}:`);
    for (let v = 0; v < 400; v++) {
      lines.push(
        `  - apiVersion: v2`,
        `    appVersion: 2.${v}.0-build-${chart}`,
        `    created: "2024-03-01T10:00:00.123456789Z"`,
        `    description: ${"A service Slipway does not read the description of. ".repeat(8)}`,
        `    digest: ${String(chart * 1000 + v).padStart(64, "a")}`,
        `    name: service-with-a-long-name-${chart}`,
        `    urls:`,
        `    - https://charts.example.com/service-with-a-long-name-${chart}-1.${v}.0.tgz`,
        `    version: 1.${v}.0-release-candidate`,
      );
    }
  }
  // Built as one flat string, as a response body read from the network is.
  const text = Buffer.from(lines.join("\n") + "\n", "utf8").toString("utf8");
  return { index: parser(text), textBytes: text.length };
}

gc();
const before = process.memoryUsage().heapUsed;
const { index, textBytes } = parseFreshIndex();
// V8 keeps the subject of the last regular expression match alive (RegExp.lastMatch) until the next match: any other
// match in the process lets it go, so this one stands for them.
/x/.exec("x");
gc();
gc();
process.stdout.write(JSON.stringify({ keptBytes: process.memoryUsage().heapUsed - before, textBytes, charts: index.size }));
