import { z } from "zod";
import { DASHBOARD_URL_PLACEHOLDERS } from "./dashboard-url";

/**
 * The `grafana:` section of slipway.yaml. Pure (no I/O, no `server-only`) so lib/config/schema.ts can embed it.
 *
 * ```yaml
 * grafana:
 *   url: https://grafana.example.com
 *   tokenEnv: GRAFANA_TOKEN            # a service account token (glsa_…) with annotations:read/create/write
 *   dashboardUrlTemplate: https://grafana.example.com/d/abc/services?var-env={environment}&var-service={service}
 *   dashboardUID: abc                  # optional: annotate this dashboard instead of the organization
 * ```
 */

const envVarName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, "must be an environment variable name such as GRAFANA_TOKEN");

export const grafanaConfigSchema = z
  .object({
    /**
     * Grafana's root URL (with its sub-path, if served under one). Plain http is accepted for loopback addresses only
     * (a local test server).
     */
    url: z
      .string()
      .url()
      .refine(
        (u) => /^https:\/\//.test(u) || /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?(\/|$)/.test(u),
        "must start with https:// (e.g. https://grafana.example.com)",
      ),
    /** The environment variable holding a service account token (Authorization: Bearer glsa_…). */
    tokenEnv: envVarName,
    /**
     * The dashboard the environment page links for each service, with {environment} and {service} filled in
     * (URL-encoded), e.g. https://grafana.example.com/d/abc?var-env={environment}&var-service={service}.
     */
    dashboardUrlTemplate: z
      .string()
      .max(2000)
      .refine((t) => /^https?:\/\/[^\s]+$/.test(t), "must be an http(s) URL")
      .refine(
        (t) => [...t.matchAll(/\{([^}]*)\}/g)].every((m) => (DASHBOARD_URL_PLACEHOLDERS as readonly string[]).includes(m[1]!)),
        "may use the placeholders {environment} and {service} only",
      )
      .optional(),
    /** Annotations go on this dashboard (by UID); without it they are organization annotations, shown by tag. */
    dashboardUID: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,40}$/, "must be a dashboard UID: up to 40 letters, digits, - and _")
      .optional(),
  })
  .strict();

export type GrafanaConfig = z.infer<typeof grafanaConfigSchema>;
