"use client";

import { StyleProvider, createCache, extractStyle } from "@ant-design/cssinjs";
import { App, ConfigProvider } from "antd";
import { useServerInsertedHTML } from "next/navigation";
import { type ReactNode, useState, useSyncExternalStore } from "react";
import { antdTheme } from "./antd-theme";

const darkQuery = "(prefers-color-scheme: dark)";

function subscribe(onChange: () => void): () => void {
  const media = window.matchMedia(darkQuery);
  media.addEventListener("change", onChange);
  return () => media.removeEventListener("change", onChange);
}

/** Follows the operating system's light/dark setting, live; the server renders light. */
function usePrefersDark(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => window.matchMedia(darkQuery).matches,
    () => false,
  );
}

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

export function Providers({ nonce: pageNonce, children }: { nonce?: string; children: ReactNode }) {
  const dark = usePrefersDark();
  // The document's policy is the one its first response carried: a later router.refresh() renders the layout with
  // another response's nonce, which this document does not accept. Keep the first.
  const [nonce] = useState(pageNonce);
  return (
    <StyleRegistry nonce={nonce}>
      {/* zeroRuntime: antd neither renders nor injects component styles; app/layout.tsx imports them as a file. */}
      <ConfigProvider csp={{ nonce }} theme={{ ...antdTheme({ dark }), zeroRuntime: true }}>
        <App>{children}</App>
      </ConfigProvider>
    </StyleRegistry>
  );
}
