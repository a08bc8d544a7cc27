import type { SemverStep, VersionStatusKind } from "../versions/types";

/**
 * What the demo workspace contains, as data: the services and the versions the registry publishes, the
 * environments and what each pins, and the status the dashboard is expected to show for every cell. The
 * workspace writer renders this; tests (unit and browser) read the expectations from here rather than
 * repeating them.
 *
 * Dates are "days before now" so that "days behind" stays meaningful whenever the demo is created.
 * Rules the expectations follow (DESIGN.md, "Compare"): latest = highest non-deprecated version, stable only
 * unless the environment opts in to prereleases; far behind = a major step or >= 5 releases
 * (farBehindReleases). Every "behind" cell is at most 20 days behind and every "far-behind" cell about 45 or more,
 * so a days-based threshold anywhere in between does not change them.
 */

export interface DemoRelease {
  version: string;
  daysAgo: number;
  deprecated?: boolean;
}

export type DemoTagStyle = "annotated" | "lightweight";

export interface DemoService {
  /** Key in slipway.yaml `services:`; also the dependency alias where it differs from the chart. */
  key: string;
  chart: string;
  jiraProject: string;
  tagPattern: string;
  tagStyle: DemoTagStyle;
  description: string;
  /** Topics for commit subjects in the source repository. */
  subjects: string[];
  /** Oldest first. */
  releases: DemoRelease[];
}

/** Statuses a cell can show ("unknown" = the service's registry could not be read). */
export type DemoCellStatus = VersionStatusKind;

export interface DemoExpectation {
  status: DemoCellStatus;
  /**
   * The running version as resolved (lock first, exact pin second, range against the registry third); for
   * "unparseable" nothing resolves and this is the version as written.
   */
  running: string;
  latest?: string;
  releasesBehind?: number;
  step?: SemverStep;
  /** Resolved from a range with no lock entry. */
  unpinned?: boolean;
  note: string;
}

export interface DemoHistoryEvent {
  daysAgo: number;
  /** `version:` as written at that point. */
  version: string;
  /** Lock entry at that point (omit for none). */
  locked?: string;
  /** Commit subject without the PR number. */
  message: string;
}

export interface DemoPin {
  chart: string;
  alias?: string;
  /** `version:` as written in the final state. */
  version: string;
  /** Lock file entry in the final state; absent = no lock entry (Helm 2 range resolved from the registry). */
  locked?: string;
  /** Overrides the stack's repository reference (e.g. an oci:// URL). */
  repository?: string;
  condition?: string;
  tags?: string[];
  comment?: string;
  /**
   * How the final state came about when it is not simply "upgraded soon after the release was published":
   * events applied, in order, after the automatically derived upgrades. The last one must equal the final state.
   */
  history?: DemoHistoryEvent[];
  /**
   * State when the environment was set up, for pins the registry cannot provide a path for (a chart that is not
   * published, a range with no lock entry). Defaults to the final state.
   */
  startsAt?: { version: string; locked?: string };
  expect: DemoExpectation;
}

export type RepositoryStyle = "anchor" | "at" | "alias";

export interface DemoEnvironment {
  name: string;
  groups: Record<string, string>;
  url?: string;
  /** Folder under repos/stacks/. */
  stackRepo: string;
  branch: string;
  /** Folder inside the repository holding the umbrella chart ("" = root). */
  path: string;
  includePrereleases: boolean;
  readImageTags: boolean;
  format: "helm3" | "helm2";
  chartName: string;
  chartDescription: string;
  /** How dependencies point at the `demo` registry: a YAML anchor on "@demo", "@demo", or "alias:demo". */
  repositoryStyle: RepositoryStyle;
  /** When the environment's chart was first committed. */
  startedDaysAgo: number;
  /** How long after a release this environment usually picks it up. */
  lagDays: number;
  /** Verb for upgrade commits ("Upgrade", "Promote"). */
  upgradeVerb: string;
  /** Snapshot tag pattern (slipway.yaml `snapshots.tagPattern`): every deployment commit of the history is tagged. */
  snapshots?: string;
  pins: DemoPin[];
  /** Image tag overrides written to values.yaml as `<service>.image.tag`. */
  imageTags?: Record<string, string>;
  /** A last commit that breaks the chart file: the environment shows an error, the others still render. */
  broken?: { daysAgo: number; message: string; chartYaml: string; error: string };
}

