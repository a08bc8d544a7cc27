import type { ChildProcess } from "node:child_process";
import {
  DriverAdapterError,
  type IsolationLevel,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlQuery,
  type SqlResultSet,
  type Transaction,
  type TransactionOptions,
} from "@prisma/driver-adapter-utils";
import { ChildRequests, spawnNodeHelper } from "../child-requests";
import type { DataDirLock } from "./data-dir-lock";
import { removeLeftoversOfDeadProcess } from "./recover-data-dir";

/**
 * The embedded database in a process of its own, spoken to as a Prisma driver adapter.
 *
 * PGlite is PostgreSQL compiled to WebAssembly; its memory (128 MB it cannot start with less of, more as it works)
 * lives in whichever process opens it. In the web server that put the server at ~370 MB after the 50 × 80 overview
 * and ~475 MB under load, against an aim of 300 MB a process. So the server's database runs in a child: the child
 * opens PGlite with pglite-prisma-adapter, exactly as the server did, and this module forwards Prisma's calls to it
 * (queries, scripts, interactive transactions) and rebuilds its errors, so that Prisma sees the same adapter.
 *
 * The caller holds the data folder's lock and records the child in it (DataDirLock.addHelper): if the server is
 * killed, the child notices its channel close, closes PGlite and exits, and a new opener waits for that. The child
 * ignores Ctrl-C (the terminal sends it to the whole process group): the parent closes it, in order.
 *
 * If the child dies, what was in flight fails with a DatabaseProcessError and the next call starts a new one (after
 * clearing what the dead one left, as any open after a kill does).
 */

/** The child's program, run with `node -e`: a string so that neither Next's bundler nor tsx rewrites it. */
const DATABASE_PROCESS_SOURCE = String.raw`
"use strict";
process.title = "slipway-database";
// Ctrl-C reaches every process in the terminal's group: the parent decides when the database closes.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => {});
const { readFileSync, unlinkSync } = require("node:fs");
// import(), not require(): the ES module builds are the ones the server loads, so the only ones Next's standalone
// output traces (it has no index.cjs of pglite-prisma-adapter). From node -e they resolve from the working directory.
const modules = Promise.all([import("@electric-sql/pglite"), import("pglite-prisma-adapter")]);
modules.catch(() => {}); // told to every request by the open below, not reported as unhandled
let pg, adapter, closing, lock;
const transactions = new Map();
// The folder's lock, if it is still the one our parent took. Released here, once PGlite is closed, because the
// parent may be gone by then: Next exits on Ctrl-C without waiting for us, and its exit leaves the lock to us.
const releaseLock = () => {
  try {
    if (lock && JSON.parse(readFileSync(lock.file, "utf8")).token === lock.token) unlinkSync(lock.file);
  } catch {}
};
// PGlite's close waits for an open transaction, which nobody will finish once the parent is closing: roll them back
// first. And never wait for ever: a process that ends is no worse than a kill, which the next open recovers from.
const close = () => (closing ??= (async () => {
  for (const [id, tx] of transactions) {
    transactions.delete(id);
    await tx.rollback().catch(() => {});
  }
  if (pg && !pg.closed) await Promise.race([pg.close(), new Promise((resolve) => setTimeout(resolve, 10000).unref())]);
})().finally(releaseLock));
// The parent is gone (it exited, or a kill -9): close PGlite so that nothing is left half-written, then end.
process.on("disconnect", () => { close().catch(() => {}).finally(() => process.exit(0)); });
const ready = new Promise((resolve, reject) => {
  process.once("message", (first) => {
    lock = first.lock;
    (async () => {
      const [{ PGlite }, { PrismaPGlite }] = await modules;
      pg = new PGlite(first.dataDir, { postgresqlconf: first.postgresqlconf });
      await pg.waitReady;
      adapter = await new PrismaPGlite(pg).connect();
    })().then(resolve, reject);
    // A failed open is told to every request; keep the rejection from being reported as unhandled.
    ready.catch(() => {});
  });
});
const transaction = (id) => {
  const tx = transactions.get(id);
  if (!tx) throw new Error("transaction " + id + " is not open in the database process (it ended or the process restarted)");
  return tx;
};
const operations = {
  open: () => undefined,
  queryRaw: (m) => (m.tx ? transaction(m.tx) : adapter).queryRaw(m.query),
  executeRaw: (m) => (m.tx ? transaction(m.tx) : adapter).executeRaw(m.query),
  // The adapter does not wait for exec to finish (nor see its errors): run it here, its errors mapped the same way.
  executeScript: async (m) => { try { await pg.exec(m.script); } catch (error) { adapter.onError(error); } },
  startTransaction: async (m) => {
    const tx = await adapter.startTransaction(m.isolationLevel);
    if (closing) {
      await tx.rollback();
      throw new Error("the embedded database is closing");
    }
    transactions.set(m.tx, tx);
    return tx.options;
  },
  commit: (m) => { const tx = transaction(m.tx); transactions.delete(m.tx); return tx.commit(); },
  rollback: (m) => { const tx = transaction(m.tx); transactions.delete(m.tx); return tx.rollback(); },
  close: () => close(),
};
const describe = (error) =>
  error && error.name === "DriverAdapterError" && typeof error.cause === "object"
    ? { driver: error.cause }
    : { message: String((error && error.message) || error), name: String((error && error.name) || "Error") };
// The parent may be gone by the time an answer is ready (Next exits on Ctrl-C without waiting for the close): an
// answer nobody can receive is dropped, not an EPIPE that ends this process before it has freed the folder.
const answer = (message) => { if (process.connected) process.send(message, () => {}); };
process.on("message", (m) => {
  ready
    .then(() => operations[m.op](m))
    .then(
      (value) => answer({ id: m.id, value }),
      (error) => answer({ id: m.id, error: describe(error) }),
    )
    .finally(() => { if (m.op === "close" && process.connected) process.disconnect(); });
});
`;

