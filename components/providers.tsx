"use client";

import { StyleProvider, createCache, extractStyle } from "@ant-design/cssinjs";
import { App, ConfigProvider, theme } from "antd";
import { useServerInsertedHTML } from "next/navigation";
import { type ReactNode, useState, useSyncExternalStore } from "react";

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

/**
 * @ant-design/nextjs-registry's AntdRegistry, with the page's CSP nonce on the <style> it streams: the registry
 * itself renders that element without one, and the Content-Security-Policy (proxy.ts) refuses a <style> without it.
 */
function StyleRegistry({ nonce, children }: { nonce?: string; children: ReactNode }) {
  const [cache] = useState(() => createCache());
  useServerInsertedHTML(() => {
    const styleText = extractStyle(cache, { plain: true, once: true });
    if (styleText.includes('.data-ant-cssinjs-cache-path{content:"";}')) return null;
    return (
      // Before the styles antd inserts on the client, as AntdRegistry does.
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
      <ConfigProvider
        csp={{ nonce }}
        theme={{
          algorithm: dark ? theme.darkAlgorithm : theme.defaultAlgorithm,
          token: { colorPrimary: "#1d6fb8", borderRadius: 6 },
        }}
      >
        <App>{children}</App>
      </ConfigProvider>
    </StyleRegistry>
  );
}
