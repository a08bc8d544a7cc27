/**
 * Preview links: an environment's `previewUrl` in slipway.yaml is where the like-live copy of it that a pull request's
 * branch deploys to is reached (a GitOps preview environment, an ApplicationSet pull-request generator), written as a
 * template such as `https://{repo}-{branch}.dev.example.com`. Slipway fills it in for each release request's branch
 * and links the result from the pull request's description, the Slack message and the Jira comment; it never checks
 * that anything answers there.
 *
 * Placeholders:
 * - `{repo}`: the name of the environment's stack repository — the last part of `owner/name`, a path or a git URL,
 *   without `.git`;
 * - `{branch}`: the request's branch (`slipway/shop-dev/upgrade-payments-1.4.2-3f2a9c1`);
 * - `{environment}`: the environment's name.
 *
 * Each value is made fit for a DNS label wherever it appears: lower case, every run of characters other than a–z,
 * 0–9 and `-` becomes one `-`, no `-` at either end, at most 63 characters. A host label that still comes out longer
 * than 63 characters (`{repo}-{branch}` of two long names) is cut to 63, again without a trailing `-`. Pure.
 */

export const PREVIEW_URL_PLACEHOLDERS = ["repo", "branch", "environment"] as const;
export type PreviewUrlPlaceholder = (typeof PREVIEW_URL_PLACEHOLDERS)[number];

export interface PreviewUrlValues {
  /** The stack repository as slipway.yaml names it (`acme/shop-stack`, `/srv/git/shop.git`, a git URL). */
  repo: string;
  branch: string;
  environment: string;
}

const MAX_LABEL = 63;
const MAX_HOST = 253;

/** `feature/PAY-12_retry` → `feature-pay-12-retry`: a DNS label's characters, at most 63 of them. */
export function slugForDns(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+/, "")
    .slice(0, MAX_LABEL)
    .replace(/-+$/, "");
}

/** The repository's own name: `acme/shop-stack` → `shop-stack`, `git@host:acme/shop.git` → `shop`. */
export function repositoryName(repo: string): string {
  const trimmed = repo.trim().replace(/[/\\]+$/, "").replace(/\.git$/i, "");
  return trimmed.split(/[/\\:]/).pop() ?? trimmed;
}

/** The placeholders a template uses that Slipway does not know; empty when all are known. */
export function unknownPreviewPlaceholders(template: string): string[] {
  return [...template.matchAll(/\{([^{}]*)\}/g)].map(([, name]) => name!).filter((name) => !(PREVIEW_URL_PLACEHOLDERS as readonly string[]).includes(name));
}

/**
 * The preview URL of one branch, or undefined when the template does not give an http(s) URL for these values (an
 * unknown placeholder, a value with nothing DNS can use, a host that is not one).
 */
export function previewUrlFor(template: string, values: PreviewUrlValues): string | undefined {
  if (unknownPreviewPlaceholders(template).length > 0) return undefined;
  const slugs: Record<PreviewUrlPlaceholder, string> = {
    repo: slugForDns(repositoryName(values.repo)),
    branch: slugForDns(values.branch),
    environment: slugForDns(values.environment),
  };
  let empty = false;
  const filled = template.replace(/\{([a-z]+)\}/g, (_, name: PreviewUrlPlaceholder) => {
    if (!slugs[name]) empty = true;
    return slugs[name];
  });
  if (empty) return undefined;

  const parts = /^(https?:\/\/)([^/?#]*)(.*)$/i.exec(filled.trim());
  if (!parts) return undefined;
  const [, scheme, authority, rest] = parts as unknown as [string, string, string, string];
  const at = authority.lastIndexOf("@");
  const userinfo = at >= 0 ? authority.slice(0, at + 1) : "";
  const hostPort = authority.slice(at + 1);
  const port = /:\d+$/.exec(hostPort)?.[0] ?? "";
  const host = hostPort.slice(0, hostPort.length - port.length);
  const labels = host.split(".").map((label) => (label.length > MAX_LABEL ? label.slice(0, MAX_LABEL).replace(/-+$/, "") : label));
  const fittedHost = labels.join(".");
  if (fittedHost.length === 0 || fittedHost.length > MAX_HOST || labels.some((label) => label.length === 0)) return undefined;
  const url = `${scheme}${userinfo}${fittedHost}${port}${rest}`;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return undefined;
  } catch {
    return undefined;
  }
  return url;
}

/**
 * Why a template cannot be used, for slipway.yaml's validation, or undefined when it can: it is tried with sample
 * values, so a template that only works for some branches is still caught where it always fails.
 */
export function previewTemplateProblem(template: string): string | undefined {
  const unknown = unknownPreviewPlaceholders(template);
  if (unknown.length > 0) {
    return `may only use the placeholders ${PREVIEW_URL_PLACEHOLDERS.map((name) => `{${name}}`).join(", ")} (not {${unknown[0]}})`;
  }
  if (!previewUrlFor(template, { repo: "acme/shop-stack", branch: "slipway/shop-dev/upgrade-payments-1.4.2-3f2a9c1", environment: "shop-dev" })) {
    return "must give an http:// or https:// URL once {repo}, {branch} and {environment} are filled in, such as https://{repo}-{branch}.dev.example.com";
  }
  return undefined;
}
