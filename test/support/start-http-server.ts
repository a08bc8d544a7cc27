import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A request as the test server saw it, for asserting what a client sent. */
export interface RecordedRequest {
  method: string;
  /** Path with query string. */
  url: string;
  headers: IncomingMessage["headers"];
}

export interface TestHttpServer {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  port: number;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/**
 * Starts a node:http server on a free 127.0.0.1 port for a test to speak a real wire format through.
 * `close` also drops keep-alive connections, which fetch (undici) holds open and which would keep
 * `server.close()` waiting.
 */
export async function startHttpServer(
  handler: (request: IncomingMessage, response: ServerResponse) => void | Promise<void>,
): Promise<TestHttpServer> {
  const requests: RecordedRequest[] = [];
  const listener: RequestListener = (request, response) => {
    requests.push({ method: request.method ?? "GET", url: request.url ?? "/", headers: request.headers });
    Promise.resolve(handler(request, response)).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { "Content-Type": "text/plain" });
      response.end(String(error));
    });
  };
  const server = createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
