/**
 * Files at a commit never change, so once read they can answer every later read of that commit. Least recently used
 * first out, bounded by the bytes it holds (text as UTF-16 in memory, counted at two bytes a character), so a stack of
 * hostile size cannot grow the process without end. `undefined` is a remembered answer: the file is not there.
 */
export interface ImmutableFileCache {
  get(repo: string, sha: string, path: string): { content: string | undefined } | undefined;
  set(repo: string, sha: string, path: string, content: string | undefined): void;
  readonly bytes: number;
  readonly size: number;
}

/** What an entry costs beside its text: the key, the map's entry, the boxed answer. */
const ENTRY_OVERHEAD = 96;

export function createImmutableFileCache(maxBytes: number): ImmutableFileCache {
  const entries = new Map<string, { content: string | undefined; bytes: number }>();
  let bytes = 0;
  const keyOf = (repo: string, sha: string, path: string) => `${repo.toLowerCase()}\0${sha}\0${path}`;

  return {
    get(repo, sha, path) {
      const key = keyOf(repo, sha, path);
      const entry = entries.get(key);
      if (!entry) return undefined;
      entries.delete(key);
      entries.set(key, entry);
      return { content: entry.content };
    },
    set(repo, sha, path, content) {
      const key = keyOf(repo, sha, path);
      const size = ENTRY_OVERHEAD + key.length * 2 + (content?.length ?? 0) * 2;
      const previous = entries.get(key);
      if (previous) {
        bytes -= previous.bytes;
        entries.delete(key);
      }
      if (size > maxBytes) return;
      entries.set(key, { content, bytes: size });
      bytes += size;
      while (bytes > maxBytes) {
        const [oldestKey, oldest] = entries.entries().next().value!;
        entries.delete(oldestKey);
        bytes -= oldest.bytes;
      }
    },
    get bytes() {
      return bytes;
    },
    get size() {
      return entries.size;
    },
  };
}