export const DEMO_REGISTRY_NAME = "demo";
export const DEMO_UNREACHABLE_OCI = "oci://registry.demo.invalid/charts";

const r = (version: string, daysAgo: number, deprecated = false): DemoRelease =>
  deprecated ? { version, daysAgo, deprecated } : { version, daysAgo };

export const DEMO_SERVICES: DemoService[] = [
  {
    key: "orders",
    chart: "orders",
    jiraProject: "ORD",
    tagPattern: "v{version}",
    tagStyle: "annotated",
    description: "Order capture, order history and the order events stream",
    subjects: ["add index on orders.created_at", "fix rounding of order totals", "emit OrderPlaced with currency", "paginate order history", "idempotency key on POST /orders", "archive orders older than 7 years"],
    releases: [r("1.0.0", 210), r("1.1.0", 180), r("1.2.0", 150), r("1.2.1", 140), r("1.3.0", 110), r("1.3.1", 95), r("1.4.0", 60), r("1.4.1", 40), r("1.4.2", 9)],
  },
  {
    key: "payments",
    chart: "payments",
    jiraProject: "PAY",
    tagPattern: "v{version}",
    tagStyle: "annotated",
    description: "Card and wallet payments, refunds and settlement reports",
    subjects: ["fix rounding in partial refunds", "retry 3-D Secure callback on 502", "add Klarna as wallet", "settlement report in CSV", "mask PAN in logs", "capture after shipment, not on order"],
    releases: [r("1.8.0", 260), r("1.9.0", 220), r("2.0.0", 170), r("2.1.0", 120), r("2.1.1", 100), r("2.1.2", 75), r("2.2.0", 45), r("2.3.0", 20), r("2.3.1", 6), r("2.4.0", 2, true)],
  },
  {
    key: "catalog",
    chart: "catalog",
    jiraProject: "CAT",
    tagPattern: "v{version}",
    tagStyle: "lightweight",
    description: "Product catalogue: products, variants, categories and media",
    subjects: ["variant images in product API", "category tree cache", "bulk import from PIM", "drop legacy /v1/products", "sort variants by size", "fix slug collisions"],
    releases: [r("2.2.0", 230), r("2.3.0", 200), r("2.4.0", 150), r("2.4.1", 120), r("2.5.0", 80), r("2.6.0", 35), r("2.6.1", 14), r("3.0.0", 4, true)],
  },
  {
    key: "checkout",
    chart: "checkout",
    jiraProject: "CHK",
    tagPattern: "v{version}",
    tagStyle: "annotated",
    description: "Basket, checkout flow and delivery options",
    subjects: ["guest checkout", "keep basket across devices", "validate postcode before delivery options", "fix double submit on pay button", "express checkout with saved card", "show delivery dates"],
    releases: [r("0.9.0", 240), r("1.0.0", 190), r("1.1.0", 130), r("1.2.0", 90), r("1.2.1", 70), r("1.3.0", 28), r("1.3.1", 16), r("1.3.2", 3)],
  },
  {
    key: "search",
    chart: "search",
    jiraProject: "SRCH",
    tagPattern: "v{version}",
    tagStyle: "annotated",
    description: "Product search and autocomplete on OpenSearch",
    subjects: ["synonyms for colour names", "autocomplete on brand", "reindex without downtime", "boost in-stock products", "OpenSearch 2 client", "typo tolerance for short queries"],
    releases: [r("1.5.0", 230), r("1.5.1", 200), r("1.6.0", 160), r("1.7.0", 110), r("1.7.1", 80), r("1.8.0", 50), r("1.8.1", 25), r("2.0.0-beta.1", 18), r("2.0.0-rc.1", 5)],
  },
  {
    key: "inventory",
    chart: "inventory",
    jiraProject: "INV",
    tagPattern: "v{version}",
    tagStyle: "annotated",
    description: "Stock levels per warehouse and reservations",
    subjects: ["reserve stock on checkout start", "release expired reservations", "warehouse transfer events", "fix negative stock after cancel", "stock feed from WMS every minute", "batch reservation API"],
    releases: [r("2.9.0", 280), r("3.0.0", 210), r("3.0.1", 170), r("3.1.0", 120), r("3.1.1", 85), r("3.2.0", 50), r("3.3.0+build.412", 11)],
  },
  {
    key: "notifications",
    chart: "notifications",
    jiraProject: "NOTIF",
    tagPattern: "v{version}",
    tagStyle: "annotated",
    description: "E-mail, SMS and push notifications",
    subjects: ["switch SMS provider", "order shipped e-mail template", "push notifications for iOS", "unsubscribe link in footer", "rate limit per customer", "localise templates"],
    releases: [r("1.5.0", 230), r("1.6.0", 180), r("1.7.0", 130), r("1.7.1", 100), r("1.8.0", 60), r("1.9.0", 30), r("1.9.1", 8)],
  },
  {
    key: "accounts",
    chart: "accounts",
    jiraProject: "ACC",
    tagPattern: "v{version}",
    tagStyle: "annotated",
    description: "Customer accounts, login and addresses",
    subjects: ["passkeys", "merge duplicate accounts", "address book limit", "GDPR export", "lock account after failed logins", "OIDC for back office"],
    releases: [r("4.0.0", 300), r("4.1.0", 220), r("4.2.0", 150), r("4.2.1", 130), r("4.3.0", 90), r("5.0.0", 45), r("5.0.1", 30), r("5.1.0", 10)],
  },
  {
    key: "shipping",
    chart: "shipping",
    jiraProject: "SHIP",
    tagPattern: "v{version}",
    tagStyle: "annotated",
    description: "Carrier labels, tracking and delivery slots",
    subjects: ["DHL labels", "tracking webhook", "delivery slots per postcode", "returns label in e-mail", "fix timezone in cut-off time", "parcel locker support"],
    releases: [r("0.4.0", 220), r("0.5.0", 170), r("0.6.0", 120), r("0.7.0", 90), r("0.7.1", 60), r("0.8.0", 35), r("0.8.1", 21), r("0.8.2", 7)],
  },
  {
    key: "pricing",
    chart: "pricing",
    jiraProject: "PRC",
    tagPattern: "{version}",
    tagStyle: "annotated",
    description: "Prices, promotions and vouchers",
    subjects: ["voucher stacking rules", "price history for 30-day lowest price", "fix VAT on shipping", "promotion scheduler", "currency rounding per market", "bulk price upload"],
    releases: [r("1.0.0", 200), r("1.1.0", 160), r("1.2.0", 120), r("1.2.1", 100), r("1.3.0", 70), r("1.3.1", 40), r("1.4.0", 19), r("1.4.1", 2)],
  },
  {
    key: "reviews",
    chart: "reviews",
    jiraProject: "REV",
    tagPattern: "v{version}",
    tagStyle: "lightweight",
    description: "Product ratings and reviews with moderation",
    subjects: ["moderation queue", "verified buyer badge", "photos in reviews", "spam filter", "average rating cache", "report a review"],
    releases: [r("0.9.0", 260), r("0.9.1", 230), r("0.9.2", 190), r("0.9.3", 170), r("1.0.0", 120), r("1.1.0", 75), r("1.2.0", 33), r("1.2.1", 13)],
  },
  {
    key: "gateway",
    chart: "api-gateway",
    jiraProject: "GW",
    tagPattern: "release-{version}",
    tagStyle: "annotated",
    description: "Public API gateway: routing, auth and rate limits",
    subjects: ["rate limit per API key", "route /v2/checkout", "JWT audience check", "gzip responses", "CORS for the new storefront", "request id header"],
    releases: [r("3.4.0", 280), r("3.5.0", 200), r("3.6.0", 150), r("3.6.1", 130), r("4.0.0", 90), r("4.1.0", 55), r("4.1.1", 20), r("4.2.0", 10)],
  },
];

