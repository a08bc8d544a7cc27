import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { readUmbrellaChart } from "@/lib/charts/read-umbrella-chart";
import { resolveRunningVersion } from "@/lib/charts/resolve-running-version";

/**
 * Slipway's own Helm chart (deploy/helm/slipway), checked without Helm or a cluster (neither is reachable here):
 * Slipway's chart reader reads it as it reads a stack, and the templates are held to values.yaml, the image and the
 * environment variables Slipway actually reads.
 */
const projectDir = path.resolve(__dirname, "../..");
const chartDir = path.join(projectDir, "deploy/helm/slipway");
const read = (file: string) => readFileSync(path.join(chartDir, file), "utf8");
const templates = readdirSync(path.join(chartDir, "templates")).map((file) => ({ file, text: read(`templates/${file}`) }));

describe("Slipway's chart, read by Slipway's chart reader as a stack", () => {
  const files = { chartYaml: read("Chart.yaml"), chartLock: read("Chart.lock"), valuesYaml: read("values.yaml") };

  it("reads name, version and the PostgreSQL dependency, with no problems and a lock Helm accepts", () => {
    const chart = readUmbrellaChart(files);
    expect(chart).toMatchObject({ format: "helm3", name: "slipway", version: "0.1.0", dependencyFile: "Chart.yaml", lockFile: "Chart.lock" });
    expect(chart.dependencies).toEqual([
      expect.objectContaining({
        chart: "postgresql",
        service: "postgresql",
        repository: { kind: "oci", url: "oci://registry-1.docker.io/bitnamicharts" },
        constraint: "16.7.27",
        condition: "postgresql.enabled",
        lockedVersion: "16.7.27",
      }),
    ]);
    expect(chart.problems).toEqual([]);
    // The lock was written offline with the digest `helm dependency build` recomputes; a drift here fails that build.
    expect(chart.lockReport).toMatchObject({ state: "in-sync", digest: { matches: true } });
    expect(resolveRunningVersion(chart.dependencies[0]!, [])).toMatchObject({ ok: true, version: "16.7.27", source: "lock" });
  });

  it("would notice a dependency renamed without updating the lock", () => {
    const renamed = readUmbrellaChart({ ...files, chartYaml: files.chartYaml.replace("- name: postgresql", "- name: postgres") });
    expect(renamed.lockReport.state).toBe("out-of-sync");
    expect(renamed.lockReport.dependenciesWithoutEntry).toEqual(["postgres"]);
  });

  it("has the application's version as appVersion", () => {
    const packageJson = JSON.parse(readFileSync(path.join(projectDir, "package.json"), "utf8")) as { version: string };
    expect((parse(files.chartYaml) as { appVersion: string }).appVersion).toBe(packageJson.version);
  });
});

describe("Slipway's chart templates, without Helm", () => {
  const values = parse(read("values.yaml")) as Record<string, unknown>;

  it("refer only to keys values.yaml declares", () => {
    const missing = new Set<string>();
    for (const { file, text } of templates) {
      for (const match of text.matchAll(/\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)/g)) {
        const keys = match[1]!.slice(1).split(".");
        let node: unknown = values;
        for (const key of keys) {
          if (node === null || typeof node !== "object" || !(key in node)) {
            missing.add(`${file}: .Values.${keys.join(".")}`);
            break;
          }
          node = (node as Record<string, unknown>)[key];
        }
      }
    }
    expect([...missing]).toEqual([]);
  });

  it("probes /api/health, and only it", () => {
    const deployment = templates.find((t) => t.file === "deployment.yaml")!.text;
    const probes = [...deployment.matchAll(/(startupProbe|livenessProbe|readinessProbe):\s*\n\s*httpGet: \{ path: ([^,]+), port: http \}/g)];
    expect(probes.map((probe) => [probe[1], probe[2]])).toEqual([
      ["startupProbe", "/api/health"],
      ["livenessProbe", "/api/health"],
      ["readinessProbe", "/api/health"],
    ]);
  });

  it("refuses several replicas on the embedded database", () => {
    const helpers = templates.find((t) => t.file === "_helpers.tpl")!.text;
    expect(helpers).toMatch(/if and \(gt \(int \.Values\.replicaCount\) 1\) \(not \(include "slipway\.usesPostgres" \.\)\)/);
    expect(helpers).toMatch(/fail \(printf "replicaCount is %d, but Slipway's embedded database allows one process/);
    expect(templates.find((t) => t.file === "deployment.yaml")!.text).toMatch(/^\{\{- include "slipway\.validate" \. \}\}/);
    expect(values.replicaCount).toBe(2);
  });

  it("matches the image: user, port, config path, data folders and health check", () => {
    const dockerfile = readFileSync(path.join(projectDir, "Dockerfile"), "utf8");
    const all = templates.map((t) => t.text).join("\n");
    expect(dockerfile).toMatch(/^USER 10001:10001$/m);
    expect(values.podSecurityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001 });
    expect(dockerfile).toMatch(/^EXPOSE 3000$/m);
    expect(all).toMatch(/containerPort: 3000/);
    expect(dockerfile).toMatch(/HEALTHCHECK[\s\S]*fetch\('http:\/\/127\.0\.0\.1:3000\/api\/health'\)/);
    for (const [name, value] of [
      ["SLIPWAY_CONFIG", "/etc/slipway/slipway.yaml"],
      ["SLIPWAY_DATA_DIR", "/var/lib/slipway/data"],
      ["SLIPWAY_CACHE_DIR", "/var/lib/slipway/cache"],
    ]) {
      expect(dockerfile).toContain(`${name}=${value}`);
      expect(all).toContain(`- name: ${name}\n  value: ${value}`);
    }
    expect(all).toContain("mountPath: /etc/slipway, readOnly: true");
  });

  it("caps the server's heap well under the container's memory limit", () => {
    const deployment = templates.find((t) => t.file === "deployment.yaml")!.text;
    expect(deployment).toContain('value: {{ printf "--max-old-space-size=%d" (int .) | quote }}');
    const resources = values.resources as { limits: { memory: string } };
    const limitMegabytes = Number(resources.limits.memory.replace(/Gi$/, "")) * 1024 || Number(resources.limits.memory.replace(/Mi$/, ""));
    expect(values.nodeHeapMegabytes).toBeGreaterThanOrEqual(192);
    // Room beside the heap for the embedded database (~150 MB), code and buffers.
    expect(values.nodeHeapMegabytes as number).toBeLessThanOrEqual(limitMegabytes - 384);
  });

  it("sets only environment variables Slipway reads", () => {
    const known = new Set(
      [...readFileSync(path.join(projectDir, "lib/config/environment.ts"), "utf8").matchAll(/^ {2}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]),
    );
    // Read elsewhere: HOSTNAME by Next's server, NODE_OPTIONS by Node, POSTGRESQL_PASSWORD only inside DATABASE_URL's
    // $(…) reference, the metrics token by the /metrics endpoint.
    const elsewhere = new Set(["HOSTNAME", "NODE_OPTIONS", "POSTGRESQL_PASSWORD", "SLIPWAY_METRICS_TOKEN"]);
    const set = new Set(templates.flatMap((t) => [...t.text.matchAll(/- name: ([A-Z][A-Z0-9_]+)$/gm)].map((m) => m[1]!)));
    expect(set.size).toBeGreaterThan(5);
    expect([...set].filter((name) => !known.has(name) && !elsewhere.has(name))).toEqual([]);
  });
});
