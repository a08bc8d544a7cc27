import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { annotateOnce, annotationKeyTag, createGrafana, type GrafanaPort } from "@/lib/integrations/grafana/grafana-client";
import { GrafanaError } from "@/lib/integrations/grafana/grafana-errors";
import { buildReleaseAnnotations } from "@/lib/integrations/grafana/release-annotations";
import { DEFAULT_GRAFANA_TOKEN, startGrafanaTestServer, type GrafanaTestServer } from "./grafana-test-server";

async function rejection(promise: Promise<unknown>): Promise<GrafanaError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(GrafanaError);
  return error as GrafanaError;
}

describe("Grafana annotations through fetch", () => {
  let server: GrafanaTestServer;
  let grafana: GrafanaPort;
  const config = () => ({ url: server.url, tokenEnv: "GRAFANA_TOKEN" });

  beforeAll(async () => {
    server = await startGrafanaTestServer({
      tokens: {
        [DEFAULT_GRAFANA_TOKEN]: { login: "sa-1-slipway" },
        glsa_viewer: { login: "sa-2-viewer", permissions: ["annotations:read"] },
      },
    });
    grafana = createGrafana(config(), DEFAULT_GRAFANA_TOKEN);
  });
  afterAll(() => server.close());
  afterEach(() => server.clearFaults());

  it("creates an annotation with Grafana's wire format and finds it by tag", async () => {
    const time = new Date("2025-03-01T10:00:00Z");
    const id = await grafana.createAnnotation({ time, tags: ["shop-production", "checkout", "1.3.0"], text: "Release request 42" });
    const post = server.requests.find((r) => r.route === "POST /api/annotations")!;
    expect(post.headers.authorization).toBe(`Bearer ${DEFAULT_GRAFANA_TOKEN}`);
    expect(post.headers["content-type"]).toBe("application/json");
    expect(post.body).toEqual({ time: time.getTime(), tags: ["shop-production", "checkout", "1.3.0"], text: "Release request 42" });

    const [found] = await grafana.findAnnotations(["checkout", "1.3.0"]);
    expect(found).toEqual({ id, time, timeEnd: time, tags: ["shop-production", "checkout", "1.3.0"], text: "Release request 42" });
    expect(await grafana.findAnnotations(["checkout", "9.9.9"])).toEqual([]);
    const get = server.requests.filter((r) => r.route === "GET /api/annotations").at(-1)!;
    expect(get.query.getAll("tags")).toEqual(["checkout", "9.9.9"]);
  });

  it("annotates each service of a release exactly once, also when the first answer is lost", async () => {
    const annotations = buildReleaseAnnotations({
      requestId: "77",
      kind: "rollback",
      environment: "shop-production",
      items: [
        { service: "checkout", from: "1.3.0", to: "1.2.0" },
        { service: "cart", from: "0.2.0", to: "0.1.0" },
      ],
      tickets: [{ key: "SHOP-1" }],
      ticketsLeaving: [{ key: "SHOP-2" }],
      requestUrl: "https://slipway.example.com/requests/77",
      time: new Date("2025-03-02T09:00:00Z"),
    });
    const before = server.effects().created;

    server.injectOnce({ method: "POST", path: /^\/api\/annotations$/, kind: "drop-response" });
    const lost = await rejection(annotateOnce(grafana, annotations[0]!.keyTag, annotations[0]!.annotation));
    expect(lost).toMatchObject({ code: "network", retryable: true });

    // The job layer retries everything; what landed is found by its key tag, not written again.
    const results = [];
    for (const { keyTag, annotation } of annotations) results.push(await annotateOnce(grafana, keyTag, annotation));
    expect(results.map((r) => r.created)).toEqual([false, true]);
    expect(await annotateOnce(grafana, annotations[1]!.keyTag, annotations[1]!.annotation)).toEqual({ id: results[1]!.id, created: false });
    expect(server.effects().created).toBe(before + 2);

    const [checkout] = server.annotationsTagged(annotationKeyTag("77", "checkout"));
    expect(checkout!.tags).toEqual(["shop-production", "checkout", "1.2.0", "slipway", "rollback", "slipway-request-77-checkout"]);
    expect(checkout!.text).toBe(
      "Slipway rollback of checkout in shop-production: 1.3.0 → 1.2.0\nRelease request 77 https://slipway.example.com/requests/77\nTickets: SHOP-1\nTickets leaving shop-production: SHOP-2",
    );
  });

  it("annotates the configured dashboard, and says so when it does not exist", async () => {
    const onDashboard = createGrafana({ ...config(), dashboardUID: "slipway-services" }, DEFAULT_GRAFANA_TOKEN);
    const id = await onDashboard.createAnnotation({ time: new Date(), tags: ["dash"], text: "on the dashboard" });
    expect(server.annotations().find((a) => a.id === id)!.dashboardUID).toBe("slipway-services");
    expect((await onDashboard.findAnnotations(["dash"])).map((a) => a.dashboardUID)).toEqual(["slipway-services"]);

    const missing = createGrafana({ ...config(), dashboardUID: "nope" }, DEFAULT_GRAFANA_TOKEN);
    const error = await rejection(missing.createAnnotation({ time: new Date(), tags: [], text: "x" }));
    expect(error).toMatchObject({ code: "http_404", retryable: false });
    expect(error.message).toMatch(/grafana\.dashboardUID/);
  });

  it("maps 401 and 403 to errors that name the token variable and the permission", async () => {
    const unknown = await rejection(createGrafana(config(), "glsa_wrong").createAnnotation({ time: new Date(), tags: [], text: "x" }));
    expect(unknown).toMatchObject({ code: "http_401", retryable: false });
    expect(unknown.message).toContain("Invalid API key");
    expect(unknown.message).toContain("GRAFANA_TOKEN");

    const viewer = await rejection(createGrafana(config(), "glsa_viewer").createAnnotation({ time: new Date(), tags: [], text: "x" }));
    expect(viewer).toMatchObject({ code: "http_403", retryable: false });
    expect(viewer.message).toContain("Permissions needed: annotations:create");
  });

  it("maps 4xx bodies: a bad request is not retried", async () => {
    const empty = await rejection(grafana.createAnnotation({ time: new Date(), tags: [], text: "" }));
    expect(empty).toMatchObject({ code: "http_400", retryable: false });
    expect(empty.message).toContain("Failed to save annotation");

    const backwards = await rejection(grafana.createAnnotation({ time: new Date(2000), timeEnd: new Date(1000), tags: [], text: "x" }));
    expect(backwards.code).toBe("http_400");

    const gone = await rejection(grafana.updateAnnotation(999_999, { text: "x" }));
    expect(gone).toMatchObject({ code: "http_404", retryable: false });
    expect(gone.message).toContain("Annotation not found");
  });

  it("retries what may pass later: 500s, 429s with Retry-After, timeouts", async () => {
    server.injectOnce({ method: "POST", status: 500 });
    const unavailable = await rejection(grafana.createAnnotation({ time: new Date(), tags: [], text: "x" }));
    expect(unavailable).toMatchObject({ code: "http_500", retryable: true });
    expect(unavailable.message).toContain("Internal Server Error");

    server.injectOnce({ kind: "rate-limit", retryAfterSeconds: 20 });
    const started = Date.now();
    const limited = await rejection(grafana.findAnnotations(["x"]));
    expect(limited).toMatchObject({ code: "http_429", retryable: true });
    expect(limited.retryAfter!.getTime()).toBeGreaterThanOrEqual(started + 19_000);

    server.injectOnce({ kind: "timeout" });
    const impatient = createGrafana(config(), DEFAULT_GRAFANA_TOKEN, { timeoutMs: 200 });
    const timedOut = await rejection(impatient.createAnnotation({ time: new Date(), tags: [], text: "x" }));
    expect(timedOut).toMatchObject({ code: "timeout", retryable: true });
    expect(server.effects().created).toBe(server.annotations().length);
  });

  it("patches text and tags", async () => {
    const id = await grafana.createAnnotation({ time: new Date(), tags: ["a"], text: "before" });
    await grafana.updateAnnotation(id, { text: "after", tags: ["a", "b"] });
    expect(server.annotations().find((a) => a.id === id)).toMatchObject({ text: "after", tags: ["a", "b"] });
  });

  it("tests the connection: health without a token, then the token", async () => {
    expect(await grafana.testConnection()).toEqual({ version: "11.6.0", database: "ok" });
    const health = server.requests.filter((r) => r.route === "GET /api/health").at(-1)!;
    expect(health.headers.authorization).toBeUndefined();
    expect((await rejection(createGrafana(config(), "glsa_wrong").testConnection())).code).toBe("http_401");
    expect(() => createGrafana(config(), undefined)).toThrow(/GRAFANA_TOKEN is not set/);
  });

  it("refuses an unreachable Grafana as retryable, naming the URL", async () => {
    const nowhere = createGrafana({ url: "http://127.0.0.1:1", tokenEnv: "GRAFANA_TOKEN" }, DEFAULT_GRAFANA_TOKEN);
    const error = await rejection(nowhere.testConnection());
    expect(error).toMatchObject({ code: "network", retryable: true });
    expect(error.message).toContain("http://127.0.0.1:1");
  });
});