/** Services configured in slipway.yaml whose charts are not in the demo registry. */
export const DEMO_EXTRA_SERVICES = [
  {
    key: "backoffice-ui",
    chart: "backoffice-ui",
    jiraProject: "BO",
    comment: "Built by another team and never published to the demo registry: shows as not in registry.",
  },
  {
    key: "risk-engine",
    chart: "risk-engine",
    jiraProject: "RISK",
    comment: `A partner's chart pulled from ${DEMO_UNREACHABLE_OCI}, which cannot be reached: a per-service registry error.`,
  },
] as const;

// --- expectation helpers ------------------------------------------------------------------------------------

const current = (running: string, note = "running the latest"): DemoExpectation => ({
  status: "current",
  running,
  latest: running,
  releasesBehind: 0,
  step: "none",
  note,
});
const behind = (running: string, latest: string, releasesBehind: number, step: SemverStep, note: string): DemoExpectation => ({
  status: "behind",
  running,
  latest,
  releasesBehind,
  step,
  note,
});
const farBehind = (running: string, latest: string, releasesBehind: number, step: SemverStep, note: string): DemoExpectation => ({
  status: "far-behind",
  running,
  latest,
  releasesBehind,
  step,
  note,
});

/** The shop stack's chart, the same on every branch but for the versions. */
function shopPins(v: {
  orders: [string, string];
  payments: [string, string];
  catalog: string;
  checkout: string;
  search: string;
  inventory: string;
  notifications: string;
  accounts: string;
  shipping: string;
  pricing: string;
  reviews: string;
  gateway: string;
}): Array<Omit<DemoPin, "expect" | "history">> {
  return [
    { chart: "orders", version: v.orders[0], locked: v.orders[1], comment: "Order capture and history. The range follows patch releases; Chart.lock pins the exact one." },
    { chart: "payments", version: v.payments[0], locked: v.payments[1] },
    { chart: "catalog", version: v.catalog, locked: v.catalog },
    { chart: "checkout", version: v.checkout, locked: v.checkout },
    { chart: "search", version: v.search, locked: v.search },
    { chart: "inventory", version: v.inventory, locked: v.inventory },
    { chart: "notifications", version: v.notifications, locked: v.notifications },
    { chart: "accounts", version: v.accounts, locked: v.accounts },
    { chart: "shipping", version: v.shipping, locked: v.shipping },
    { chart: "pricing", version: v.pricing, locked: v.pricing },
    {
      chart: "reviews",
      version: v.reviews,
      locked: v.reviews,
      condition: "reviews.enabled",
      tags: ["storefront"],
      comment: "Optional: switched off per market with reviews.enabled.",
    },
    { chart: "api-gateway", alias: "gateway", version: v.gateway, locked: v.gateway, comment: "Same chart the platform team ships everywhere; the alias keeps the release name short." },
  ];
}

