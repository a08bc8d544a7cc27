import { describe, expect, it } from "vitest";
import { SLACK_LIMITS, buildReleaseMessage, escapeMrkdwn, fitList, mrkdwnLink, slackDate, threadReply, type ReleaseNotice, type SlackBlock } from "./release-message";

const notice: ReleaseNotice = {
  id: "42",
  kind: "upgrade",
  environment: "shop-production",
  environmentUrl: "https://shop.example.com",
  state: "open",
  requester: "Ada",
  pullRequest: { number: 12, url: "https://github.com/acme/stack/pull/12" },
  items: [
    { service: "checkout", from: "1.2.0", to: "1.3.0" },
    { service: "cart", from: null, to: "0.1.0" },
  ],
  tickets: [{ key: "SHOP-1", url: "https://jira.example.com/browse/SHOP-1", summary: "Pay by invoice" }],
  checks: { state: "failing", failing: ["lint", "e2e"] },
  previewUrl: "https://preview.example.com/42",
  releasePageUrl: "https://slipway.example.com/requests/42",
};

const texts = (blocks: SlackBlock[]) =>
  blocks.flatMap((block) => {
    if (block.type === "header") return [block.text.text];
    if (block.type === "section") return [...(block.text ? [block.text.text] : []), ...(block.fields ?? []).map((f) => f.text)];
    if (block.type === "context") return block.elements.map((e) => e.text);
    return [];
  });

