import { describe, expect, it } from "vitest";
import { commentText, hasMarker, plainText, toAdf } from "./comment-body";

describe("comment bodies", () => {
  it("writes paragraphs, hard breaks and links as ADF", () => {
    expect(toAdf("Released to production.\nSee https://pay.example.com/x.\n\nBy Slipway")).toEqual({
      type: "doc",
      version: 1,
      content: [
        {
          type: "paragraph",
          content: [
            { type: "text", text: "Released to production." },
            { type: "hardBreak" },
            { type: "text", text: "See " },
            { type: "text", text: "https://pay.example.com/x", marks: [{ type: "link", attrs: { href: "https://pay.example.com/x" } }] },
            { type: "text", text: "." },
          ],
        },
        { type: "paragraph", content: [{ type: "text", text: "By Slipway" }] },
      ],
    });
  });

  it("finds the marker line in a v2 string and in a v3 document, and nowhere else", () => {
    const text = commentText("Released", "rr-17/merged");
    expect(text).toBe("Released\n\nslipway:rr-17/merged");
    expect(hasMarker(text, "rr-17/merged")).toBe(true);
    expect(hasMarker(toAdf(text), "rr-17/merged")).toBe(true);
    expect(plainText(toAdf(text))).toContain("slipway:rr-17/merged");
    expect(hasMarker(toAdf(text), "rr-17")).toBe(false);
    expect(hasMarker("mentions slipway:rr-17/merged inline", "rr-17/merged")).toBe(false);
    expect(() => commentText("x", "two words")).toThrow(/marker/);
  });
});