function withExpectations(
  pins: Array<Omit<DemoPin, "expect" | "history">>,
  expectations: Record<string, DemoExpectation>,
  histories: Record<string, DemoHistoryEvent[]> = {},
): DemoPin[] {
  return pins.map((p) => {
    const service = p.alias ?? p.chart;
    const expect = expectations[service];
    if (!expect) throw new Error(`no expectation for ${service}`);
    const history = histories[service];
    return history ? { ...p, expect, history } : { ...p, expect };
  });
}

const SHOP_GROUPS = { brand: "shop", team: "web" };
const PAYMENTS_GROUPS = { brand: "payments", team: "payments" };

export const DEMO_ENVIRONMENTS: DemoEnvironment[] = [
  {
    name: "shop-dev",
    groups: SHOP_GROUPS,
    url: "https://dev.shop.example.com",
    snapshots: "dev-{date}.{n}",
    stackRepo: "shop",
    branch: "main",
    path: "stack",
    includePrereleases: true,
    readImageTags: false,
    format: "helm3",
    chartName: "shop",
    chartDescription: "Storefront, checkout and fulfilment services of the shop, deployed together",
    repositoryStyle: "anchor",
    startedDaysAgo: 45,
    lagDays: 0.3,
    upgradeVerb: "Upgrade",
    pins: withExpectations(
      shopPins({
        orders: ["~1.4.0", "1.4.2"],
        payments: ["^2.1.0", "2.3.1"],
        catalog: "3.0.0",
        checkout: "1.3.2",
        search: "2.0.0-rc.1",
        inventory: "3.3.0+build.412",
        notifications: "1.8.5",
        accounts: "5.1.0",
        shipping: "0.8.2",
        pricing: "1.4.0",
        reviews: "1.2.1",
        gateway: "4.2.0",
      }),
      {
        orders: current("1.4.2", "range ~1.4.0 resolved through Chart.lock"),
        payments: current("2.3.1", "range ^2.1.0 resolved through Chart.lock; 2.4.0 is deprecated so 2.3.1 is latest"),
        catalog: { status: "ahead", running: "3.0.0", latest: "2.6.1", note: "runs 3.0.0, which was deprecated after release (latest non-deprecated is 2.6.1)" },
        checkout: current("1.3.2"),
        search: current("2.0.0-rc.1", "prerelease; current because shop-dev opts in to prereleases (would be ahead without it)"),
        inventory: current("3.3.0+build.412", "version with build metadata"),
        notifications: { status: "not-in-registry", running: "1.8.5", latest: "1.9.1", note: "1.8.5 was never published" },
        accounts: current("5.1.0"),
        shipping: current("0.8.2"),
        pricing: behind("1.4.0", "1.4.1", 1, "patch", "1.4.1 published 2 days ago"),
        reviews: current("1.2.1", "has condition and tags"),
        gateway: current("4.2.0", "chart api-gateway under alias gateway"),
      },
      {
        notifications: [{ daysAgo: 4, version: "1.8.5", locked: "1.8.5", message: "Pin notifications to 1.8.5 to try the new SMS provider" }],
      },
    ),
  },
  {
    name: "shop-staging",
    groups: SHOP_GROUPS,
    url: "https://staging.shop.example.com",
    stackRepo: "shop",
    branch: "release/staging",
    path: "stack",
    includePrereleases: false,
    readImageTags: false,
    format: "helm3",
    chartName: "shop",
    chartDescription: "Storefront, checkout and fulfilment services of the shop, deployed together",
    repositoryStyle: "anchor",
    startedDaysAgo: 50,
    lagDays: 1.5,
    upgradeVerb: "Upgrade",
    pins: withExpectations(
      shopPins({
        orders: ["~1.4.0", "1.4.1"],
        payments: ["^2.1.0", "2.3.0"],
        catalog: "2.6.1",
        checkout: "1.3.1",
        search: "1.8.1",
        inventory: "3.2.0",
        notifications: "1.9.0",
        accounts: "5.0.1",
        shipping: "0.8.2",
        pricing: "1.4.1",
        reviews: "1.2.0",
        gateway: "4.1.1",
      }),
      {
        orders: behind("1.4.1", "1.4.2", 1, "patch", "range ~1.4.0 admits 1.4.2 but Chart.lock still pins 1.4.1"),
        payments: behind("2.3.0", "2.3.1", 1, "patch", "range ^2.1.0 locked at 2.3.0"),
        catalog: current("2.6.1", "3.0.0 is deprecated, so 2.6.1 is latest"),
        checkout: behind("1.3.1", "1.3.2", 1, "patch", "rolled back from 1.3.2 yesterday"),
        search: current("1.8.1", "latest stable; staging does not opt in to prereleases"),
        inventory: behind("3.2.0", "3.3.0+build.412", 1, "minor", "one minor behind"),
        notifications: behind("1.9.0", "1.9.1", 1, "patch", "one patch behind"),
        accounts: behind("5.0.1", "5.1.0", 1, "minor", "one minor behind"),
        shipping: current("0.8.2"),
        pricing: current("1.4.1"),
        reviews: behind("1.2.0", "1.2.1", 1, "patch", "one patch behind"),
        gateway: behind("4.1.1", "4.2.0", 1, "minor", "one minor behind"),
      },
      {
        checkout: [
          { daysAgo: 2.5, version: "1.3.2", locked: "1.3.2", message: "Upgrade checkout to 1.3.2" },
          { daysAgo: 1, version: "1.3.1", locked: "1.3.1", message: "Roll back checkout to 1.3.1: pay button stays disabled on Safari" },
        ],
      },
    ),
  },
  {
    name: "shop-production",
    groups: SHOP_GROUPS,
    url: "https://shop.example.com",
    stackRepo: "shop",
    branch: "release/production",
    path: "stack",
    includePrereleases: false,
    readImageTags: false,
    format: "helm3",
    chartName: "shop",
    chartDescription: "Storefront, checkout and fulfilment services of the shop, deployed together",
    repositoryStyle: "anchor",
    startedDaysAgo: 90,
    lagDays: 4,
    upgradeVerb: "Promote",
    pins: withExpectations(
      shopPins({
        orders: ["~1.2.0", "1.2.0"],
        payments: ["1.9.0", "1.9.0"],
        catalog: "2.2.0",
        checkout: "1.0.0",
        search: "1.5.0",
        inventory: "2.9.0",
        notifications: "1.5.0",
        accounts: "4.2.1",
        shipping: "0.8.1",
        pricing: "1.4.1",
        reviews: "0.9.3",
        gateway: "3.6.1",
      }),
      {
        orders: farBehind("1.2.0", "1.4.2", 6, "minor", "range ~1.2.0 locked at 1.2.0; six releases behind"),
        payments: farBehind("1.9.0", "2.3.1", 7, "major", "a major behind"),
        catalog: farBehind("2.2.0", "2.6.1", 6, "minor", "six releases behind (deprecated 3.0.0 not counted)"),
        checkout: farBehind("1.0.0", "1.3.2", 6, "minor", "six releases behind"),
        search: farBehind("1.5.0", "1.8.1", 6, "minor", "six stable releases behind (prereleases not counted)"),
        inventory: farBehind("2.9.0", "3.3.0+build.412", 6, "major", "a major behind"),
        notifications: farBehind("1.5.0", "1.9.1", 6, "minor", "six releases behind"),
        accounts: farBehind("4.2.1", "5.1.0", 4, "major", "a major behind"),
        shipping: behind("0.8.1", "0.8.2", 1, "patch", "one patch behind"),
        pricing: current("1.4.1", "hotfix promoted the day after release"),
        reviews: farBehind("0.9.3", "1.2.1", 4, "major", "0.x to 1.x counts as a major step"),
        gateway: farBehind("3.6.1", "4.2.0", 4, "major", "a major behind"),
      },
      {
        pricing: [{ daysAgo: 1, version: "1.4.1", locked: "1.4.1", message: "Hotfix: promote pricing 1.4.1 to production (VAT on shipping)" }],
      },
    ),
  },
  {
    name: "payments-eu",
    groups: PAYMENTS_GROUPS,
    url: "https://eu.payments.example.com",
    stackRepo: "payments-eu",
    branch: "main",
    path: "",
    includePrereleases: false,
    readImageTags: true,
    format: "helm3",
    chartName: "payments-eu",
    chartDescription: "Payments stack for the EU region (Frankfurt)",
    repositoryStyle: "at",
    startedDaysAgo: 60,
    lagDays: 2,
    upgradeVerb: "Upgrade",
    imageTags: { payments: "2.3.1", checkout: "1.3.0-hotfix.2", gateway: "4.1.0" },
    pins: withExpectations(
      [
        { chart: "payments", version: "2.3.1", locked: "2.3.1" },
        { chart: "checkout", version: "1.3.0", locked: "1.3.0", comment: "values.yaml runs a hotfix image on top of this chart" },
        { chart: "accounts", version: "5.1.0", locked: "5.1.0" },
        { chart: "pricing", version: "1.4.2.1-eu", locked: "1.4.2.1-eu", comment: "TODO(PRC-311): the EU VAT build was never published under a semver version" },
        { chart: "notifications", version: "1.9.1", locked: "1.9.1" },
        { chart: "api-gateway", alias: "gateway", version: "4.1.0", locked: "4.1.0" },
        { chart: "orders", version: "1.4.2", locked: "1.4.2" },
      ],
      {
        payments: current("2.3.1", "image tag override 2.3.1"),
        checkout: behind("1.3.0", "1.3.2", 2, "patch", "two patches behind; image tag override 1.3.0-hotfix.2"),
        accounts: current("5.1.0"),
        pricing: { status: "unparseable", running: "1.4.2.1-eu", latest: "1.4.1", note: '"1.4.2.1-eu" is neither a version nor a range Helm reads (four numeric parts; the lock copies it, as Helm does for charts it could not look up)' },
        notifications: current("1.9.1"),
        gateway: behind("4.1.0", "4.2.0", 2, "minor", "two releases behind; image tag override 4.1.0"),
        orders: current("1.4.2"),
      },
      {
        pricing: [{ daysAgo: 6, version: "1.4.2.1-eu", locked: "1.4.2.1-eu", message: "Run the EU VAT build of pricing" }],
      },
    ),
  },
  {
    name: "payments-us",
    groups: PAYMENTS_GROUPS,
    url: "https://us.payments.example.com",
    stackRepo: "payments-us",
    branch: "main",
    path: "",
    includePrereleases: false,
    readImageTags: false,
    format: "helm3",
    chartName: "payments-us",
    chartDescription: "Payments stack for the US region (Virginia)",
    repositoryStyle: "alias",
    startedDaysAgo: 60,
    lagDays: 2,
    upgradeVerb: "Upgrade",
    pins: withExpectations(
      [
        { chart: "payments", version: "2.4.0", locked: "2.4.0", comment: "2.4.0 was deprecated after this rollout; see PAY-412" },
        { chart: "checkout", version: "1.3.2", locked: "1.3.2" },
        { chart: "accounts", version: "5.0.1", locked: "5.0.1" },
        { chart: "pricing", version: "latest", locked: "latest" },
        { chart: "notifications", version: "1.9.1", locked: "1.9.1" },
        { chart: "api-gateway", alias: "gateway", version: "4.2.0", locked: "4.2.0" },
        { chart: "orders", version: "1.4.1", locked: "1.4.1" },
        { chart: "risk-engine", version: "0.12.3", locked: "0.12.3", repository: DEMO_UNREACHABLE_OCI, comment: "Fraud scoring from our partner's registry" },
      ],
      {
        payments: { status: "ahead", running: "2.4.0", latest: "2.3.1", note: "runs 2.4.0, deprecated after release" },
        checkout: current("1.3.2"),
        accounts: behind("5.0.1", "5.1.0", 1, "minor", "one minor behind"),
        pricing: { status: "unparseable", running: "latest", latest: "1.4.1", note: '"latest" is not a version' },
        notifications: current("1.9.1"),
        gateway: current("4.2.0"),
        orders: behind("1.4.1", "1.4.2", 1, "patch", "one patch behind"),
        "risk-engine": { status: "unknown", running: "0.12.3", note: `${DEMO_UNREACHABLE_OCI} cannot be reached; the rest of the environment renders` },
      },
      {
        pricing: [{ daysAgo: 12, version: "latest", locked: "latest", message: "Always take the latest pricing" }],
      },
    ),
  },
  {
    name: "legacy-backoffice",
    groups: { brand: "backoffice", team: "ops" },
    url: "https://backoffice.example.com",
    stackRepo: "legacy-backoffice",
    branch: "main",
    path: "",
    includePrereleases: false,
    readImageTags: false,
    format: "helm2",
    chartName: "backoffice",
    chartDescription: "Back-office tools for customer service and the warehouse (still on Helm 2)",
    repositoryStyle: "alias",
    startedDaysAgo: 120,
    lagDays: 3,
    upgradeVerb: "Upgrade",
    pins: withExpectations(
      [
        { chart: "orders", version: "1.4.2", locked: "1.4.2" },
        { chart: "accounts", version: "4.3.0", locked: "4.3.0", comment: "5.x needs the new SSO; blocked on OPS-88" },
        { chart: "catalog", version: "2.5.5", locked: "2.5.5" },
        { chart: "inventory", version: "3.2.0_1", locked: "3.2.0_1" },
        { chart: "notifications", version: "1.5.0", locked: "1.5.0" },
        { chart: "reviews", version: "1.2.0", locked: "1.2.0" },
        { chart: "shipping", version: "~0.8.0", comment: "Not in requirements.lock: resolved from the registry on every build", startsAt: { version: "~0.6.0" } },
        { chart: "backoffice-ui", version: "0.3.0", locked: "0.3.0", startsAt: { version: "0.2.0", locked: "0.2.0" } },
      ],
      {
        orders: current("1.4.2"),
        accounts: farBehind("4.3.0", "5.1.0", 3, "major", "a major behind"),
        catalog: { status: "not-in-registry", running: "2.5.5", latest: "2.6.1", note: "2.5.5 was never published" },
        inventory: { status: "unparseable", running: "3.2.0_1", latest: "3.3.0+build.412", note: '"3.2.0_1" (a package-style build suffix) is neither a version nor a range' },
        notifications: farBehind("1.5.0", "1.9.1", 6, "minor", "six releases behind"),
        reviews: behind("1.2.0", "1.2.1", 1, "patch", "one patch behind"),
        shipping: { ...current("0.8.2", "range ~0.8.0 with no lock entry, resolved from the registry: unpinned"), unpinned: true },
        "backoffice-ui": { status: "not-in-registry", running: "0.3.0", note: "the chart is not published in any registry" },
      },
      {
        catalog: [{ daysAgo: 30, version: "2.5.5", locked: "2.5.5", message: "Use catalog 2.5.5 from the back-office fork" }],
        inventory: [{ daysAgo: 20, version: "3.2.0_1", locked: "3.2.0_1", message: "Pin inventory to the patched build 3.2.0_1" }],
        shipping: [{ daysAgo: 33, version: "~0.8.0", message: "Follow shipping 0.8 patch releases" }],
        "backoffice-ui": [{ daysAgo: 40, version: "0.3.0", locked: "0.3.0", message: "Upgrade backoffice-ui to 0.3.0" }],
      },
    ),
  },
  {
    name: "sandbox",
    groups: { brand: "shop", team: "platform" },
    stackRepo: "sandbox",
    branch: "main",
    path: "",
    includePrereleases: true,
    readImageTags: false,
    format: "helm3",
    chartName: "sandbox",
    chartDescription: "Scratch stack for trying chart changes before they go to dev",
    repositoryStyle: "at",
    startedDaysAgo: 30,
    lagDays: 1,
    upgradeVerb: "Upgrade",
    pins: withExpectations(
      [
        { chart: "orders", version: "1.4.2", locked: "1.4.2" },
        { chart: "api-gateway", alias: "gateway", version: "4.2.0", locked: "4.2.0" },
        { chart: "search", version: "2.0.0-rc.1", locked: "2.0.0-rc.1" },
      ],
      {
        orders: current("1.4.2", "only in the last valid commit; the branch head does not parse"),
        gateway: current("4.2.0", "only in the last valid commit; the branch head does not parse"),
        search: current("2.0.0-rc.1", "only in the last valid commit; the branch head does not parse"),
      },
    ),
    broken: {
      daysAgo: 1,
      message: "WIP: try the gateway canary",
      error: "Chart.yaml is not valid YAML (unclosed quote and a bad indent)",
      chartYaml: [
        "apiVersion: v2",
        "name: sandbox",
        "description: Scratch stack for trying chart changes before they go to dev",
        "type: application",
        "version: 0.9.0",
        "dependencies:",
        "  - name: orders",
        "    version: 1.4.2",
        '    repository: "@demo"',
        "  - name: api-gateway",
        "    alias: gateway",
        '    version: "4.3.0-canary.1',
        '    repository: "@demo"',
        "  - name: search",
        "     version: 2.0.0-rc.1",
        '    repository: "@demo"',
        "",
      ].join("\n"),
    },
  },
];

export function demoService(key: string): DemoService | undefined {
  return DEMO_SERVICES.find((s) => s.key === key || s.chart === key);
}
