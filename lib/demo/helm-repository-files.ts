import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import semver from "semver";

import { toGoYaml, type GoYamlValue } from "./go-yaml-writer";
import { hashString } from "./seeded-random";

/** Files of a Helm chart repository as `helm package` + `helm repo index` leave them. */

/** RFC 3339 with nanoseconds, as Go formats `time.Time` (Helm's `created`/`generated`). */
export function goTimestamp(date: Date, seed = ""): string {
  const iso = date.toISOString(); // 2026-10-01T12:00:00.123Z
  // Go keeps nanoseconds the JS clock does not have; derive the missing digits so they look real but stay stable.
  const ms = date.getUTCMilliseconds();
  const h = hashString(`${seed}@${iso}`);
  const nanos = ms === 0 ? h % 1_000_000_000 : ms * 1_000_000 + (h % 1_000_000);
  return `${iso.slice(0, 19)}.${String(nanos).padStart(9, "0")}Z`;
}

export interface IndexEntry {
  name: string;
  version: string;
  appVersion?: string;
  created: Date;
  description: string;
  digest: string;
  deprecated?: boolean;
  home?: string;
  sources?: string[];
  keywords?: string[];
  maintainers?: { name: string; email?: string; url?: string }[];
  annotations?: Record<string, string>;
  dependencies?: { name: string; version: string; repository: string; condition?: string; tags?: string[] }[];
  kubeVersion?: string;
  icon?: string;
  /** Defaults to `charts/<name>-<version>.tgz`. */
  url?: string;
}

function entryValue(e: IndexEntry): GoYamlValue {
  return {
    annotations: e.annotations,
    apiVersion: "v2",
    appVersion: e.appVersion,
    created: goTimestamp(e.created, `${e.name}-${e.version}`),
    dependencies: e.dependencies,
    deprecated: e.deprecated ? true : undefined,
    description: e.description,
    digest: e.digest,
    home: e.home,
    icon: e.icon,
    keywords: e.keywords,
    kubeVersion: e.kubeVersion,
    maintainers: e.maintainers,
    name: e.name,
    sources: e.sources,
    type: "application",
    urls: [e.url ?? `charts/${e.name}-${e.version}.tgz`],
    version: e.version,
  };
}

/** Orders a chart's entries as `helm repo index` does: highest version first. */
export function sortEntriesNewestFirst(entries: IndexEntry[]): IndexEntry[] {
  return [...entries].sort((a, b) => semver.rcompare(a.version, b.version) || a.version.localeCompare(b.version));
}

/** index.yaml text for the given entries (grouped by chart, charts sorted by name). */
export function renderHelmIndex(entries: IndexEntry[], generated: Date): string {
  const byChart = new Map<string, IndexEntry[]>();
  for (const e of entries) {
    const list = byChart.get(e.name) ?? [];
    list.push(e);
    byChart.set(e.name, list);
  }
  const map: Record<string, GoYamlValue> = {};
  for (const [chart, list] of byChart) map[chart] = sortEntriesNewestFirst(list).map(entryValue);
  return toGoYaml({ apiVersion: "v1", entries: map, generated: goTimestamp(generated, "generated") });
}

/** A fake but stable sha256 for entries whose package is not written to disk. */
export function fakeDigest(seed: string): string {
  return createHash("sha256").update(seed).digest("hex");
}

// --- chart packages -----------------------------------------------------------------------------------------

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, "0")}\0`;
}

function tarHeader(name: string, size: number, mtime: Date): Buffer {
  const header = Buffer.alloc(512, 0);
  header.write(name, 0, 100, "utf8");
  header.write(octal(0o644, 8), 100, "ascii");
  header.write(octal(0, 8), 108, "ascii");
  header.write(octal(0, 8), 116, "ascii");
  header.write(octal(size, 12), 124, "ascii");
  header.write(octal(Math.floor(mtime.getTime() / 1000), 12), 136, "ascii");
  header.write("        ", 148, "ascii");
  header.write("0", 156, "ascii");
  header.write("ustar\0", 257, "ascii");
  header.write("00", 263, "ascii");
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, "ascii");
  return header;
}

/** A gzipped ustar archive of the given files (all regular, mode 644), as `helm package` produces. */
export function tarGz(files: Record<string, string>, mtime: Date): Buffer {
  const parts: Buffer[] = [];
  for (const [name, content] of Object.entries(files)) {
    const body = Buffer.from(content, "utf8");
    parts.push(tarHeader(name, body.length, mtime), body, Buffer.alloc((512 - (body.length % 512)) % 512, 0));
  }
  parts.push(Buffer.alloc(1024, 0));
  return gzipSync(Buffer.concat(parts), { level: 9 });
}

export function sha256Hex(data: Buffer | string): string {
  return createHash("sha256").update(data).digest("hex");
}
