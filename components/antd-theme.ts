import { type ThemeConfig, theme } from "antd";

/**
 * The CSS-variable scope antd puts on every component's root element. antd's default is a key from React's useId,
 * which differs between the app and scripts/extract-antd-styles.ts; the static stylesheet only matches a fixed one.
 */
export const ANTD_CSS_VAR_KEY = "css-var-slipway";

/**
 * Slipway's antd theme, one place for both the runtime (components/providers.tsx) and the stylesheet baked from it
 * (scripts/extract-antd-styles.ts → app/antd.generated.css). `hashed: false` drops the per-version `css-xxxx` class
 * from selectors and elements, as antd's own dist/antd.css does: there is one antd in the app.
 * With CSS variables the component styles are the same in light and dark; only the variable values differ, and those
 * antd still writes at run time.
 */
export function antdTheme({ dark }: { dark: boolean }): ThemeConfig {
  return {
    algorithm: dark ? theme.darkAlgorithm : theme.defaultAlgorithm,
    token: { colorPrimary: "#1d6fb8", borderRadius: 6 },
    hashed: false,
    cssVar: { key: ANTD_CSS_VAR_KEY },
  };
}
