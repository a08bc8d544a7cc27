import { spawn, execFileSync } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const DOCKER_REGISTRY_BINARY = "/usr/bin/docker-registry";
export const HTPASSWD_BINARY = "/usr/bin/htpasswd";

/** Whether the Debian `docker-registry` (and `htpasswd` for its users) are installed. */
export function hasDockerRegistry(): boolean {
  return existsSync(DOCKER_REGISTRY_BINARY) && existsSync(HTPASSWD_BINARY);
}

export interface DockerRegistry {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** `127.0.0.1:<port>`, for oci:// URLs. */
  host: string;
  /** Basic credentials of the one htpasswd user. */
  username: string;
  password: string;
  stop(): Promise<void>;
}

/**
 * Starts a real distribution registry (Debian docker-registry 2.8) on a free 127.0.0.1 port, with filesystem
 * storage in a temporary folder and htpasswd basic auth (bcrypt), and waits until it answers.
 */
export async function startDockerRegistry(username = "user", password = "pass"): Promise<DockerRegistry> {
  const dir = await mkdtemp(join(tmpdir(), "slipway-docker-registry-"));
  const htpasswd = execFileSync(HTPASSWD_BINARY, ["-Bbn", username, password], { encoding: "utf8" });
  await writeFile(join(dir, "htpasswd"), htpasswd);
  const port = await findFreePort();
  const host = `127.0.0.1:${port}`;
  const config = [
    "version: 0.1",
    "log:",
    "  level: error",
    "  accesslog:",
    "    disabled: true",
    "storage:",
    "  filesystem:",
    `    rootdirectory: ${join(dir, "data")}`,
    "http:",
    `  addr: ${host}`,
    "  secret: slipway-test-secret",
    "auth:",
    "  htpasswd:",
    "    realm: slipway-test",
    `    path: ${join(dir, "htpasswd")}`,
    "",
  ].join("\n");
  await writeFile(join(dir, "config.yml"), config);

  const child = spawn(DOCKER_REGISTRY_BINARY, ["serve", join(dir, "config.yml")], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  // Drained so the registry never blocks on a full pipe; the tail explains a failed start.
  child.stderr.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  let exited = false;
  child.once("exit", () => (exited = true));

  const stop = async () => {
    if (!exited) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
      await once(child, "exit").catch(() => undefined);
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  };

  const url = `http://${host}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (exited) {
      await stop();
      throw new Error(`docker-registry exited during start-up:\n${stderr}`);
    }
    // Any HTTP answer (401 here) means it listens.
    const answered = await fetch(`${url}/v2/`, { signal: AbortSignal.timeout(1000) }).then(
      async (response) => {
        await response.body?.cancel();
        return true;
      },
      () => false,
    );
    if (answered) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`docker-registry did not start listening on ${host}:\n${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { url, host, username, password, stop };
}

async function findFreePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  server.close();
  await once(server, "close");
  return port;
}
