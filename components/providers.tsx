"use client";

import { StyleProvider, createCache, extractStyle } from "@ant-design/cssinjs";
import { App, ConfigProvider } from "antd";
import { useServerInsertedHTML } from "next/navigation";
import { type ReactNode, useState } from "react";
import { antdTheme } from "./antd-theme";
import type { ThemeChoice } from "./theme-choice";
import { ThemeProvider, useThemeState } from "./theme-context";

/** The rule that tells antd's runtime which styles a page already has; app/antd.generated.css carries the real one. */
const CACHE_PATH_RULE = /\.data-ant-cssinjs-cache-path\{content:"[^"]*";\}/;

/**
 * @ant-design/nextjs-registry's AntdRegistry, reduced to what antd still writes at run time: the theme's CSS variables
 * (its component styles are the static app/antd.generated.css). They differ between light and dark, so they stay out
 * of the static file. The <style> carries the page's CSP nonce: the registry itself renders that element without one,
 * and the Content-Security-Policy (proxy.ts) refuses a <style> without it.
 */
function StyleRegistry({ nonce, children }: { nonce?: string; children: ReactNode }) {
  const [cache] = useState(() => createCache());
  useServerInsertedHTML(() => {
    // Without its cache-path rule, which would hide the static file's from antd's runtime (the inline one comes later).
    const styleText = extractStyle(cache, { plain: true, once: true, types: ["token", "cssVar"] }).replace(CACHE_PATH_RULE, "");
    if (!styleText) return null;
    return (
      // Before the styles antd inserts on the client, as AntdRegistry does: the client's dark variables must win.
      <style id="antd-cssinjs" nonce={nonce} data-rc-order="prepend" data-rc-priority="-1000" dangerouslySetInnerHTML={{ __html: styleText }} />
    );
  });
  return <StyleProvider cache={cache}>{children}</StyleProvider>;
}

/**
 * `theme` is the choice the server read from this browser's cookie (app/layout.tsx): light or dark render that way from
 * the first byte; "system" follows the operating system (see components/theme-context.tsx).
 */
export function Providers({ nonce: pageNonce, theme, children }: { nonce?: string; theme: ThemeChoice; children: ReactNode }) {
  const themeState = useThemeState(theme);
  // The document's policy is the one its first response carried: a later router.refresh() renders the layout with
  // another response's nonce, which this document does not accept. Keep the first.
  const [nonce] = useState(pageNonce);
  return (
    <StyleRegistry nonce={nonce}>
      {/* zeroRuntime: antd neither renders nor injects component styles; app/layout.tsx imports them as a file. */}
      <ConfigProvider csp={{ nonce }} theme={{ ...antdTheme({ dark: themeState.dark }), zeroRuntime: true }}>
        <ThemeProvider value={themeState}>
          <App>{children}</App>
        </ThemeProvider>
      </ConfigProvider>
    </StyleRegistry>
  );
}
