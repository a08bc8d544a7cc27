import { type IncomingMessage, type ServerResponse, createServer } from "node:http";
import { type AddressInfo, type Server, type Socket, connect, createServer as createTcpServer } from "node:net";
import type { DemoIntegrations } from "@/lib/demo/demo-integrations";
import { type GrafanaTestServer, startGrafanaTestServer } from "../grafana/grafana-test-server";
import { type JiraEffect, type JiraTestServer, startJiraTestServer } from "../jira/jira-test-server";
import { DEFAULT_SLACK_BOT, type SlackEffects, type SlackTestServer, startSlackTestServer } from "../slack/slack-test-server";
import { DEMO_JIRA_BOT, demoJiraSeed } from "./demo-jira-seed";

/**
 * Local stand-ins for the demo's Jira, Slack and Grafana: the strict test servers of test/jira, test/slack and
 * test/grafana (the real wire formats), seeded for the demo — every ticket its changelogs name, a #releases channel
 * with the bot in it, a Grafana service account token that may write annotations — each reachable on a port of its
 * own, plus a control port that says where they are (`GET /__stand-ins/integrations`, what `npm run demo --
 * --integrations URL` reads) and what they were asked to do (`GET /__stand-ins/effects`, what a browser test checks).
 * Everything lives in memory: a restart forgets the fix versions, messages and annotations made.
 */

export const STAND_IN_TOKENS = { slack: "xoxb-slipway-demo", grafana: "glsa_slipway_demo" } as const;
export const STAND_IN_SLACK_CHANNEL = { id: "C0RELEASES", name: "releases" } as const;

/** A port per server; 0 (the default) picks a free one. */
export interface StandInPorts {
  control: number;
  jira: number;
  slack: number;
  grafana: number;
}

export interface StandInEffects {
  jira: {
    effects: Omit<JiraEffect, "user">[];
    /** Every fix version of every project, as the stand-in holds it now. */
    versions: { project: string; id: string; name: string; released: boolean; releaseDate?: string }[];
  };
  slack: {
    effects: SlackEffects;
    /** Top-level messages of the demo's channel with what became of them; `key` is the metadata key Slipway sent. */
    messages: { channel: string; ts: string; text: string; key?: string; updates: number; replies: { text: string; key?: string }[] }[];
  };
  grafana: {
    effects: { created: number; patched: number };
    annotations: { id: number; time: number; tags: string[]; text: string }[];
  };
}

/** A ticket as the stand-in's Jira holds it now (`GET /__stand-ins/tickets/KEY`). */
export interface StandInTicket {
  key: string;
  summary: string;
  status: string;
  type: string;
  assignee?: string;
  labels: string[];
  fixVersions: string[];
}

export interface StandIns {
  /** `http://host:port` of the control port. */
  controlUrl: string;
  integrations: Required<DemoIntegrations>;
  jira: JiraTestServer;
  slack: SlackTestServer;
  grafana: GrafanaTestServer;
  effects(): StandInEffects;
  close(): Promise<void>;
}

/** Forwards every connection on host:port to a server's own port, byte for byte (Host header and all). */
async function forward(host: string, port: number, target: number): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createTcpServer((client) => {
    const upstream = connect(target, "127.0.0.1");
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await listen(server, host, port);
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(error.code === "EADDRINUSE" ? new Error(`port ${port} on ${host} is in use: stop what listens there or choose other ports`) : error),
    );
    server.listen(port, host, () => resolve());
  });
}

