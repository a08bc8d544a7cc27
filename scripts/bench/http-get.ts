import http from "node:http";
import { gunzipSync } from "node:zlib";

export interface HttpResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Until the response headers arrived: the server's render up to its first flush. */
  ttfbMs: number;
  /** Until the last byte of the body arrived. */
  totalMs: number;
  /** Bytes on the wire (compressed when the server compressed). */
  wireBytes: number;
  /** The decoded body. */
  body: Buffer;
}

// One kept-alive connection, as a browser would reuse it: the figures are the server's, not TCP setup.
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

/** GET with `Accept-Encoding: gzip` like a browser; decoding happens after the clock stops. */
export function httpGet(url: string, headers: Record<string, string> = {}, via: http.Agent = agent): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const request = http.get(url, { agent: via, headers: { "accept-encoding": "gzip", ...headers } }, (response) => {
      const ttfbMs = performance.now() - started;
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("error", reject);
      response.on("end", () => {
        const totalMs = performance.now() - started;
        const wire = Buffer.concat(chunks);
        const body = response.headers["content-encoding"] === "gzip" ? gunzipSync(wire) : wire;
        resolve({ status: response.statusCode ?? 0, headers: response.headers, ttfbMs, totalMs, wireBytes: wire.byteLength, body });
      });
    });
    request.on("error", reject);
    request.setTimeout(60_000, () => request.destroy(new Error(`GET ${url} took longer than 60 s`)));
  });
}

export function closeHttpAgent(): void {
  agent.destroy();
}
