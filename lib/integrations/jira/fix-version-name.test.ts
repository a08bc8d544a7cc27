import { describe, expect, it } from "vitest";
import { fixVersionName, MAX_VERSION_NAME_LENGTH } from "./fix-version-name";

const DEFAULT = "{service}/{environment}/{date}/{version}";
const parts = { service: "payments", environment: "production", date: new Date("2025-03-14T23:30:00Z"), version: "1.4.2" };

describe("fixVersionName", () => {
  it("fills the default pattern, with the date as YYYY-MM-DD in UTC", () => {
    expect(fixVersionName(DEFAULT, parts)).toBe("payments/production/2025-03-14/1.4.2");
  });

  it("takes a date already written as YYYY-MM-DD and rejects other strings", () => {
    expect(fixVersionName("{service} {date}", { ...parts, date: "2025-01-02" })).toBe("payments 2025-01-02");
    expect(() => fixVersionName(DEFAULT, { ...parts, date: "14/03/2025" })).toThrow(/YYYY-MM-DD/);
    expect(() => fixVersionName(DEFAULT, { ...parts, date: new Date("nope") })).toThrow(/valid date/);
  });

  it("uses a placeholder as often as the pattern says and keeps literal text", () => {
    expect(fixVersionName("rel-{version} ({service}@{environment}) {version}", parts)).toBe("rel-1.4.2 (payments@production) 1.4.2");
  });

  it("rejects unknown placeholders and empty parts", () => {
    expect(() => fixVersionName("{service}/{team}", parts)).toThrow(/unknown placeholder \{team\}/);
    expect(() => fixVersionName(DEFAULT, { ...parts, service: "  " })).toThrow(/service is empty/);
  });

  it("turns control characters and line breaks into single spaces and trims", () => {
    expect(fixVersionName(" {service} ", { ...parts, service: "pay\nments\t\u0000x" })).toBe("pay ments x");
  });

  it("keeps long names within Jira's 255 characters, distinct by a hash of the whole name", () => {
    const long = (tail: string) => fixVersionName(DEFAULT, { ...parts, service: "s".repeat(300) + tail });
    const a = long("a");
    const b = long("b");
    expect(a).toHaveLength(MAX_VERSION_NAME_LENGTH);
    expect(b).toHaveLength(MAX_VERSION_NAME_LENGTH);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^s+~[0-9a-f]{8}$/);
    expect(long("a")).toBe(a);
  });

  it("leaves a name of exactly 255 characters alone", () => {
    const name = fixVersionName("{service}", { ...parts, service: "x".repeat(255) });
    expect(name).toBe("x".repeat(255));
  });
});
