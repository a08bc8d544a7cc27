import "server-only";
import type { Octokit } from "@octokit/rest";

type Response = Awaited<ReturnType<Octokit["request"]>>;

/**
 * Conditional GETs: remember each response's ETag, send it back as If-None-Match, and answer a 304 from memory.
 * GitHub does not count 304s against the rate limit, so a refresher that re-reads unchanged branches every minute costs
 * (almost) nothing. Octokit raises a 304 as a RequestError; this hook turns it back into the remembered response.
 *
 * The cache is per client, least recently used first out. Cached responses are shared: callers must not mutate them.
 */
export function conditionalRequests(octokit: Octokit, options: { maxEntries: number }): void {
  const cache = new Map<string, { etag: string; response: Response }>();

  function remember(key: string, entry: { etag: string; response: Response }) {
    cache.delete(key);
    cache.set(key, entry);
    if (cache.size > options.maxEntries) cache.delete(cache.keys().next().value!);
  }

  octokit.hook.wrap("request", async (request, requestOptions) => {
    if (requestOptions.method !== "GET") return request(requestOptions);
    const { url, headers } = octokit.request.endpoint.parse(requestOptions);
    const key = `${String(headers.accept ?? "")} ${url}`;
    const cached = cache.get(key);
    // Octokit's hooks share one options object (inner hooks ignore what is passed along): set the header on it.
    if (cached) requestOptions.headers = { ...requestOptions.headers, "if-none-match": cached.etag };
    try {
      const response = await request(requestOptions);
      const etag = response.headers.etag;
      if (etag) remember(key, { etag, response });
      return response;
    } catch (error) {
      if (cached && (error as { status?: number }).status === 304) {
        remember(key, cached);
        return cached.response;
      }
      throw error;
    }
  });
}