/** The database process ended or could not be started; what was in flight with it failed. */
export class DatabaseProcessError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "DatabaseProcessError";
  }
}

type Operation = "open" | "queryRaw" | "executeRaw" | "executeScript" | "startTransaction" | "commit" | "rollback" | "close";

interface Request {
  op: Operation;
  tx?: number;
  query?: SqlQuery;
  script?: string;
  isolationLevel?: IsolationLevel;
  /** The first message, which opens the database. */
  dataDir?: string;
  postgresqlconf?: string[];
  lock?: { file: string; token: string };
}

type Answer = { id: number; value?: unknown; error?: { driver: unknown } | { message: string; name: string } };

interface Running {
  child: ChildProcess;
  requests: ChildRequests;
  exited: Promise<void>;
}

export interface DatabaseProcessOptions {
  dataDir: string;
  /** The folder's lock, taken by the caller; each database process started is recorded in it. */
  lock: DataDirLock;
  /** postgresql.conf settings for PGlite (e.g. shared_buffers). */
  postgresqlconf: string[];
}

/** pglite-prisma-adapter's name: Prisma sees the adapter it would see in-process. */
const ADAPTER_NAME = "pglite-prisma-adapter";
const CLOSE_TIMEOUT_MS = 30_000;

export class DatabaseProcess {
  private running: Running | undefined;
  private nextTransaction = 1;
  private closed: Promise<void> | undefined;

  constructor(private readonly options: DatabaseProcessOptions) {}

