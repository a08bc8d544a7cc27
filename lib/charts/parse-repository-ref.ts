import type { RepositoryRef } from "./types";

/**
 * Classifies a dependency's `repository:` as Helm does. Returns undefined for anything else (a bare name, ftp://…),
 * which Helm would refuse too.
 */
export function parseRepositoryRef(raw: string): RepositoryRef | undefined {
  const value = raw.trim();
  if (value === "") return { kind: "none" };

  // Helm's downloader checks both prefixes case-sensitively and compares the rest to the repository name exactly
  // (strings.HasPrefix / TrimPrefix in pkg/downloader/manager.go): `ALIAS:demo` and `@ demo` name no repository.
  if (value.startsWith("@")) return aliasRef(value.slice(1));
  if (value.startsWith("alias:")) return aliasRef(value.slice("alias:".length));
  // URL schemes are case-insensitive; people do write HTTPS:// and OCI://.
  const lower = value.toLowerCase();
  if (lower.startsWith("https://") || lower.startsWith("http://")) return { kind: "http", url: value };
  if (lower.startsWith("oci://")) return { kind: "oci", url: value };
  if (lower.startsWith("file://")) return { kind: "file", path: value.slice("file://".length) };
  return undefined;
}

function aliasRef(name: string): RepositoryRef | undefined {
  return name === "" || name !== name.trim() ? undefined : { kind: "alias", name };
}
