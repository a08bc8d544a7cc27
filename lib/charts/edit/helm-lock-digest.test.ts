import { createHash } from "node:crypto";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { goJson, goJsonString } from "./go-json";
import {
  helmLockDigest,
  helmV2RequirementsDigest,
  readHelmDependencies,
  resolveRepositoryNames,
  type HelmDependency,
} from "./helm-lock-digest";

const dependencies = (yamlText: string): HelmDependency[] => readHelmDependencies(parse(yamlText).dependencies);

/**
 * Digests Helm itself wrote. Where the matching Chart.yaml at that commit was not at hand, it is reconstructed from
 * the chart's layout in neighbouring revisions with the versions the lock resolved — a wrong guess would not hash to
 * Helm's value, so a match confirms both the guess and the algorithm.
 */
describe("helmLockDigest — Helm 3's HashReq", () => {
  it("matches the vector in Helm's own resolver_test.go (TestHashReq)", () => {
    const alpine = dependencies("dependencies: [{name: alpine, version: 0.1.0, repository: 'http://localhost:8879/charts'}]");
    expect(helmLockDigest(alpine, alpine)).toBe(
      "sha256:fb239e836325c5fa14b29d1540a13b7d3ba13151b67fe719f820e0ef6d66aaaf",
    );
    const ranged = dependencies("dependencies: [{name: alpine, version: ^0.1.0, repository: 'http://localhost:8879/charts'}]");
    expect(helmLockDigest(ranged, alpine)).not.toBe(
      "sha256:fb239e836325c5fa14b29d1540a13b7d3ba13151b67fe719f820e0ef6d66aaaf",
    );
  });

  it("matches a Chart.lock written by helm (CERIT-SC/binderhub a0df8b1, both files from that commit)", () => {
    const chart = `apiVersion: v2
dependencies:
- name: jupyterhub
  repository: https://jupyterhub.github.io/helm-chart
  version: 2.0.0
name: binderhub
version: 1.0.0-0.dev.git.3025.h276be90
`;
    const lock = `dependencies:
- name: jupyterhub
  repository: https://jupyterhub.github.io/helm-chart
  version: 2.0.0
digest: sha256:dfbe0e7ed802a52322021954fd29c949b4ea916637ba4fae96137932d0db0e48
generated: "2023-03-01T12:26:36.816440214Z"
`;
    expect(helmLockDigest(dependencies(chart), dependencies(lock))).toBe(parse(lock).digest);
  });

  it("covers condition and tags in field order (bitnami/charts wordpress Chart.lock at e459d86)", () => {
    const chart = `dependencies:
  - condition: memcached.enabled
    name: memcached
    repository: oci://registry-1.docker.io/bitnamicharts
    version: 7.x.x
  - condition: mariadb.enabled
    name: mariadb
    repository: oci://registry-1.docker.io/bitnamicharts
    version: 18.x.x
  - name: common
    repository: oci://registry-1.docker.io/bitnamicharts
    tags:
      - bitnami-common
    version: 2.x.x
`;
    const lock = `dependencies:
- name: memcached
  repository: oci://registry-1.docker.io/bitnamicharts
  version: 7.0.6
- name: mariadb
  repository: oci://registry-1.docker.io/bitnamicharts
  version: 18.0.5
- name: common
  repository: oci://registry-1.docker.io/bitnamicharts
  version: 2.19.2
digest: sha256:88f139bdbfc47912743cec19b9ae0dccb73703e9df39b18a6797915702078ce9
generated: "2024-05-15T12:57:13.430837+02:00"
`;
    expect(helmLockDigest(dependencies(chart), dependencies(lock))).toBe(parse(lock).digest);
  });

  it("hashes a named repository as the URL the lock recorded for it", () => {
    const chart = 'dependencies:\n  - {name: orders, version: 1.2.0, repository: "@internal"}\n';
    const lock = "dependencies:\n- name: orders\n  repository: https://charts.example.com\n  version: 1.2.0\n";
    const requested = resolveRepositoryNames(dependencies(chart), dependencies(lock));
    expect(requested[0]!.repository).toBe("https://charts.example.com");
    const resolvedChart = "dependencies:\n  - {name: orders, version: 1.2.0, repository: https://charts.example.com}\n";
    expect(helmLockDigest(requested, dependencies(lock))).toBe(
      helmLockDigest(dependencies(resolvedChart), dependencies(lock)),
    );
    // A lock entry for another chart at that position is no evidence of the URL.
    const other = "dependencies:\n- name: billing\n  repository: https://elsewhere.example.com\n  version: 1.0.0\n";
    expect(resolveRepositoryNames(dependencies(chart), dependencies(other))[0]!.repository).toBe("@internal");
  });

  it("writes alias, import-values and enabled like Go, and leaves out fields Go does not know", () => {
    const [dependency] = dependencies(`dependencies:
  - name: postgresql
    alias: db
    version: 12.5.6
    repository: oci://r
    enabled: true
    import-values: [{child: a, parent: b}, data]
    annotations: {x: y}
`);
    const digest = helmLockDigest([dependency!], []);
    const expected =
      '[[{"name":"postgresql","version":"12.5.6","repository":"oci://r","enabled":true,' +
      '"import-values":[{"child":"a","parent":"b"},"data"],"alias":"db"}],[]]';
    expect(digest).toBe(`sha256:${createHash("sha256").update(expected).digest("hex")}`);
  });
});

describe("helmV2RequirementsDigest — Helm 2's HashReq", () => {
  it("matches a requirements.lock written by Helm 2 (0xAX/grafana-influxdb-chart)", () => {
    const requirements = `dependencies:
  - name: influxdb
    version: 0.9.1
    repository: https://kubernetes-charts.storage.googleapis.com
    condition: influxdb.enabled
    tags:
      - influxdb
  - name: grafana
    version: 1.10.0
    repository: https://kubernetes-charts.storage.googleapis.com
    condition: grafana.enabled
    tags:
      - grafana
`;
    expect(helmV2RequirementsDigest(dependencies(requirements))).toBe(
      "sha256:004970515ab216fdd2eb96bacf833e03ba08026ed82a9e7f6ab93aecac45eed6",
    );
  });
});

describe("goJsonString", () => {
  it("escapes what Go's encoding/json escapes", () => {
    expect(goJsonString('a"b\\c\n\t\r')).toBe('"a\\"b\\\\c\\n\\t\\r"');
    expect(goJsonString(">=1.0.0 <2.0.0 & more")).toBe('">=1.0.0 \\u003c2.0.0 \\u0026 more"'.replace(">", "\\u003e"));
    expect(goJsonString("\b\f\u2028")).toBe('"\\u0008\\u000c\\u2028"');
    expect(goJsonString("é✓😀")).toBe('"é✓😀"');
    expect(goJsonString("\ud800")).toBe('"\ufffd"');
  });

  it("sorts map keys", () => {
    expect(goJson({ parent: "b", child: "a" })).toBe('{"child":"a","parent":"b"}');
  });
});
