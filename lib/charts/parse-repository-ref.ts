import type { RepositoryRef } from "./types";

/**
 * Classifies a dependency's `repository:` as Helm does. Returns undefined for anything else (a bare name, ftp://…),
 * which Helm would refuse too.
 */
export function parseRepositoryRef(raw: string): RepositoryRef | undefined {
  const value = raw.trim();
  if (value === "") return { kind: "none" };

  if (value.startsWith("@")) return aliasRef(value.slice(1));
  // URL schemes are case-insensitive; people do write HTTPS:// and OCI://.
  const lower = value.toLowerCase();
  if (lower.startsWith("alias:")) return aliasRef(value.slice("alias:".length));
  if (lower.startsWith("https://") || lower.startsWith("http://")) return { kind: "http", url: value };
  if (lower.startsWith("oci://")) return { kind: "oci", url: value };
  if (lower.startsWith("file://")) return { kind: "file", path: value.slice("file://".length) };
  return undefined;
}

function aliasRef(name: string): RepositoryRef | undefined {
  const trimmed = name.trim();
  return trimmed === "" ? undefined : { kind: "alias", name: trimmed };
}
