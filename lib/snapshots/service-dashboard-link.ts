import { dashboardUrl } from "@/lib/integrations/grafana/dashboard-url";

/**
 * The dashboard a service links on the environment page: `grafana.dashboardUrlTemplate` with the environment and the
 * service filled in (URL-encoded) when slipway.yaml sets one, else the service's own `grafanaDashboard`. Pure.
 */
export function serviceDashboardLink(
  template: string | undefined,
  values: { environment: string; service: string },
  serviceDashboard: string | undefined,
): string | undefined {
  return template ? dashboardUrl(template, values) : serviceDashboard;
}
