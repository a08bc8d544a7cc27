import { describe, expect, it } from "vitest";
import { BASE_DELAY_MS, MAX_DELAY_MS, nextAttemptAt, retryHint } from "./retry-schedule";

const NOW = new Date("2026-12-02T12:00:00Z");
const after = (date: Date) => date.getTime() - NOW.getTime();

describe("nextAttemptAt", () => {
  it("doubles the wait with each failed attempt, half of it random", () => {
    expect(after(nextAttemptAt(1, NOW, undefined, () => 0))).toBe(BASE_DELAY_MS / 2);
    expect(after(nextAttemptAt(1, NOW, undefined, () => 1))).toBe(BASE_DELAY_MS);
    expect(after(nextAttemptAt(2, NOW, undefined, () => 1))).toBe(2 * BASE_DELAY_MS);
    expect(after(nextAttemptAt(4, NOW, undefined, () => 0.5))).toBe(8 * BASE_DELAY_MS * 0.75);
  });

  it("never waits longer than the cap, however many attempts failed", () => {
    expect(after(nextAttemptAt(40, NOW, undefined, () => 1))).toBe(MAX_DELAY_MS);
  });

  it("never comes back before the vendor's Retry-After, and keeps the backoff when it is later", () => {
    const retryAfter = new Date(NOW.getTime() + 120_000);
    expect(nextAttemptAt(1, NOW, retryAfter, () => 0)).toEqual(retryAfter);
    expect(after(nextAttemptAt(8, NOW, new Date(NOW.getTime() + 1000), () => 0))).toBe(64 * BASE_DELAY_MS);
  });
});

describe("retryHint", () => {
  it("reads retryable and retryAfter off an adapter's error, and retries errors that say nothing", () => {
    const at = new Date(NOW.getTime() + 30_000);
    expect(retryHint(Object.assign(new Error("429"), { retryable: true, retryAfter: at }))).toEqual({ retryable: true, retryAfter: at });
    expect(retryHint(Object.assign(new Error("invalid_auth"), { retryable: false }))).toEqual({ retryable: false });
    expect(retryHint(new Error("socket hang up"))).toEqual({ retryable: true });
    expect(retryHint(Object.assign(new Error("x"), { retryAfter: "soon" }))).toEqual({ retryable: true });
    expect(retryHint(undefined)).toEqual({ retryable: true });
  });
});
