import { describe, expect, it } from "vitest";
import { channelsForEnvironment, slackConfigSchema } from "./slack-config";

describe("slackConfigSchema", () => {
  it("defaults the API URL and accepts channel IDs and names", () => {
    const config = slackConfigSchema.parse({ tokenEnv: "SLACK_BOT_TOKEN", channels: [{ channel: "C0123456789" }, { channel: "#releases-prod", groups: { stage: "prod" } }] });
    expect(config.apiUrl).toBe("https://slack.com/api/");
  });

  it("allows plain http only on loopback, for a test server", () => {
    const base = { tokenEnv: "SLACK_BOT_TOKEN", channels: [{ channel: "#releases" }] };
    expect(slackConfigSchema.safeParse({ ...base, apiUrl: "http://127.0.0.1:4000/api/" }).success).toBe(true);
    expect(slackConfigSchema.safeParse({ ...base, apiUrl: "http://slack.example.com/api/" }).success).toBe(false);
  });

  it("rejects what Slack would not take for a channel, and unknown keys", () => {
    for (const channel of ["releases", "#Releases", "C12", "#has space"]) {
      expect(slackConfigSchema.safeParse({ tokenEnv: "SLACK_BOT_TOKEN", channels: [{ channel }] }).success, channel).toBe(false);
    }
    expect(slackConfigSchema.safeParse({ tokenEnv: "slack", channels: [{ channel: "#a" }] }).success).toBe(false);
    expect(slackConfigSchema.safeParse({ tokenEnv: "SLACK_BOT_TOKEN", channels: [] }).success).toBe(false);
    expect(slackConfigSchema.safeParse({ tokenEnv: "SLACK_BOT_TOKEN", channels: [{ channel: "#a", env: ["x"] }] }).success).toBe(false);
  });
});

describe("channelsForEnvironment", () => {
  const config = slackConfigSchema.parse({
    tokenEnv: "SLACK_BOT_TOKEN",
    channels: [
      { channel: "#all-releases" },
      { channel: "#prod", groups: { stage: "prod" } },
      { channel: "#shop", environments: ["shop-dev", "shop-production"] },
      { channel: "#shop-prod", environments: ["shop-production"], groups: { stage: "prod" } },
      { channel: "#prod" },
    ],
  });

  it("routes by name, by groups, or both, each channel once", () => {
    expect(channelsForEnvironment(config, { name: "shop-production", groups: { stage: "prod" } })).toEqual(["#all-releases", "#prod", "#shop", "#shop-prod"]);
    expect(channelsForEnvironment(config, { name: "shop-dev", groups: {} })).toEqual(["#all-releases", "#shop", "#prod"]);
    expect(channelsForEnvironment(config, { name: "payments-eu", groups: { stage: "prod" } })).toEqual(["#all-releases", "#prod"]);
  });
});
