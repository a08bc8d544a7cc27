"use client";

import { App, ConfigProvider, theme } from "antd";
import { type ReactNode, useSyncExternalStore } from "react";

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

export function Providers({ children }: { children: ReactNode }) {
  const dark = usePrefersDark();
  return (
    <ConfigProvider
      theme={{
        algorithm: dark ? theme.darkAlgorithm : theme.defaultAlgorithm,
        token: { colorPrimary: "#1d6fb8", borderRadius: 6 },
      }}
    >
      <App>{children}</App>
    </ConfigProvider>
  );
}
