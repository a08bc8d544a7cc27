import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import { secretsFrom } from "@/lib/config/environment";
import { environmentConfigSchema } from "@/lib/config/schema";
import { readIntegrations } from "@/lib/follow-through/integration-status";
import { jiraConfigSchema } from "@/lib/integrations/jira/jira-config";
import { buildReleaseMessage } from "@/lib/integrations/slack/release-message";
import { describeIntegrations } from "@/lib/settings/describe-integrations";
import { previewFollowThrough } from "@/lib/settings/preview-follow-through";
import { renderSlackBlocks } from "@/lib/settings/render-slack-blocks";

vi.mock("next/navigation", () => ({ useRouter: () => ({ push() {} }), usePathname: () => "/admin/settings" }));
const { SlackMessagePreview } = await import("@/components/settings-slack-message");
const { SettingsPreview } = await import("@/components/settings-preview");
const { SettingsIntegrations } = await import("@/components/settings-integrations");

/** What the settings page's components make of hostile text: markup stays text, links stay http(s). */
describe("settings components", () => {
  const hostile = { service: "check<b>out</b>", requester: "ben<img src=x onerror=alert(1)>" };

  it("renders a Slack message's blocks as HTML without letting markup through", () => {
    const { blocks } = buildReleaseMessage({
      id: "4",
      kind: "upgrade",
      environment: "shop-production",
      environmentUrl: "javascript:alert(1)",
      state: "merged",
      requester: hostile.requester,
      items: [{ service: hostile.service, from: "1.0.0", to: "1.1.0" }],
      tickets: [{ key: "SHOP-1", url: "https://acme.atlassian.net/browse/SHOP-1" }],
      releasePageUrl: "https://slipway.example.com/releases/4",
    });
    const html = renderToStaticMarkup(createElement(SlackMessagePreview, { blocks: renderSlackBlocks(blocks), label: "Preview" }));
    expect(html).toContain(">Upgrade to shop-production<");
    expect(html).toContain("<strong>check&lt;b&gt;out&lt;/b&gt;</strong>");
    expect(html).toContain("ben&lt;img src=x onerror=alert(1)&gt;");
    expect(html).toContain('<a href="https://acme.atlassian.net/browse/SHOP-1" target="_blank" rel="noreferrer noopener">SHOP-1</a>');
    expect(html).not.toMatch(/<img|<b>|javascript:/);
  });

  it("renders the cards and the preview, with variable names but no secret", () => {
    const environments = [environmentConfigSchema.parse({ name: "shop-production", repo: "acme/shop" })];
    const config = { environments, jira: jiraConfigSchema.parse({ url: "https://acme.atlassian.net", deployment: "cloud", auth: { emailEnv: "JIRA_EMAIL", tokenEnv: "JIRA_API_TOKEN" } }) };
    const secret = secretsFrom({ JIRA_EMAIL: "bot@acme.example", JIRA_API_TOKEN: "very-secret-token" });
    const cards = renderToStaticMarkup(
      createElement(SettingsIntegrations, { cards: describeIntegrations(config, secret), testConnection: async () => ({ ok: false as const, status: 500, error: "unused" }) }),
    );
    expect(cards).toContain("JIRA_API_TOKEN");
    expect(cards).toContain("Test connection");
    expect(cards).not.toMatch(/very-secret-token|bot@acme/);

    const preview = previewFollowThrough({
      request: { id: 4, kind: "upgrade", environment: "shop-production", title: "<script>alert(1)</script>", requester: hostile.requester, state: "open", items: [{ ...hostile, chart: "c", from: "1", to: "2", tickets: ["SHOP-1"] }], createdAt: new Date() },
      config,
      status: readIntegrations(config, secret).status,
      now: new Date(),
    });
    const html = renderToStaticMarkup(createElement(SettingsPreview, { recent: [{ id: 4, label: "#4 upgrade" }], selected: 4, preview }));
    expect(html).toContain("Slack is not configured");
    expect(html).toContain("POST /rest/api/3/issue/SHOP-1/comment");
    expect(html).not.toMatch(/<script|<img|<b>/);
  });
});
