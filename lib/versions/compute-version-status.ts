import { parseChartVersionText } from "./chart-version";
import { compareHelmVersions, type HelmVersion } from "./helm-semver";
import type { ChartVersion } from "@/lib/registry/types";
import { withBadge } from "./badge";
import { measureSemverStep } from "./measure-semver-step";
import type { VersionStatus } from "./types";

export interface VersionStatusInput {
  /** The version the environment runs; undefined when it could not be resolved. */
  running?: string;
  /** What the registry publishes for the chart; undefined when the chart is in no registry. */
  published: ChartVersion[] | undefined;
  includePrereleases: boolean;
  /** This many eligible releases behind (or more) is "far behind", whatever the semver step. */
  farBehindReleases: number;
  now: Date;
}

interface PublishedVersion {
  semver: HelmVersion;
  /** As published, build metadata included, for display. */
  original: string;
  created?: Date;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Compares the running version of a chart with what its registry publishes.
 *
 * Latest is the highest published version that is not deprecated, and not a prerelease unless the environment opts
 * in. Versions are read as Helm reads them (Masterminds semver: `1.6`, a leading "v", leading zeros); tags Helm cannot
 * read are ignored; build metadata does not order versions.
 */
export function computeVersionStatus(input: VersionStatusInput): VersionStatus {
  const running = parseVersion(input.running);
  const published = (input.published ?? []).flatMap((entry) => {
    const parsed = parseVersion(entry.version);
    return parsed ? [{ entry, parsed }] : [];
  });
  const eligible: PublishedVersion[] = published
    .filter(({ entry, parsed }) => !entry.deprecated && (input.includePrereleases || parsed.prerelease === ""))
    .map(({ entry, parsed }) => ({
      semver: parsed,
      original: entry.version.trim(),
      ...(entry.created && { created: entry.created }),
    }));
  const latest = eligible.reduce<PublishedVersion | undefined>(
    (highest, candidate) => (!highest || compareHelmVersions(candidate.semver, highest.semver) > 0 ? candidate : highest),
    undefined,
  );

  const base = { running: input.running, latest: latest?.original, releasesBehind: 0, step: "none" as const };
  if (!running) return withBadge({ ...base, status: "unparseable" });
  if (!latest) return withBadge({ ...base, status: "not-in-registry" });

  const order = compareHelmVersions(running, latest.semver);
  if (order > 0) return withBadge({ ...base, status: "ahead" });
  if (order === 0) return withBadge({ ...base, status: "current" });

  const newer = eligible.filter((version) => compareHelmVersions(version.semver, running) > 0);
  // 1.2.3+a and 1.2.3+b (and 1.6 and 1.6.0) are one release as far as distance goes.
  const releasesBehind = new Set(newer.map(({ semver }) => `${semver.major}.${semver.minor}.${semver.patch}-${semver.prerelease}`)).size;
  const step = measureSemverStep(running, latest.semver);
  const daysBehind = measureDaysBehind(newer, input.now);
  // A deprecated or prerelease running version still counts as published: it only has to exist in the registry.
  const isPublished = published.some(({ parsed }) => compareHelmVersions(parsed, running) === 0);
  const isFar = step === "major" || releasesBehind >= input.farBehindReleases;

  return withBadge({
    ...base,
    status: !isPublished ? "not-in-registry" : isFar ? "far-behind" : "behind",
    releasesBehind,
    step,
    ...(daysBehind !== undefined && { daysBehind }),
  });
}

/** As Helm reads a version (Masterminds semver): `1.6`, `v1.2.3` and `v2021.08.23` are versions. */
function parseVersion(text: string | undefined): HelmVersion | undefined {
  return text === undefined ? undefined : parseChartVersionText(text);
}

/** Days since the first newer release came out: how long an upgrade has been available, backports included. */
function measureDaysBehind(newer: readonly PublishedVersion[], now: Date): number | undefined {
  const times = newer.flatMap((version) => (version.created ? [version.created.getTime()] : []));
  if (times.length === 0) return undefined;
  // A clock ahead of ours must not give negative days.
  return Math.max(0, Math.floor((now.getTime() - Math.min(...times)) / DAY_MS));
}

