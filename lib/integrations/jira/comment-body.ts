/**
 * Comment text for Jira, written once as plain text and sent as Jira wants it: a string on REST API v2 (Data Center,
 * where Jira renders wiki markup and links bare URLs itself), an Atlassian Document Format document on v3 (Cloud,
 * which rejects a string body with "Operation value must be an Atlassian Document").
 *
 * Paragraphs are separated by blank lines; lines within a paragraph become hard breaks; http(s) URLs become links.
 *
 * An idempotency marker, when given, is appended as a last line `slipway:<marker>`: Jira has no idempotent comment
 * create, so the adapter looks for that line in the ticket's comments before adding one (jira-client.ts).
 */

export type AdfNode = { type: string; text?: string; content?: AdfNode[]; marks?: { type: string; attrs?: Record<string, string> }[]; attrs?: Record<string, unknown>; version?: number };

const MARKER = /^[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,199}$/;

export function markerLine(marker: string): string {
  if (!MARKER.test(marker)) throw new Error(`comment marker "${marker}" must be letters, digits and ._:/@+- (at most 200)`);
  return `slipway:${marker}`;
}

export function commentText(text: string, marker?: string): string {
  const body = text.trim();
  return marker === undefined ? body : `${body}\n\n${markerLine(marker)}`;
}

export function toAdf(text: string): AdfNode {
  const paragraphs = text
    .replace(/\r\n?/g, "\n")
    .split(/\n{2,}/)
    .map((paragraph) => paragraph.trim())
    .filter(Boolean);
  return {
    type: "doc",
    version: 1,
    content: paragraphs.map((paragraph) => ({
      type: "paragraph",
      content: paragraph.split("\n").flatMap((line, index): AdfNode[] => [...(index > 0 ? [{ type: "hardBreak" }] : []), ...inline(line)]),
    })),
  };
}

function inline(line: string): AdfNode[] {
  const nodes: AdfNode[] = [];
  let last = 0;
  for (const match of line.matchAll(/https?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]]/g)) {
    if (match.index > last) nodes.push({ type: "text", text: line.slice(last, match.index) });
    nodes.push({ type: "text", text: match[0], marks: [{ type: "link", attrs: { href: match[0] } }] });
    last = match.index + match[0].length;
  }
  if (last < line.length) nodes.push({ type: "text", text: line.slice(last) });
  return nodes;
}

/** The plain text of a comment body as Jira returns it: a string (v2) or an ADF document (v3). */
export function plainText(body: unknown): string {
  if (typeof body === "string") return body;
  const parts: string[] = [];
  const walk = (node: unknown) => {
    if (typeof node !== "object" || node === null) return;
    const { type, text, content } = node as AdfNode;
    if (typeof text === "string") parts.push(text);
    if (type === "hardBreak") parts.push("\n");
    if (Array.isArray(content)) {
      content.forEach(walk);
      if (type === "paragraph" || type === "heading") parts.push("\n");
    }
  };
  walk(body);
  return parts.join("");
}

/** Whether a comment body carries the marker line. */
export function hasMarker(body: unknown, marker: string): boolean {
  const line = markerLine(marker);
  return plainText(body)
    .split("\n")
    .some((text) => text.trim() === line);
}
