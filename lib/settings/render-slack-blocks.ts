import type { SlackBlock, SlackTextObject } from "@/lib/integrations/slack/release-message";

/**
 * Slack's Block Kit, read back into plain nodes a page can show as HTML: what the settings page's preview renders,
 * so an admin sees the message as Slack would (header, fields, mrkdwn with links, context lines, dividers) without
 * Slack. Pure, and it emits text and http(s) links only: the page renders the nodes with React, which escapes every
 * text, so no markup from a service name or a ticket summary can reach the page (no innerHTML anywhere).
 *
 * Covered is the mrkdwn the release message uses (docs.slack.dev "Formatting text for app surfaces"): `*bold*`,
 * `_italic_`, `~strike~`, `` `code` ``, `<url|label>` and `<url>`, `<!date^…|fallback>`, `<@U…>`, `<#C…|name>`,
 * `<!here>`, the `&amp; &lt; &gt;` escapes, line breaks and the emoji codes Slipway sends.
 */

export type MrkdwnNode =
  | { type: "text"; text: string; bold?: boolean; italic?: boolean; strike?: boolean; code?: boolean }
  | { type: "link"; href: string; text: string }
  | { type: "break" };

export type RenderedBlock =
  | { type: "header"; text: string }
  | { type: "section"; text?: MrkdwnNode[]; fields: MrkdwnNode[][] }
  | { type: "context"; elements: MrkdwnNode[][] }
  | { type: "divider" };

/** The emoji Slipway's messages use, and a few common ones; others stay as `:name:`, as Slack shows unknown ones. */
const EMOJI: Record<string, string> = {
  large_yellow_circle: "🟡",
  white_check_mark: "✅",
  no_entry_sign: "🚫",
  x: "❌",
  hourglass_flowing_sand: "⏳",
  warning: "⚠️",
  rocket: "🚀",
  rewind: "⏪",
  tada: "🎉",
};

export function renderSlackBlocks(blocks: readonly SlackBlock[]): RenderedBlock[] {
  return blocks.map((block): RenderedBlock => {
    switch (block.type) {
      case "header":
        return { type: "header", text: plainText(block.text.text, block.text.emoji !== false) };
      case "section":
        return { type: "section", ...(block.text ? { text: textObject(block.text) } : {}), fields: (block.fields ?? []).map(textObject) };
      case "context":
        return { type: "context", elements: block.elements.map(textObject) };
      case "divider":
        return { type: "divider" };
    }
  });
}

function textObject(object: SlackTextObject): MrkdwnNode[] {
  if (object.type === "plain_text") return lines(plainText(object.text, object.emoji !== false));
  return parseMrkdwn(object.text);
}

/** plain_text is shown as it is; only emoji codes are replaced (where `emoji` is on, Slack's default). */
function plainText(text: string, emoji: boolean): string {
  return emoji ? replaceEmoji(text) : text;
}

function lines(text: string): MrkdwnNode[] {
  return text.split("\n").flatMap((line, index): MrkdwnNode[] => [...(index > 0 ? [{ type: "break" } as const] : []), ...(line ? [{ type: "text" as const, text: line }] : [])]);
}

export function replaceEmoji(text: string): string {
  return text.replace(/:([a-z0-9_+-]+):/g, (code, name: string) => EMOJI[name] ?? code);
}

/** Slack's three escapes, undone: the nodes carry the text as a person reads it. */
function unescape(text: string): string {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

const HTTP_URL = /^https?:\/\/[^\s]+$/i;

/** mrkdwn text as nodes: `<…>` tokens first (their labels are not formatted), then emphasis and code in the rest. */
export function parseMrkdwn(text: string): MrkdwnNode[] {
  const nodes: MrkdwnNode[] = [];
  let last = 0;
  for (const match of text.matchAll(/<([^<>\n]*)>/g)) {
    if (match.index > last) nodes.push(...formatted(text.slice(last, match.index)));
    nodes.push(angleToken(match[1]!));
    last = match.index + match[0].length;
  }
  if (last < text.length) nodes.push(...formatted(text.slice(last)));
  return merge(nodes);
}

/** `<url|label>`, `<url>`, `<!date^…|fallback>`, `<@U123>`, `<#C123|name>`, `<!here>`. */
function angleToken(inner: string): MrkdwnNode {
  const bar = inner.indexOf("|");
  const target = bar < 0 ? inner : inner.slice(0, bar);
  const label = bar < 0 ? undefined : unescape(inner.slice(bar + 1));
  if (target.startsWith("!date^")) return { type: "text", text: label ?? "(a date)" };
  if (target.startsWith("!")) return { type: "text", text: `@${label ?? target.slice(1)}` };
  if (target.startsWith("@")) return { type: "text", text: `@${label ?? target.slice(1)}` };
  if (target.startsWith("#")) return { type: "text", text: `#${label ?? target.slice(1)}` };
  const href = unescape(target);
  // Only web links become links; Slack would link other schemes too, a preview has no reason to.
  if (HTTP_URL.test(href)) return { type: "link", href, text: label ?? href };
  return { type: "text", text: label ?? href };
}

/**
 * Emphasis and code in a stretch of text without `<…>` tokens. A marker counts where Slack counts it: opening after
 * the start, a space or punctuation, closing before the end, a space or punctuation, so `payments_eu_1` stays as it is.
 */
function formatted(text: string): MrkdwnNode[] {
  const nodes: MrkdwnNode[] = [];
  const pattern = /`([^`\n]+)`|(?<=^|[\s(\[{"'.,;:!?])([*_~])(?=\S)([^\n]*?\S)\2(?=$|[\s)\]}"'.,;:!?])/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    if (match.index > last) nodes.push(...plain(text.slice(last, match.index)));
    if (match[1] !== undefined) nodes.push({ type: "text", text: unescape(match[1]), code: true });
    else {
      const style = match[2] === "*" ? { bold: true } : match[2] === "_" ? { italic: true } : { strike: true };
      for (const node of plain(match[3]!)) nodes.push(node.type === "text" ? { ...node, ...style } : node);
    }
    last = match.index + match[0].length;
  }
  if (last < text.length) nodes.push(...plain(text.slice(last)));
  return nodes;
}

function plain(text: string): MrkdwnNode[] {
  return lines(replaceEmoji(unescape(text)));
}

/** Neighbouring texts of the same style become one node. */
function merge(nodes: MrkdwnNode[]): MrkdwnNode[] {
  const merged: MrkdwnNode[] = [];
  for (const node of nodes) {
    const previous = merged.at(-1);
    if (node.type === "text" && previous?.type === "text" && sameStyle(previous, node)) merged[merged.length - 1] = { ...previous, text: previous.text + node.text };
    else merged.push(node);
  }
  return merged;
}

function sameStyle(a: Extract<MrkdwnNode, { type: "text" }>, b: Extract<MrkdwnNode, { type: "text" }>): boolean {
  return Boolean(a.bold) === Boolean(b.bold) && Boolean(a.italic) === Boolean(b.italic) && Boolean(a.strike) === Boolean(b.strike) && Boolean(a.code) === Boolean(b.code);
}
