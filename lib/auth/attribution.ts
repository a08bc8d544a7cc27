import type { Principal } from "./principal";

/**
 * How a change raised through Slipway says who asked for it. On GitHub the pull request is opened by Slipway's own
 * identity (a GitHub App or token), so the requester is named in the body and credited with a Co-authored-by
 * trailer on the commit, which GitHub shows as a co-author.
 */
export interface Attribution {
  /** A line for the pull request body. */
  bodyLine: string;
  /** Trailer for the commit message, or undefined when the requester has no e-mail address. */
  coAuthorTrailer?: string;
}

export function describeRequester(requester: Principal): Attribution {
  const name = sanitizeName(requester.name ?? requester.username);
  const who = requester.source === "github" ? `@${requester.username}` : `${name} (${requester.username})`;
  const email = requester.email && /^[^\s<>@]+@[^\s<>@]+$/.test(requester.email) ? requester.email : undefined;
  return {
    bodyLine: `Requested by ${who} through Slipway.`,
    coAuthorTrailer: email ? `Co-authored-by: ${name} <${email}>` : undefined,
  };
}

/** A commit message with the requester's trailer appended after a blank line, as git interpret-trailers expects. */
export function withCoAuthor(message: string, attribution: Attribution): string {
  return attribution.coAuthorTrailer ? `${message.trimEnd()}\n\n${attribution.coAuthorTrailer}\n` : message;
}

// Names end up in a git trailer and a Markdown body: no newlines, no angle brackets, no Markdown mentions or links.
function sanitizeName(name: string): string {
  return name.replace(/[\r\n<>@[\]()`*_]/g, " ").replace(/\s+/g, " ").trim().slice(0, 100) || "unknown";
}