  /** The Prisma adapter factory: every adapter and transaction it hands out talks to this process. */
  factory(): SqlMigrationAwareDriverAdapterFactory {
    const adapter = (): SqlDriverAdapter => ({
      provider: "postgres",
      adapterName: ADAPTER_NAME,
      queryRaw: (query) => this.call({ op: "queryRaw", query }) as Promise<SqlResultSet>,
      executeRaw: (query) => this.call({ op: "executeRaw", query }) as Promise<number>,
      executeScript: async (script) => {
        await this.call({ op: "executeScript", script });
      },
      startTransaction: (isolationLevel) => this.startTransaction(isolationLevel),
      getConnectionInfo: () => ({ schemaName: undefined, supportsRelationJoins: true }),
      dispose: async () => {},
    });
    return {
      provider: "postgres",
      adapterName: ADAPTER_NAME,
      connect: async () => adapter(),
      connectToShadowDb: async () => {
        throw new Error("The embedded database has no shadow database; use `npm run db:migrate` to apply migrations.");
      },
    };
  }

  /** Closes PGlite in the child and waits for the child to end (killing it after 30 s). Idempotent. */
  close(): Promise<void> {
    return (this.closed ??= (async () => {
      const running = this.running;
      if (!running) return;
      const deadline = setTimeout(() => running.child.kill("SIGKILL"), CLOSE_TIMEOUT_MS);
      try {
        await this.send(running, { op: "close" }).catch(() => {});
        await running.exited;
      } finally {
        clearTimeout(deadline);
      }
    })());
  }

  private async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
    const tx = this.nextTransaction++;
    const options = (await this.call({ op: "startTransaction", tx, isolationLevel })) as TransactionOptions;
    return {
      provider: "postgres",
      adapterName: ADAPTER_NAME,
      options,
      queryRaw: (query) => this.call({ op: "queryRaw", tx, query }) as Promise<SqlResultSet>,
      executeRaw: (query) => this.call({ op: "executeRaw", tx, query }) as Promise<number>,
      commit: async () => {
        await this.call({ op: "commit", tx });
      },
      rollback: async () => {
        await this.call({ op: "rollback", tx });
      },
    };
  }

  private call(request: Request): Promise<unknown> {
    if (this.closed) return Promise.reject(new DatabaseProcessError("The embedded database is closed."));
    return this.send(this.running ?? this.start(), request);
  }

  private send(running: Running, request: Request): Promise<unknown> {
    return running.requests.send(
      request,
      (error) => new DatabaseProcessError(`The embedded database process cannot be reached: ${error.message}`, { cause: error }),
    );
  }

  private start(): Running {
    const { dataDir, lock, postgresqlconf } = this.options;
    // Whatever a killed predecessor left (we hold the lock, so no live process owns the folder).
    removeLeftoversOfDeadProcess(dataDir);
    const child = spawnNodeHelper(DATABASE_PROCESS_SOURCE, "inherit");
    let exited!: () => void;
    const running: Running = { child, requests: new ChildRequests(child), exited: new Promise((resolve) => (exited = resolve)) };
    if (child.pid !== undefined) lock.addHelper(child.pid);
    child.on("message", (answer: Answer) => {
      if (answer.error) running.requests.reject(answer.id, rebuildError(answer.error));
      else running.requests.resolve(answer.id, answer.value);
    });
    const fail = (error: Error) => {
      if (this.running === running) this.running = undefined;
      running.requests.rejectAll(error);
    };
    child.on("error", (error) => {
      fail(new DatabaseProcessError(`The embedded database process failed: ${error.message}`, { cause: error }));
      exited();
    });
    child.on("exit", (code, signal) => {
      fail(new DatabaseProcessError(`The embedded database process ended (${signal ?? `exit code ${code}`}); what was in flight with it failed.`));
      exited();
    });
    this.running = running;
    // The first message opens the database; everything sent after it waits for that in the child.
    this.send(running, { op: "open", dataDir, postgresqlconf, lock: { file: lock.file, token: lock.token } }).catch(() => {});
    return running;
  }
}

function rebuildError(error: NonNullable<Answer["error"]>): Error {
  // Prisma turns a DriverAdapterError's cause into its own error codes (a unique violation into P2002).
  if ("driver" in error) return new DriverAdapterError(error.driver as ConstructorParameters<typeof DriverAdapterError>[0]);
  const rebuilt = new Error(error.message);
  rebuilt.name = error.name;
  return rebuilt;
}
