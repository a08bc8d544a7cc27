/**
 * Writes a Helm repository index.yaml the way `helm repo index` (go-yaml v2) lays it out: sequences at their
 * key's indent, quoted timestamps, long descriptions wrapped onto continuation lines, annotations holding
 * block scalars. Used by the index parser tests and benchmarks to get realistic files of any size.
 */
export interface GenerateHelmIndexOptions {
  charts: number;
  versionsPerChart: number;
  /** Line break to use; CRLF checks that Windows-edited indexes stay on the fast path. */
  newline?: "\n" | "\r\n";
}

export function generateHelmIndex({ charts, versionsPerChart, newline = "\n" }: GenerateHelmIndexOptions): string {
  const lines: string[] = ["apiVersion: v1", "entries:"];
  const base = Date.UTC(2022, 0, 1);
  for (let c = 0; c < charts; c++) {
    const name = `service-${c.toString().padStart(4, "0")}`;
    lines.push(`  ${name}:`);
    for (let v = versionsPerChart - 1; v >= 0; v--) {
      const version = `${1 + Math.floor(v / 100)}.${Math.floor(v / 10) % 10}.${v % 10}`;
      const created = new Date(base + (c * versionsPerChart + v) * 3_600_000).toISOString().replace("Z", "123456Z");
      lines.push(
        `  - annotations:`,
        `      artifacthub.io/changes: |`,
        `        - kind: changed`,
        `          description: Bump ${name} to ${version}`,
        `        - kind: fixed`,
        `          description: "Handle: quoted text"`,
        `      category: Infrastructure`,
        `      licenses: Apache-2.0`,
        `    apiVersion: v2`,
        `    appVersion: ${version}`,
        `    created: "${created}"`,
        `    dependencies:`,
        `    - condition: redis.enabled`,
        `      name: redis`,
        `      repository: oci://registry-1.docker.io/bitnamicharts`,
        `      version: 18.x.x`,
        `    - name: common`,
        `      repository: oci://registry-1.docker.io/bitnamicharts`,
        `      tags:`,
        `      - bitnami-common`,
        `      version: 2.x.x`,
        `    description: ${name} is a service of the demo platform that handles a great many things for`,
        `      its users, and its description is long enough for go-yaml to wrap it onto a second`,
        `      line.`,
        `    digest: ${hexDigest(c, v)}`,
        `    home: https://example.com/${name}`,
        `    icon: https://example.com/${name}/icon.png?raw=true&sanitize=true`,
        `    keywords:`,
        `    - ${name}`,
        `    - platform`,
        `    maintainers:`,
        `    - email: team@example.com`,
        `      name: Platform Team`,
        `    name: ${name}`,
        `    sources:`,
        `    - https://github.com/example/${name}`,
        `    type: application`,
        `    urls:`,
        `    - https://charts.example.com/${name}-${version}.tgz`,
        `    version: ${version}`,
      );
      if (v % 7 === 3) lines.push(`    deprecated: true`);
    }
  }
  lines.push(`generated: "2024-05-01T10:00:00.000000000Z"`, `serverInfo: {}`, "");
  return lines.join(newline);
}

function hexDigest(c: number, v: number): string {
  let seed = (c * 7919 + v * 104729) >>> 0;
  let out = "";
  while (out.length < 64) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    out += seed.toString(16).padStart(8, "0");
  }
  return out.slice(0, 64);
}
