import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "@/lib/errors";
import { loadWorkspaceConfig, parseWorkspaceConfig } from "./load-workspace-config";

const valid = `
refreshIntervalSeconds: 60
registries:
  - name: internal
    url: https://charts.example.com
    auth:
      basic: { usernameEnv: CHARTS_USER, passwordEnv: CHARTS_PASSWORD }
  - name: oci
    url: oci://registry.example.com/charts
    auth:
      bearer: { tokenEnv: OCI_TOKEN }
services:
  orders:
    repo: https://github.com/acme/orders
    tagPattern: "release-{version}"
    jiraProject: ORD
    grafanaDashboard: https://grafana.example.com/d/orders
  payments: {}
environments:
  # one repository per environment
  - name: payments-eu
    repo: git@github.com:acme/payments-eu-stack.git
    groups: { brand: payments, team: payments }
  # one repository, a branch per environment, chart in a folder
  - name: production
    repo: ./stacks/shop
    branch: release/production
    path: stack
    url: https://shop.example.com
`;

describe("workspace config", () => {
  it("parses both stack layouts and fills defaults", () => {
    const { config, baseDir } = parseWorkspaceConfig(valid, "/srv/slipway/slipway.yaml");
    expect(baseDir).toBe("/srv/slipway");
    expect(config.environments.map((e) => [e.name, e.branch, e.path])).toEqual([
      ["payments-eu", "main", ""],
      ["production", "release/production", "stack"],
    ]);
    expect(config.services.payments!.tagPattern).toBe("v{version}");
    expect(config.services.orders!.tagPattern).toBe("release-{version}");
    expect(config.registries[0]!.auth).toEqual({ basic: { usernameEnv: "CHARTS_USER", passwordEnv: "CHARTS_PASSWORD" } });
    expect(config.farBehindReleases).toBe(5);
  });

  it.each([
    ["environments: []", /environments: list at least one environment/],
    ["environments:\n  - name: dev", /slipway.yaml: environments\[0\]\.repo: .*set repo: to a path or git URL/],
    ["environments:\n  - { name: dev, repo: ., path: ../outside }", /environments\[0\]\.path: must stay inside the repository/],
    ["environments:\n  - { name: dev, repo: . }\n  - { name: dev, repo: . }", /environments\[1\]\.name: duplicate environment "dev"/],
    ["registries:\n  - { name: r, url: ftp://x }\nenvironments:\n  - { name: dev, repo: . }", /registries\[0\]\.url: must start with https:\/\//],
    [
      "registries:\n  - { name: a, url: https://a.example.com }\n  - { name: b, url: https://b.example.com, mirrorOf: [https://a.example.com/] }\nenvironments:\n  - { name: dev, repo: . }",
      /registries\[1\]\.mirrorOf\[0\]: https:\/\/a\.example\.com\/ is already served by registry "a"/,
    ],
    [
      "registries:\n  - { name: a, url: https://a.example.com, mirrorOf: [file:///srv/charts] }\nenvironments:\n  - { name: dev, repo: . }",
      /registries\[0\]\.mirrorOf\[0\]: must be an https:\/\/, http:\/\/ or oci:\/\/ URL/,
    ],
    ["services:\n  orders: { tagPattern: v1 }\nenvironments:\n  - { name: dev, repo: . }", /services\.orders\.tagPattern: must contain \{version\}/],
    ["services:\n  orders: { jiraProject: orders }\nenvironments:\n  - { name: dev, repo: . }", /jiraProject: must be a Jira project key/],
    ["environments:\n  - { name: dev, repo: ., colour: red }", /environments\[0\]: Unrecognized key: "colour"/],
    ["environments: [", /not valid YAML/],
  ])("rejects %j with an error naming the file and key", (text, message) => {
    expect(() => parseWorkspaceConfig(text, "/srv/slipway.yaml")).toThrow(ConfigError);
    expect(() => parseWorkspaceConfig(text, "/srv/slipway.yaml")).toThrow(message);
  });

  describe("environments discovered from stack repositories", () => {
    const discovering = `
discover:
  - repo: ./stacks/shop
    groups: { brand: shop }
    url: "https://{release}.example.com"
    snapshots: { tagPattern: "{release}-{date}.{n}" }
  - { repo: acme/other-stack, file: deploy/releases.yaml, branch: config, path: stack }
access:
  grants:
    - { role: requester, environments: [shop-dev], members: { users: [ada] } }
promotions:
  - [shop-dev, shop-production]
`;

    it("needs no environments of its own, fills defaults, and lets grants and promotions name what it will find", () => {
      const { config } = parseWorkspaceConfig(discovering, "/srv/slipway.yaml");
      expect(config.environments).toEqual([]);
      expect(config.discover).toEqual([
        {
          repo: "./stacks/shop",
          file: "release-config.yaml",
          branch: "main",
          path: "",
          groups: { brand: "shop" },
          url: "https://{release}.example.com",
          includePrereleases: false,
          readImageTags: false,
          snapshots: { tagPattern: "{release}-{date}.{n}" },
        },
        { repo: "acme/other-stack", file: "deploy/releases.yaml", branch: "config", path: "stack", groups: {}, includePrereleases: false, readImageTags: false },
      ]);
      expect(config.access.grants[0]!.environments).toEqual(["shop-dev"]);
      expect(config.promotions).toEqual([["shop-dev", "shop-production"]]);
    });

    it.each([
      ["{}", /environments: list at least one environment, or discover them from a stack repository \(discover:\) — add an environments: list or a discover: entry/],
      ["discover: []", /environments: list at least one environment, or discover them/],
      ["discover:\n  - { repo: ., file: ../outside.yaml }", /discover\[0\]\.file: must be a path inside the repository/],
      ["discover:\n  - { repo: ., environments: [a] }", /discover\[0\]: Unrecognized key: "environments"/],
      ["discover:\n  - { repo: ., autoMerge: true }", /discover\[0\]: Unrecognized key: "autoMerge"/],
      ["discover:\n  - { repo: ., discovered: { release: x } }", /discover\[0\]: Unrecognized key: "discovered"/],
      ["discover:\n  - { repo: ., url: ftp://x }", /discover\[0\]\.url: must start with http:\/\/ or https:\/\//],
      ["discover:\n  - { repo: ., snapshots: { tagPattern: \"prod-{date}.{n}\" } }", /discover\[0\]\.snapshots\.tagPattern: must contain \{release\}/],
      ["discover:\n  - { repo: . }\n  - { repo: ., file: release-config.yaml }", /discover\[1\]: release-config\.yaml on main of \. is already discovered/],
      [
        "discover:\n  - { repo: . }\naccess:\n  grants:\n    - { role: viewer, environments: [\"shop dev\"], members: { users: [ada] } }",
        /access\.grants\[0\]\.environments\[0\]: "shop dev" is not an environment name/,
      ],
      ["environments:\n  - { name: dev, repo: ., discovered: { release: x } }", /environments\[0\]: Unrecognized key: "discovered"/],
      [
        "environments:\n  - { name: dev, repo: . }\naccess:\n  grants:\n    - { role: viewer, environments: [shop-dev], members: { users: [ada] } }",
        /no environment named "shop-dev"/,
      ],
      ["environments:\n  - { name: dev, repo: . }\npromotions:\n  - [dev, shop-dev]", /promotions\[0\]\[1\]: no environment named "shop-dev"/],
    ])("rejects %j", (text, message) => {
      expect(() => parseWorkspaceConfig(text, "/srv/slipway.yaml")).toThrow(message);
    });
  });

  it("explains a missing file and how to get a demo workspace", () => {
    expect(() => loadWorkspaceConfig("/nonexistent/slipway.yaml")).toThrow(/file not found — set SLIPWAY_CONFIG.*npm run demo/);
  });

  it("reads the file from disk", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "slipway-config-"));
    writeFileSync(path.join(dir, "slipway.yaml"), valid);
    expect(loadWorkspaceConfig(path.join(dir, "slipway.yaml")).config.environments).toHaveLength(2);
  });
});
