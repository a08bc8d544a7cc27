import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

import type { DemoService } from "./demo-spec";
import { renderHelmIndex, sha256Hex, tarGz, type IndexEntry } from "./helm-repository-files";

/** The demo's file chart registry: packaged charts under charts/ and the index.yaml `helm repo index` would write. */

const DAY_MS = 86_400_000;

function chartPackage(service: DemoService, version: string, deprecated: boolean, created: Date): Buffer {
  const dir = service.chart;
  return tarGz(
    {
      [`${dir}/Chart.yaml`]: [
        "apiVersion: v2",
        `name: ${service.chart}`,
        `description: ${service.description}`,
        "type: application",
        `version: ${version}`,
        `appVersion: "${version}"`,
        ...(deprecated ? ["deprecated: true"] : []),
        "",
      ].join("\n"),
      [`${dir}/values.yaml`]: `replicaCount: 1\nimage:\n  repository: registry.example.com/${service.key}\n  tag: ""\n`,
      [`${dir}/templates/deployment.yaml`]: [
        "apiVersion: apps/v1",
        "kind: Deployment",
        "metadata:",
        "  name: {{ .Release.Name }}-{{ .Chart.Name }}",
        "spec:",
        "  replicas: {{ .Values.replicaCount }}",
        "",
      ].join("\n"),
    },
    created,
  );
}

export async function writeDemoRegistry(dir: string, services: DemoService[], now: Date): Promise<string> {
  const chartsDir = path.join(dir, "charts");
  await mkdir(chartsDir, { recursive: true });
  const entries: IndexEntry[] = [];
  const writes: Promise<void>[] = [];
  for (const service of services) {
    for (const release of service.releases) {
      const created = new Date(now.getTime() - release.daysAgo * DAY_MS);
      const tgz = chartPackage(service, release.version, release.deprecated === true, created);
      const file = `${service.chart}-${release.version}.tgz`;
      writes.push(writeFile(path.join(chartsDir, file), tgz));
      entries.push({
        name: service.chart,
        version: release.version,
        appVersion: release.version,
        created,
        description: service.description,
        digest: sha256Hex(tgz),
        deprecated: release.deprecated,
        home: `https://git.example.com/shop/${service.key}`,
        sources: [`https://git.example.com/shop/${service.key}`],
        maintainers: [{ name: `${service.key} team`, email: `${service.key}-team@example.com` }],
        url: `charts/${file}`,
      });
    }
  }
  await Promise.all(writes);
  const indexPath = path.join(dir, "index.yaml");
  await writeFile(indexPath, renderHelmIndex(entries, now));
  return indexPath;
}
