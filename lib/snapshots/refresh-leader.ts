import "server-only";
import { createHash } from "node:crypto";
import os from "node:os";
import pg from "pg";
import { errorMessage } from "@/lib/errors";
import { logger } from "@/lib/logger";

/**
 * Leadership of the refresh among the instances that share one PostgreSQL database: a session-level advisory lock,
 * held on a connection of its own (never one of Prisma's pooled connections, which come and go). PostgreSQL releases a
 * session lock when its connection ends, so when the leader's process dies, the lock is free at once and the next
 * instance that asks becomes leader.
 *
 * A dead process is noticed at once (its socket closes). A vanished host, or a process that is alive but no longer
 * runs (stopped, its event loop blocked), is noticed by PostgreSQL through the settings below: TCP keepalives
 * (about 60 s for a host that is gone), tcp_user_timeout (60 s of unacknowledged writes) and idle_session_timeout
 * (the leader checks its connection every few seconds; one that stays silent for 2 minutes is closed). Until then the
 * lock stays where it is. The leader cannot be fenced: a leader whose connection broke stops its timer and refreshes
 * no more, but a refresh it already started runs to its end beside the new leader's (documented in the README).
 *
 * Advisory locks belong to one database, so two Slipways on two databases of one server do not see each other's.
 */
export interface Leadership {
  /** Whether this process holds the lock now (as far as it knows: a broken connection is noticed as it breaks). */
  readonly leading: boolean;
  /** The holder's term, new on each election: work claimed in an earlier term is not this term's. */
  readonly term: string;
  /** Takes the lock if it is free; true when this process leads afterwards. Never throws: a failure is "not leading". */
  tryLead(): Promise<boolean>;
  /** Asks the connection whether it is still there; a failure ends the leadership (and calls onLost). */
  confirm(): Promise<boolean>;
  /** Lets the lock go and closes the connection. */
  release(): Promise<void>;
}

export interface LeadershipOptions {
  connectionString: string;
  /** The lock's name; its key is derived from it, the same in every instance. */
  name: string;
  /** PostgreSQL NOTIFY channel the leader listens on while it leads. */
  channel?: string;
  onNotification?: () => void;
  /** The connection broke or ended while leading: stop everything a leader does. */
  onLost?: (reason: string) => void;
}

/** Session settings of the lock's connection (see above): how long PostgreSQL waits before it frees a silent leader's lock. */
const SESSION_SETTINGS = [
  "SET tcp_keepalives_idle = 30",
  "SET tcp_keepalives_interval = 10",
  "SET tcp_keepalives_count = 3",
  "SET tcp_user_timeout = 60000",
  "SET idle_session_timeout = 120000",
];

/** The advisory lock key of `name`: the first 8 bytes of its SHA-256, as PostgreSQL's signed bigint. */
export function advisoryLockKey(name: string): bigint {
  return createHash("sha256").update(name).digest().readBigInt64BE(0);
}

const log = logger.child({ component: "refresh-leader" });

export function createLeadership(options: LeadershipOptions): Leadership {
  const key = String(advisoryLockKey(options.name));
  let client: pg.Client | undefined;
  let connecting: Promise<pg.Client> | undefined;
  let leading = false;
  let terms = 0;
  let term = "";

  const lose = (reason: string) => {
    if (!leading) return;
    leading = false;
    log.warn({ term, reason }, "this instance no longer leads the refresh");
    options.onLost?.(reason);
  };

  const drop = (which: pg.Client, reason: string) => {
    if (client !== which) return;
    client = undefined;
    which.removeAllListeners("notification");
    which.end().catch(() => undefined);
    lose(reason);
  };

  const connect = (): Promise<pg.Client> => {
    if (client) return Promise.resolve(client);
    connecting ??= (async () => {
      const next = new pg.Client({
        connectionString: options.connectionString,
        application_name: `slipway refresh leadership pid ${process.pid} on ${os.hostname()}`.slice(0, 63),
        keepAlive: true,
        keepAliveInitialDelayMillis: 10_000,
        connectionTimeoutMillis: 10_000,
        query_timeout: 15_000,
      });
      // Without a listener an 'error' event would throw; every failure of this connection means "not leading".
      next.on("error", (error) => drop(next, errorMessage(error)));
      next.on("end", () => drop(next, "the connection ended"));
      try {
        await next.connect();
        for (const setting of SESSION_SETTINGS) {
          // An older PostgreSQL without one of them still gets the others.
          await next.query(setting).catch((error: unknown) => log.debug({ setting, error: errorMessage(error) }, "session setting refused"));
        }
      } catch (error) {
        next.end().catch(() => undefined);
        throw error;
      }
      client = next;
      return next;
    })().finally(() => {
      connecting = undefined;
    });
    return connecting;
  };

  return {
    get leading() {
      return leading;
    },
    get term() {
      return term;
    },
    async tryLead() {
      if (leading) return true;
      try {
        const connection = await connect();
        const { rows } = await connection.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1::bigint) AS locked", [key]);
        if (!rows[0]?.locked) return false;
        if (options.channel) {
          connection.on("notification", () => options.onNotification?.());
          await connection.query(`LISTEN ${options.channel}`);
        }
        if (client !== connection) return false;
        leading = true;
        term = `${os.hostname()}:${process.pid}:${Date.now().toString(36)}:${++terms}`;
        log.info({ term }, "this instance leads the refresh");
        return true;
      } catch (error) {
        log.warn({ error: errorMessage(error) }, "could not ask for the refresh leadership");
        if (client) drop(client, errorMessage(error));
        return false;
      }
    },
    async confirm() {
      const connection = client;
      if (!connection || !leading) return false;
      try {
        await connection.query("SELECT 1");
        return leading;
      } catch (error) {
        drop(connection, errorMessage(error));
        return false;
      }
    },
    async release() {
      const connection = client ?? (connecting ? await connecting.catch(() => undefined) : undefined);
      const wasLeading = leading;
      leading = false;
      client = undefined;
      if (!connection) return;
      connection.removeAllListeners("notification");
      try {
        if (wasLeading) await connection.query("SELECT pg_advisory_unlock($1::bigint)", [key]);
      } catch {
        // Closing the connection below frees the lock as well.
      }
      await connection.end().catch(() => undefined);
      if (wasLeading) log.info({ term }, "this instance let the refresh leadership go");
    },
  };
}
