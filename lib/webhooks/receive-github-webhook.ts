import "server-only";
import { NotFoundError, SlipwayError, errorMessage } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { getServerClients } from "@/lib/server-clients";
import { requestEnvironmentRefresh } from "@/lib/snapshots/refresher";
import { type GitHubDeliveryResult, handleGitHubDelivery } from "./handle-github-delivery";
import { readGitHubDelivery } from "./read-github-delivery";

const log = logger.child({ component: "github-webhook" });

/**
 * POST /api/webhooks/github, with the server's clients: the secret slipway.yaml names (github.webhookSecretEnv), the
 * delivery read and verified, then acted on. Without a configured secret nothing is read: 404 when webhooks are not
 * configured, 503 when the variable naming the secret is unset (the details go to the log, not to the caller).
 */
export async function receiveGitHubWebhook(request: Request): Promise<GitHubDeliveryResult> {
  const clients = getServerClients();
  const secretEnv = clients.config.github?.webhookSecretEnv;
  if (!secretEnv) throw new NotFoundError("GitHub webhooks are not enabled in this Slipway (github.webhookSecretEnv in slipway.yaml).");
  const secret = clients.environment.secret(secretEnv);
  if (!secret) {
    log.error({ variable: secretEnv }, `GitHub webhook refused: set ${secretEnv} (github.webhookSecretEnv in slipway.yaml) to the webhook's secret`);
    throw new SlipwayError("GitHub webhooks are not available: the webhook secret is not set on the server.", 503);
  }
  const delivery = await readGitHubDelivery(request, secret);
  return handleGitHubDelivery(
    {
      db: clients.db,
      release: clients,
      refreshEnvironments: (environments) => {
        void requestEnvironmentRefresh(environments, "webhook").catch((error: unknown) =>
          log.error({ environments, error: errorMessage(error) }, "refresh after a webhook failed"),
        );
      },
    },
    delivery,
  );
}
