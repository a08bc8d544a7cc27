import { describe, expect, it } from "vitest";
import { parseRetryAfter } from "./retry-after";

const now = new Date("2026-12-03T10:00:00Z");

describe("parseRetryAfter", () => {
  it("reads delay-seconds and HTTP dates", () => {
    expect(parseRetryAfter("120", now)).toEqual(new Date("2026-12-03T10:02:00Z"));
    expect(parseRetryAfter(" 0 ", now)).toEqual(now);
    expect(parseRetryAfter("Thu, 03 Dec 2026 10:05:00 GMT", now)).toEqual(new Date("2026-12-03T10:05:00Z"));
  });

  it("takes a date already past as now", () => {
    expect(parseRetryAfter("Thu, 03 Dec 2026 09:00:00 GMT", now)).toEqual(now);
  });

  it("waits at most a day, however long the vendor asks", () => {
    const dayLater = new Date("2026-12-04T10:00:00Z");
    expect(parseRetryAfter("999999999999999999999999999999", now)).toEqual(dayLater);
    expect(parseRetryAfter("86401", now)).toEqual(dayLater);
    expect(parseRetryAfter("Fri, 01 Jan 2100 00:00:00 GMT", now)).toEqual(dayLater);
  });

  it.each([null, undefined, "", "  ", "soon", "-5", "1.5e3", "12abc"])("has no time for %j", (value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined();
  });
});
