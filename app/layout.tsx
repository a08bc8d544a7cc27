// antd's component styles, made by `npm run styles:antd` (npm install runs it). First, so that the app's own CSS wins ties.
import "./antd.generated.css";
import type { Metadata, Viewport } from "next";
import { cookies } from "next/headers";
import type { ReactNode } from "react";
import { AppShell } from "@/components/app-shell";
import { Providers } from "@/components/providers";
import { THEME_COOKIE, parseThemeChoice, themeAttribute } from "@/components/theme-choice";
import { getViewer } from "@/lib/auth/authorize";
import { allows } from "@/lib/auth/policy";
import { errorMessage, hasErrorName } from "@/lib/errors";
import { readCspNonce } from "@/lib/http/csp-nonce";
import type { Navigation } from "@/lib/snapshots/dashboard-types";
import { readNavigation } from "@/lib/snapshots/read-navigation";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Slipway", template: "%s · Slipway" },
  description: "What runs in every environment, against what is available.",
};

// The navigation reads live snapshots, so no page (not even the 404) is prerendered at build time.
export const dynamic = "force-dynamic";

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const { navigation, user } = await readShell();
  // proxy.ts makes a nonce per response; antd's <style> elements must carry it (the CSP refuses others).
  const nonce = await readCspNonce();
  // The theme chosen in the user menu, from the first byte: no light flash before a dark page. Validated, since any
  // client can send any cookie; absent or unknown is "system" (no data-theme: the stylesheets follow the OS).
  const theme = parseThemeChoice((await cookies()).get(THEME_COOKIE)?.value);
  return (
    <html lang="en" data-theme={themeAttribute(theme)}>
      <body>
        <Providers nonce={nonce} theme={theme}>
          <AppShell navigation={navigation} user={user}>{children}</AppShell>
        </Providers>
      </body>
    </html>
  );
}

/** What the frame shows: nothing but the page before sign-in, the viewer's navigation after. */
async function readShell(): Promise<{ navigation: Navigation; user?: { name: string; username: string; isAdmin: boolean; anonymous: boolean } }> {
  try {
    const viewer = await getViewer();
    const { principal } = viewer;
    return {
      navigation: await readNavigation(viewer),
      user: {
        name: principal.name ?? principal.username,
        username: principal.username,
        isAdmin: allows(principal, "audit.view", { type: "workspace", environments: viewer.environments }, viewer.access),
        anonymous: principal.source === "anonymous",
      },
    };
  } catch (error) {
    if (hasErrorName(error, "UnauthorizedError")) return { navigation: { groups: [], ungrouped: [] } };
    if (hasErrorName(error, "ConfigError")) return { navigation: { groups: [], ungrouped: [], configError: errorMessage(error) } };
    throw error;
  }
}
