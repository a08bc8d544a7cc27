import { AntdRegistry } from "@ant-design/nextjs-registry";
import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { AppShell } from "@/components/app-shell";
import { Providers } from "@/components/providers";
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
  const navigation = await readNavigation();
  return (
    <html lang="en">
      <body>
        <AntdRegistry>
          <Providers>
            <AppShell navigation={navigation}>{children}</AppShell>
          </Providers>
        </AntdRegistry>
      </body>
    </html>
  );
}
