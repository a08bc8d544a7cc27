import { z } from "zod";

/**
 * The `slack:` section of slipway.yaml. Pure (no I/O, no `server-only`) so lib/config/schema.ts can embed it and the
 * CLI validates the same way. The bot token is named by environment variable and read only when Slack is used.
 *
 * ```yaml
 * slack:
 *   tokenEnv: SLACK_BOT_TOKEN
 *   channels:
 *     - channel: "#releases-prod"
 *       groups: { stage: prod }
 *     - channel: C0123456789          # every environment
 * ```
 */

const envVarName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, "must be an environment variable name such as SLACK_BOT_TOKEN");

/**
 * A conversation ID (C…, G… for older private channels, D… for a DM) or `#name` as Slack names channels: lower case
 * letters, digits, `-` and `_`, at most 80 characters. IDs are sturdier: a name breaks when the channel is renamed.
 */
export const slackChannelSchema = z
  .string()
  .refine(
    (value) => /^[CGD][A-Z0-9]{8,}$/.test(value) || /^#[a-z0-9][a-z0-9_-]{0,79}$/.test(value),
    "must be a channel ID such as C0123456789 or a name such as #releases (lower case, digits, - and _)",
  );

export const slackChannelRouteSchema = z
  .object({
    channel: slackChannelSchema,
    /** Only these environments (names, or "*"); with neither this nor `groups`, every environment. */
    environments: z.array(z.string().min(1)).min(1).optional(),
    /** Only environments whose groups have all of these values, e.g. { stage: prod }. */
    groups: z.record(z.string().min(1), z.string().min(1)).optional(),
  })
  .strict();

export const slackConfigSchema = z
  .object({
    /** The environment variable holding the bot token (xoxb-…) of the Slack app, with chat:write. */
    tokenEnv: envVarName,
    /**
     * Slack's Web API root (default https://slack.com/api/). Plain http is accepted for loopback addresses only
     * (a local test server).
     */
    apiUrl: z
      .string()
      .url()
      .refine(
        (u) => /^https:\/\//.test(u) || /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?(\/|$)/.test(u),
        "must start with https:// (e.g. https://slack.com/api/)",
      )
      .default("https://slack.com/api/"),
    /** Where release requests are announced: one message per matching channel. */
    channels: z.array(slackChannelRouteSchema).min(1, "name at least one channel").max(50),
  })
  .strict();

export type SlackConfig = z.infer<typeof slackConfigSchema>;
export type SlackChannelRoute = z.infer<typeof slackChannelRouteSchema>;

/**
 * The channels a release request for `environment` is announced in, each once, in configuration order. A route covers
 * an environment when its names (if any) include it and its groups (if any) all match, like an access grant.
 */
export function channelsForEnvironment(
  config: Pick<SlackConfig, "channels">,
  environment: { name: string; groups: Record<string, string> },
): string[] {
  const covered = config.channels.filter(
    (route) =>
      (!route.environments || route.environments.some((name) => name === "*" || name === environment.name)) &&
      (!route.groups || Object.entries(route.groups).every(([key, value]) => environment.groups[key] === value)),
  );
  return [...new Set(covered.map((route) => route.channel))];
}
