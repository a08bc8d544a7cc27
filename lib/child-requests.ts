import { type ChildProcess, spawn } from "node:child_process";

/**
 * Starts a helper: `node -e source`, with an IPC channel that carries structured clones (Buffers, BigInts) and this
 * process's environment minus NODE_OPTIONS (the server's heap cap and loaders are not the helper's business). The
 * program is a string so that no bundler or transpiler rewrites it (Next's server bundle, tsx). Its standard error,
 * and standard output when asked, go where this process's go.
 */
export function spawnNodeHelper(source: string, stdout: "ignore" | "inherit"): ChildProcess {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  return spawn(process.execPath, ["-e", source], { stdio: ["ignore", stdout, "inherit", "ipc"], serialization: "advanced", env });
}

/**
 * Requests to a helper process over its IPC channel, each answered by one message carrying the request's id: git's
 * launcher (lib/git/local/git-launcher.ts) and the embedded database's process (lib/database/database-process.ts).
 *
 * An idle helper must not keep its parent running (a CLI command would never exit); a busy one must. So the child
 * and its channel are referenced only while a request is in flight.
 */
export class ChildRequests {
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private nextId = 1;

  constructor(private readonly child: ChildProcess) {
    this.setReferenced(false);
  }

  /**
   * Sends `{ id, ...message }` and waits for `resolve(id)` or `reject(id)` (the caller reads the answers), or for
   * `rejectAll` when the child ends. A message that cannot be sent fails with `sendFailed(error)`.
   */
  send(message: object, sendFailed: (error: Error) => Error): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) this.setReferenced(true);
      this.pending.set(id, { resolve, reject });
      this.child.send({ id, ...message }, (error) => {
        if (error) this.reject(id, sendFailed(error));
      });
    });
  }

  resolve(id: number, value: unknown): void {
    this.take(id)?.resolve(value);
  }

  reject(id: number, error: Error): void {
    this.take(id)?.reject(error);
  }

  /** Fails every request in flight (the child ended). */
  rejectAll(error: Error): void {
    for (const id of [...this.pending.keys()]) this.reject(id, error);
  }

  private take(id: number) {
    const pending = this.pending.get(id);
    if (!pending) return undefined;
    this.pending.delete(id);
    if (this.pending.size === 0) this.setReferenced(false);
    return pending;
  }

  private setReferenced(referenced: boolean): void {
    const channel = this.child.channel as { ref(): void; unref(): void } | null | undefined;
    if (referenced) {
      this.child.ref();
      channel?.ref();
    } else {
      this.child.unref();
      channel?.unref();
    }
  }
}
