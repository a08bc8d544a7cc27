"use client";

import { App, ConfigProvider } from "antd";
import { type ReactNode, useState } from "react";
import { antdTheme } from "./antd-theme";
import type { ThemeChoice } from "./theme-choice";
import { ThemeProvider, useThemeState } from "./theme-context";

/**
 * `theme` is the choice the server read from this browser's cookie (app/layout.tsx): light or dark render that way from
 * the first byte; "system" follows the operating system (see components/theme-context.tsx).
 */
export function Providers({ nonce: pageNonce, theme, children }: { nonce?: string; theme: ThemeChoice; children: ReactNode }) {
  const themeState = useThemeState(theme);
  // The document's policy is the one its first response carried: a later router.refresh() renders the layout with
  // another response's nonce, which this document does not accept. Keep the first.
  const [nonce] = useState(pageNonce);
  // No style registry: app/antd.generated.css (imported by app/layout.tsx) holds antd's component styles and the
  // theme's variables, light and dark, so the server writes no <style> for antd. Its computed theme then stays in antd's
  // process-wide cache (the default StyleProvider's) instead of being worked out again for every request. In the
  // browser antd still writes the current theme's variables, with the document's nonce; they match the file's.
  return (
    // zeroRuntime: antd neither renders nor injects component styles.
    <ConfigProvider csp={{ nonce }} theme={{ ...antdTheme({ dark: themeState.dark }), zeroRuntime: true }}>
      <ThemeProvider value={themeState}>
        <App>{children}</App>
      </ThemeProvider>
    </ConfigProvider>
  );
}