function expectWithinLimits(blocks: SlackBlock[]) {
  expect(blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
  for (const block of blocks) {
    if (block.type === "header") expect(block.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
    if (block.type === "section") {
      if (block.text) expect(block.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
      expect((block.fields ?? []).length).toBeLessThanOrEqual(SLACK_LIMITS.fields);
      for (const field of block.fields ?? []) expect(field.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
    }
    if (block.type === "context") expect(block.elements.length).toBeLessThanOrEqual(SLACK_LIMITS.contextElements);
  }
}

describe("buildReleaseMessage", () => {
  it("says what, where, who, the PR, its checks, the changes, the tickets and where to look", () => {
    const { text, blocks } = buildReleaseMessage(notice);
    expect(blocks.map((b) => b.type)).toEqual(["header", "section", "section", "section", "context"]);
    expect(blocks[0]).toEqual({ type: "header", text: { type: "plain_text", text: "Upgrade to shop-production", emoji: true } });
    const fields = (blocks[1] as Extract<SlackBlock, { type: "section" }>).fields!.map((f) => f.text);
    expect(fields).toEqual([
      "*Status*\n:large_yellow_circle: Open, waiting for review",
      "*Environment*\n<https://shop.example.com|shop-production>",
      "*Requested by*\nAda",
      "*Pull request*\n<https://github.com/acme/stack/pull/12|#12>",
      "*CI checks*\n:x: Failing: lint, e2e",
    ]);
    expect(texts(blocks)[6]).toBe("*Changes* (2)\n• *checkout* `1.2.0` → `1.3.0`\n• *cart* added at `0.1.0`");
    expect(texts(blocks)[7]).toBe("*Tickets* (1)\n• <https://jira.example.com/browse/SHOP-1|SHOP-1> Pay by invoice");
    expect(texts(blocks)[8]).toBe("<https://slipway.example.com/requests/42|Open in Slipway>  ·  <https://preview.example.com/42|Preview>");
    expect(text).toBe("Upgrade to shop-production: open (PR #12). checkout 1.2.0 → 1.3.0, cart new → 0.1.0");
  });

  it("updates to the settled state, and a rollback names the tickets leaving", () => {
    const rollback = buildReleaseMessage({ ...notice, kind: "rollback", state: "merged", ticketsLeaving: [{ key: "SHOP-9" }] });
    expect(texts(rollback.blocks)[0]).toBe("Rollback of shop-production");
    expect(texts(rollback.blocks)[1]).toBe("*Status*\n:white_check_mark: Merged, rolled back");
    expect(texts(rollback.blocks)).toContain("*Tickets leaving shop-production* (1)\n• SHOP-9");
    expect(texts(buildReleaseMessage({ ...notice, state: "closed" }).blocks)[1]).toBe("*Status*\n:no_entry_sign: Closed without merging");
    expect(texts(buildReleaseMessage({ ...notice, kind: "promotion", state: "failed" }).blocks).slice(0, 2)).toEqual([
      "Promotion to shop-production",
      "*Status*\n:x: Failed",
    ]);
  });

  it("escapes outside text so it can neither break the markup nor mention anyone", () => {
    const { text, blocks } = buildReleaseMessage({
      ...notice,
      requester: "<!channel> & co",
      items: [{ service: "a>b", from: "1`0", to: "2" }],
      tickets: [{ key: "X-1", url: "javascript:alert(1)", summary: "<https://evil.example|click>" }],
    });
    const all = texts(blocks).join("\n");
    expect(all).toContain("&lt;!channel&gt; &amp; co");
    expect(all).toContain("*a&gt;b* `1ˋ0` → `2`");
    expect(all).toContain("• X-1 &lt;https://evil.example|click&gt;");
    expect(all).not.toMatch(/<!channel>|javascript:/);
    expect(text).toContain("a&gt;b");
  });

  it("stays within Slack's limits, ending long lists in '…and N more'", () => {
    const huge: ReleaseNotice = {
      ...notice,
      environment: "e".repeat(300),
      requester: "r".repeat(3000),
      items: Array.from({ length: 1000 }, (_, i) => ({ service: `service-${i}`, from: "1.0.0", to: "2.0.0" })),
      tickets: Array.from({ length: 500 }, (_, i) => ({ key: `SHOP-${i}`, summary: "s".repeat(500) })),
      checks: { state: "failing", failing: Array.from({ length: 40 }, (_, i) => `check-${i}`) },
    };
    const { text, blocks } = buildReleaseMessage(huge);
    expectWithinLimits(blocks);
    expect(text.length).toBeLessThanOrEqual(1000);
    const changes = texts(blocks).find((t) => t.startsWith("*Changes*"))!;
    const shown = changes.split("\n").filter((line) => line.startsWith("• ")).length;
    expect(changes.endsWith(`\n…and ${1000 - shown} more`)).toBe(true);
    expect(texts(blocks)).toContain("*CI checks*\n:x: Failing: check-0, check-1, check-2, check-3, check-4 and 35 more");
  });
});

describe("fitList", () => {
  it("keeps whole lines and counts what it left out", () => {
    expect(fitList("T", ["aaaa", "bbbb", "cccc"], 100)).toBe("T\n• aaaa\n• bbbb\n• cccc");
    const cut = fitList("T", ["aaaa", "bbbb", "cccc"], 24);
    expect(cut).toBe("T\n• aaaa\n…and 2 more");
    expect(cut.length).toBeLessThanOrEqual(24);
  });
});

describe("mrkdwn helpers", () => {
  it("escapes only &, < and >", () => {
    expect(escapeMrkdwn(`a & <b> "c" *d*`)).toBe(`a &amp; &lt;b&gt; "c" *d*`);
  });
  it("links http(s) URLs only, keeping | and & from breaking the link", () => {
    expect(mrkdwnLink("https://x.example/?a=1&b=2|3", "A|B")).toBe("<https://x.example/?a=1&amp;b=2%7C3|A¦B>");
    expect(mrkdwnLink("ftp://x.example", "X")).toBe("X");
    expect(mrkdwnLink(undefined, "X")).toBe("X");
  });
});

describe("threadReply", () => {
  const at = new Date("2025-03-01T10:15:00Z");
  it("says what went out and when", () => {
    expect(threadReply({ ...notice, state: "merged" }, at)).toBe(
      `Went out to shop-production ${slackDate(at)}: *checkout* \`1.2.0\` → \`1.3.0\`, *cart* added at \`0.1.0\`. Tickets: <https://jira.example.com/browse/SHOP-1|SHOP-1>.`,
    );
    expect(slackDate(at)).toBe("<!date^1740824100^{date_short_pretty} at {time}|2025-03-01 10:15 UTC>");
  });
  it("a rollback says which tickets left", () => {
    const reply = threadReply({ ...notice, kind: "rollback", state: "merged", ticketsLeaving: [{ key: "SHOP-1" }, { key: "SHOP-2" }] }, at);
    expect(reply).toContain("Rolled back shop-production");
    expect(reply).toContain("Tickets leaving shop-production: SHOP-1, SHOP-2.");
    expect(threadReply({ ...notice, kind: "rollback", state: "merged", ticketsLeaving: [] }, at)).toContain("No tickets left shop-production.");
  });
  it("a request closed or failed sent nothing out", () => {
    expect(threadReply({ ...notice, state: "closed" }, at)).toBe(`Closed without merging ${slackDate(at)}: nothing went out to shop-production.`);
    expect(threadReply({ ...notice, state: "failed" }, at)).toBe(`Failed ${slackDate(at)}: nothing went out to shop-production.`);
  });
  it("stays within Slack's advised 4,000 characters", () => {
    const items = Array.from({ length: 2000 }, (_, i) => ({ service: `service-${i}`, from: "1", to: "2" }));
    const tickets = Array.from({ length: 2000 }, (_, i) => ({ key: `SHOP-${i}`, url: `https://jira.example.com/browse/SHOP-${i}` }));
    const reply = threadReply({ ...notice, state: "merged", items, tickets }, at);
    expect(reply.length).toBeLessThanOrEqual(SLACK_LIMITS.messageText);
    expect(reply).toMatch(/and \d+ more\. Tickets: .* and \d+ more\.$/);
  });
});
