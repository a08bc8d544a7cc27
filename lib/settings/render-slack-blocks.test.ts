import { describe, expect, it } from "vitest";
import { buildReleaseMessage, type ReleaseNotice } from "@/lib/integrations/slack/release-message";
import { parseMrkdwn, renderSlackBlocks } from "./render-slack-blocks";

describe("parseMrkdwn", () => {
  it("reads emphasis, code, links and line breaks", () => {
    expect(parseMrkdwn("*Changes* (2)\n• *checkout* `1.2.0` → `1.3.0` <https://ci.example.com/1|build _one_>")).toEqual([
      { type: "text", text: "Changes", bold: true },
      { type: "text", text: " (2)" },
      { type: "break" },
      { type: "text", text: "• " },
      { type: "text", text: "checkout", bold: true },
      { type: "text", text: " " },
      { type: "text", text: "1.2.0", code: true },
      { type: "text", text: " → " },
      { type: "text", text: "1.3.0", code: true },
      { type: "text", text: " " },
      // A link's label is not formatted.
      { type: "link", href: "https://ci.example.com/1", text: "build _one_" },
    ]);
    expect(parseMrkdwn("_soon_ and ~never~")).toEqual([
      { type: "text", text: "soon", italic: true },
      { type: "text", text: " and " },
      { type: "text", text: "never", strike: true },
    ]);
  });

  it("undoes Slack's escapes into text, so markup in a name stays text and never becomes a tag or a link", () => {
    const nodes = parseMrkdwn("*&lt;script&gt;alert(1)&lt;/script&gt;* &amp; <javascript:alert(1)|click> <https://ok.example.com/?a=1&amp;b=2>");
    expect(nodes).toEqual([
      { type: "text", text: "<script>alert(1)</script>", bold: true },
      { type: "text", text: " & click " },
      { type: "link", href: "https://ok.example.com/?a=1&b=2", text: "https://ok.example.com/?a=1&b=2" },
    ]);
  });

  it("leaves underscores inside words alone and shows dates, mentions and channels by their readable part", () => {
    expect(parseMrkdwn("payments_eu_1 and snake_case")).toEqual([{ type: "text", text: "payments_eu_1 and snake_case" }]);
    expect(parseMrkdwn("Merged <!date^1700000000^{date_short_pretty} at {time}|2023-11-14 22:13 UTC> by <@U0ADA> in <#C0REL|releases> <!here>")).toEqual([
      { type: "text", text: "Merged 2023-11-14 22:13 UTC by @U0ADA in #releases @here" },
    ]);
  });

  it("shows the emoji codes Slipway uses as emoji and unknown ones as written", () => {
    expect(parseMrkdwn(":white_check_mark: Merged :not_an_emoji:")).toEqual([{ type: "text", text: "✅ Merged :not_an_emoji:" }]);
  });
});

describe("renderSlackBlocks", () => {
  const notice: ReleaseNotice = {
    id: "42",
    kind: "upgrade",
    environment: "shop-production",
    environmentUrl: "https://shop.example.com",
    state: "open",
    requester: "ben <b>",
    pullRequest: { number: 7, url: "https://github.com/acme/shop/pull/7" },
    items: [{ service: "checkout", from: "1.2.0", to: "1.3.0" }],
    tickets: [{ key: "SHOP-1", url: "https://acme.atlassian.net/browse/SHOP-1" }],
    releasePageUrl: "https://slipway.example.com/releases/42",
  };

  it("renders the release message's header, fields, sections and context", () => {
    const rendered = renderSlackBlocks(buildReleaseMessage(notice).blocks);
    expect(rendered.map((block) => block.type)).toEqual(["header", "section", "section", "section", "context"]);
    expect(rendered[0]).toEqual({ type: "header", text: "Upgrade to shop-production" });
    const summary = rendered[1]!;
    const fields = summary.type === "section" ? summary.fields : [];
    expect(fields[0]).toEqual([{ type: "text", text: "Status", bold: true }, { type: "break" }, { type: "text", text: "🟡 Open, waiting for review" }]);
    expect(fields[1]).toContainEqual({ type: "link", href: "https://shop.example.com", text: "shop-production" });
    expect(fields[2]).toContainEqual({ type: "text", text: "ben <b>" });
    expect(fields[3]).toContainEqual({ type: "link", href: "https://github.com/acme/shop/pull/7", text: "#7" });
    expect(rendered[3]).toMatchObject({ type: "section", text: expect.arrayContaining([{ type: "link", href: "https://acme.atlassian.net/browse/SHOP-1", text: "SHOP-1" }]) });
    expect(rendered[4]).toEqual({ type: "context", elements: [[{ type: "link", href: "https://slipway.example.com/releases/42", text: "Open in Slipway" }]] });
  });

  it("renders plain text, dividers and emoji switched off as Slack would", () => {
    expect(
      renderSlackBlocks([
        { type: "header", text: { type: "plain_text", text: "*not bold* :tada:", emoji: false } },
        { type: "divider" },
        { type: "context", elements: [{ type: "plain_text", text: "a\nb :tada:" }] },
      ]),
    ).toEqual([
      { type: "header", text: "*not bold* :tada:" },
      { type: "divider" },
      { type: "context", elements: [[{ type: "text", text: "a" }, { type: "break" }, { type: "text", text: "b 🎉" }]] },
    ]);
  });
});
