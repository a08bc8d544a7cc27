import { describe, expect, it } from "vitest";
import { createImmutableFileCache } from "./immutable-file-cache";

describe("immutable file cache", () => {
  it("answers what it holds, a missing file included, and nothing else", () => {
    const cache = createImmutableFileCache(10_000);
    cache.set("Acme/Stack", "a1", "Chart.yaml", "name: stack\n");
    cache.set("acme/stack", "a1", "Chart.lock", undefined);
    expect(cache.get("acme/stack", "a1", "Chart.yaml")).toEqual({ content: "name: stack\n" });
    expect(cache.get("acme/stack", "a1", "Chart.lock")).toEqual({ content: undefined });
    expect(cache.get("acme/stack", "b2", "Chart.yaml")).toBeUndefined();
  });

  it("drops the least recently used entries to stay within its bytes, and never keeps one larger than the whole", () => {
    const cache = createImmutableFileCache(2_000);
    cache.set("acme/stack", "a1", "one", "x".repeat(400));
    cache.set("acme/stack", "a1", "two", "x".repeat(400));
    cache.get("acme/stack", "a1", "one");
    cache.set("acme/stack", "a1", "three", "x".repeat(400));
    expect(cache.get("acme/stack", "a1", "two")).toBeUndefined();
    expect(cache.get("acme/stack", "a1", "one")?.content).toHaveLength(400);
    expect(cache.get("acme/stack", "a1", "three")?.content).toHaveLength(400);
    expect(cache.bytes).toBeLessThanOrEqual(2_000);
    cache.set("acme/stack", "a1", "huge", "x".repeat(5_000));
    expect(cache.get("acme/stack", "a1", "huge")).toBeUndefined();
    expect(cache.size).toBe(2);
  });
});
