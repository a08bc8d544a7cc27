/**
 * Links into Grafana, pure: the environment page links each service's dashboard, the release request page links the
 * annotations it left. No secrets and no I/O, so pages may use it directly.
 */

export const DASHBOARD_URL_PLACEHOLDERS = ["environment", "service"] as const;

/**
 * `template` with {environment} and {service} replaced by the URL-encoded values, so a value can never add a query
 * parameter or change the path (`a&b` stays one value).
 */
export function dashboardUrl(template: string, values: { environment: string; service: string }): string {
  return template.replace(/\{(environment|service)\}/g, (_, name: "environment" | "service") => encodeURIComponent(values[name]));
}

/**
 * The service's dashboard around the moment of an annotation (`from`/`to` in epoch milliseconds, as Grafana's time
 * picker takes them), so the release's annotation is in view. `marginMs` either side (default one hour).
 */
export function annotationUrl(
  template: string,
  values: { environment: string; service: string; time: Date },
  marginMs: number = 3600_000,
): string {
  const url = dashboardUrl(template, values);
  // Appended by hand: re-serialising through URLSearchParams would re-encode the template's own parameters.
  const hash = url.indexOf("#");
  const [base, fragment] = hash < 0 ? [url, ""] : [url.slice(0, hash), url.slice(hash)];
  const range = `from=${values.time.getTime() - marginMs}&to=${values.time.getTime() + marginMs}`;
  return `${base}${base.includes("?") ? "&" : "?"}${range}${fragment}`;
}
