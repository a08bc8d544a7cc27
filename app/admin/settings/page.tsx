import type { Metadata } from "next";
import { z } from "zod";
import { GithubRateLimit } from "@/components/github-rate-limit";
import { PageHeader } from "@/components/page-header";
import { SettingsIntegrations } from "@/components/settings-integrations";
import { SettingsPreview } from "@/components/settings-preview";
import { requirePageViewer } from "@/lib/auth/require-page-viewer";
import { readSettings } from "@/lib/settings/read-settings";
import { testConnectionAction } from "./actions";

export const metadata: Metadata = { title: "Settings" };
export const dynamic = "force-dynamic";

// A request id that cannot be one is no choice (the newest is previewed), not an error.
const searchSchema = z.object({ request: z.coerce.number().int().positive().max(2_147_483_647).optional().catch(undefined) });

export default async function SettingsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const viewer = await requirePageViewer("/admin/settings", "settings.view");
  const { request } = searchSchema.parse(await searchParams);
  const settings = await readSettings(viewer, request);
  return (
    <>
      <PageHeader title="Settings" subtitle="The integrations slipway.yaml configures, and what they would be sent. Secrets are shown by variable name only." />
      <SettingsIntegrations cards={settings.integrations} testConnection={testConnectionAction} />
      {settings.integrations.some((card) => card.name === "github" && card.on) && <GithubRateLimit />}
      <SettingsPreview recent={settings.recent} selected={settings.selected} missing={settings.missing} preview={settings.preview} />
    </>
  );
}
