import { describe, expect, it } from "vitest";
import { absoluteTitle, localText, utcText } from "@/components/local-time";
import { describeRelative } from "@/components/relative-time";

const ISO = "2026-03-01T10:00:00.000Z";

describe("times in the viewer's locale and zone", () => {
  it("renders the same UTC text on the server and in the hydrating browser", () => {
    expect(utcText(ISO)).toBe("2026-03-01 10:00 UTC");
    expect(utcText(ISO, "day")).toBe("2026-03-01");
    expect(utcText(ISO, "time")).toBe("10:00 UTC");
  });

  it("shows the time in the viewer's zone and locale", () => {
    expect(localText(ISO, "minute", { locale: "en-US", timeZone: "America/New_York" })).toBe("Mar 1, 2026, 5:00 AM");
    expect(localText(ISO, "minute", { locale: "de-DE", timeZone: "Europe/Berlin" })).toBe("01.03.2026, 11:00");
    expect(localText(ISO, "day", { locale: "en-GB", timeZone: "Pacific/Kiritimati" })).toBe("2 Mar 2026");
    expect(localText(ISO, "time", { locale: "en-US", timeZone: "Asia/Tokyo" })).toBe("7:00 PM");
  });

  it("puts the absolute time, to the second and with its zone, on hover", () => {
    expect(absoluteTitle(ISO, { locale: "en-US", timeZone: "America/New_York" })).toBe("Sunday, March 1, 2026 at 5:00:00 AM EST");
  });

  it("leaves text that is not a time as it is", () => {
    expect(localText("not a date")).toBe("not a date");
    expect(absoluteTitle("not a date")).toBe("not a date");
    expect(describeRelative("not a date", Date.now())).toBe("not a date");
  });

  it("says how long ago in the locale given", () => {
    const now = Date.parse(ISO) + 3 * 60_000;
    expect(describeRelative(ISO, now, "en")).toBe("3 minutes ago");
    expect(describeRelative(ISO, now, "de")).toBe("vor 3 Minuten");
  });
});