describe("Grafana test server strictness", () => {
  let server: GrafanaTestServer;
  beforeAll(async () => {
    server = await startGrafanaTestServer();
  });
  afterAll(() => server.close());

  const call = (method: string, path: string, init: { token?: string | null; body?: string } = {}) =>
    fetch(`${server.url}${path}`, {
      method,
      headers: {
        "content-type": "application/json",
        ...(init.token === null ? {} : { authorization: `Bearer ${init.token ?? DEFAULT_GRAFANA_TOKEN}` }),
      },
      body: init.body,
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as unknown }));

  it("authenticates before it reads the body", async () => {
    expect(await call("POST", "/api/annotations", { token: null, body: "{" })).toMatchObject({ status: 401, body: { message: "Unauthorized" } });
    expect(await call("POST", "/api/annotations", { body: "{" })).toEqual({ status: 400, body: { message: "bad request data" } });
    expect(await call("POST", "/api/annotations", { body: JSON.stringify({ text: "x", tags: "a b" }) })).toEqual({ status: 400, body: { message: "bad request data" } });
  });

  it("answers Grafana's messages for unknown dashboards and annotation ids", async () => {
    expect(await call("GET", "/api/annotations?dashboardUID=nope")).toEqual({ status: 400, body: { message: "Invalid dashboard UID in annotation request" } });
    expect(await call("PATCH", "/api/annotations/abc", { body: "{}" })).toEqual({ status: 400, body: { message: "annotationId is invalid" } });
    expect(await call("POST", "/api/annotations", { body: JSON.stringify({ text: "x", dashboardUID: "nope" }) })).toEqual({ status: 404, body: { message: "Dashboard not found" } });
  });

  it("filters by all tags, or any with matchAny, newest first, up to limit", async () => {
    for (const [time, tags] of [[1000, ["a", "b"]], [2000, ["a"]], [3000, ["b"]]] as const) {
      await call("POST", "/api/annotations", { body: JSON.stringify({ time, tags, text: `t${time}` }) });
    }
    const texts = async (query: string) => ((await call("GET", `/api/annotations?${query}`)).body as { text: string }[]).map((a) => a.text);
    expect(await texts("tags=a&tags=b")).toEqual(["t1000"]);
    expect(await texts("tags=a&tags=b&matchAny=true")).toEqual(["t3000", "t2000", "t1000"]);
    expect(await texts("tags=a&limit=1")).toEqual(["t2000"]);
  });
});