export async function startStandIns(options: { host?: string; ports?: Partial<StandInPorts> } = {}): Promise<StandIns> {
  const host = options.host ?? "127.0.0.1";
  const ports: StandInPorts = { control: 0, jira: 0, slack: 0, grafana: 0, ...options.ports };
  const seed = demoJiraSeed();
  const jira = await startJiraTestServer({ deployment: "cloud", users: seed.users, projects: seed.projects, issues: seed.issues });
  const slack = await startSlackTestServer({
    tokens: { [STAND_IN_TOKENS.slack]: DEFAULT_SLACK_BOT },
    channels: [{ ...STAND_IN_SLACK_CHANNEL, members: [DEFAULT_SLACK_BOT.userId] }],
  });
  // An Editor's service account: annotations:read, create and write.
  const grafana = await startGrafanaTestServer({ tokens: { [STAND_IN_TOKENS.grafana]: { login: "sa-1-slipway-demo" } } });
  const forwards = await Promise.all([forward(host, ports.jira, jira.port), forward(host, ports.slack, Number(new URL(slack.url).port)), forward(host, ports.grafana, Number(new URL(grafana.url).port))]);
  const [jiraPort, slackPort, grafanaPort] = forwards.map((entry) => entry.port);
  const address = (port: number | undefined) => `http://${host.includes(":") ? `[${host}]` : host}:${port}`;

  const integrations: Required<DemoIntegrations> = {
    jira: { url: address(jiraPort), email: DEMO_JIRA_BOT.login, token: DEMO_JIRA_BOT.token },
    slack: { apiUrl: `${address(slackPort)}/api/`, token: STAND_IN_TOKENS.slack, channel: `#${STAND_IN_SLACK_CHANNEL.name}` },
    grafana: { url: address(grafanaPort), token: STAND_IN_TOKENS.grafana },
  };

  const projectKeys = seed.projects.map((project) => project.key);
  function effects(): StandInEffects {
    const metadataKey = (message: { metadata?: { event_payload: Record<string, unknown> } }) =>
      typeof message.metadata?.event_payload.key === "string" ? message.metadata.event_payload.key : undefined;
    return {
      jira: {
        effects: jira.effects.map(({ user: _user, ...entry }) => entry),
        versions: projectKeys.flatMap((project) =>
          jira.versions(project).map((version) => ({ project, id: version.id, name: version.name, released: version.released, ...(version.releaseDate ? { releaseDate: version.releaseDate } : {}) })),
        ),
      },
      slack: {
        effects: slack.effects(),
        messages: slack.messages(STAND_IN_SLACK_CHANNEL.id).map((message) => {
          const key = metadataKey(message);
          return {
            channel: message.channel,
            ts: message.ts,
            text: message.text,
            ...(key ? { key } : {}),
            updates: message.history.length - 1,
            replies: slack.replies(STAND_IN_SLACK_CHANNEL.id, message.ts).map((reply) => {
              const replyKey = metadataKey(reply);
              return { text: reply.text, ...(replyKey ? { key: replyKey } : {}) };
            }),
          };
        }),
      },
      grafana: {
        effects: grafana.effects(),
        annotations: grafana.annotations().map(({ id, time, tags, text }) => ({ id, time, tags, text })),
      },
    };
  }

  function ticket(key: string): StandInTicket | undefined {
    let issue;
    try {
      issue = jira.issue(key.toUpperCase());
    } catch {
      return undefined;
    }
    const names = new Map(jira.versions(issue.projectKey).map((version) => [version.id, version.name]));
    return {
      key: issue.key,
      summary: issue.summary,
      status: issue.status.name,
      type: issue.type,
      ...(issue.assignee ? { assignee: issue.assignee } : {}),
      labels: [...issue.labels],
      fixVersions: issue.fixVersionIds.map((id) => names.get(id) ?? id),
    };
  }

  function answer(response: ServerResponse, status: number, body: unknown) {
    response.writeHead(status, { "Content-Type": "application/json", "Cache-Control": "no-store" });
    response.end(JSON.stringify(body));
  }
  const control = createServer((request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? "/", "http://stand-ins");
    if (request.method !== "GET") return answer(response, 405, { error: "only GET" });
    if (url.pathname === "/__stand-ins/integrations") return answer(response, 200, integrations);
    if (url.pathname === "/__stand-ins/effects") return answer(response, 200, effects());
    const ticketPath = /^\/__stand-ins\/tickets\/([^/]+)$/.exec(url.pathname);
    if (ticketPath) {
      const found = ticket(decodeURIComponent(ticketPath[1]!));
      return found ? answer(response, 200, found) : answer(response, 404, { error: `no ticket ${ticketPath[1]}` });
    }
    return answer(response, 404, { error: "GET /__stand-ins/integrations, /__stand-ins/effects or /__stand-ins/tickets/KEY" });
  });
  await listen(control, host, ports.control);
  const controlPort = (control.address() as AddressInfo).port;

  return {
    controlUrl: address(controlPort),
    integrations,
    jira,
    slack,
    grafana,
    effects,
    close: async () => {
      control.closeAllConnections();
      await new Promise<void>((resolve) => control.close(() => resolve()));
      await Promise.all(forwards.map((entry) => entry.close()));
      await Promise.all([jira.close(), slack.close(), grafana.close()]);
    },
  };
}
