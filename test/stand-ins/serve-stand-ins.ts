/**
 * Serves local stand-ins for Jira, Slack and Grafana, seeded for the demo, until killed:
 *   npx tsx test/stand-ins/serve-stand-ins.ts [--port N] [--host 127.0.0.1]
 * The control port is N (default E2E_STAND_INS_PORT or 3190); Jira, Slack and Grafana listen on N+1, N+2 and N+3
 * (--jira-port, --slack-port, --grafana-port choose others). Then `npm run demo -- --integrations http://127.0.0.1:N`
 * follows release requests through in them; `GET http://127.0.0.1:N/__stand-ins/effects` shows what they were asked.
 */
import { parseArgs } from "node:util";
import { startStandIns } from "./start-stand-ins";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: process.env.E2E_STAND_INS_PORT ?? "3190" },
    host: { type: "string", default: "127.0.0.1" },
    "jira-port": { type: "string" },
    "slack-port": { type: "string" },
    "grafana-port": { type: "string" },
  },
});

function port(value: string | undefined, fallback: number, flag: string): number {
  const parsed = value === undefined ? fallback : Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535) {
    console.error(`serve-stand-ins: ${flag} must be a port number, not ${value}`);
    process.exit(2);
  }
  return parsed;
}

async function main() {
  if (!/^(127\.\d+\.\d+\.\d+|localhost|::1)$/.test(values.host!)) {
    console.error("serve-stand-ins: --host must be a loopback address: the stand-ins take any test token and are for this machine only");
    process.exit(2);
  }
  const control = port(values.port, 3190, "--port");
  const standIns = await startStandIns({
    host: values.host!,
    ports: {
      control,
      jira: port(values["jira-port"], control + 1, "--jira-port"),
      slack: port(values["slack-port"], control + 2, "--slack-port"),
      grafana: port(values["grafana-port"], control + 3, "--grafana-port"),
    },
  });
  const { jira, slack, grafana } = standIns.integrations;
  console.log(`serve-stand-ins: Jira (Cloud API)   ${jira.url}   user ${jira.email}, API token ${jira.token}`);
  console.log(`serve-stand-ins: Slack Web API     ${slack.apiUrl}   bot token ${slack.token}, channel ${slack.channel}`);
  console.log(`serve-stand-ins: Grafana           ${grafana.url}   service account token ${grafana.token}`);
  console.log(`serve-stand-ins: control           ${standIns.controlUrl}/__stand-ins/integrations, /__stand-ins/effects, /__stand-ins/tickets/KEY`);
  console.log(`serve-stand-ins: run the demo with them: npm run demo -- --integrations ${standIns.controlUrl}`);
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void standIns.close().then(() => process.exit(0)));
}

main().catch((error) => {
  console.error(`serve-stand-ins: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
