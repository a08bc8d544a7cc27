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
/**
 * Text antd paints in greys and tints, raised to WCAG AA (4.5:1; e2e/accessibility.spec.ts scans every page). The
 * tertiary grey is secondary text, descriptions' labels, empty states and a wizard's steps to come (antd: 0.45, 3.3:1
 * on the layout's grey); the placeholder grey is a select's "All groups" (antd: 0.25, 1.8:1). A preset tag's text is
 * its colour's 7th shade on the 1st, under 4.5:1 for green, gold, orange and their neighbours: in light, a darker shade
 * (the dark algorithm's own palettes are light text on dark tints already).
 */
const DARKER_TAG_TEXT = { green: "#237804", gold: "#874d00", orange: "#ad4e00", volcano: "#ad2102", cyan: "#006d75", lime: "#3f6600", yellow: "#876800" };
const LIGHT_TEXT = {
  colorTextTertiary: "rgba(0, 0, 0, 0.6)",
  colorTextDescription: "rgba(0, 0, 0, 0.6)",
  colorTextPlaceholder: "rgba(0, 0, 0, 0.55)",
  // Typography's danger text (antd: #ff4d4f, 3.1:1 on a table row).
  colorErrorText: "#cf1322",
  // The CSS variable (--ant-green-7) comes from the dashed name, the JavaScript token from the other.
  ...Object.fromEntries(Object.entries(DARKER_TAG_TEXT).flatMap(([color, hex]) => [[`${color}7`, hex], [`${color}-7`, hex]])),
};
const DARK_TEXT = {
  colorTextTertiary: "rgba(255, 255, 255, 0.6)",
  colorTextDescription: "rgba(255, 255, 255, 0.6)",
  colorTextPlaceholder: "rgba(255, 255, 255, 0.55)",
  // The dark algorithm's geekblue tag text (#5273e0) is 4.2:1 on its own tint: a lighter shade (7.4:1).
  geekblue7: "#8da4f0",
  "geekblue-7": "#8da4f0",
};

export function antdTheme({ dark }: { dark: boolean }): ThemeConfig {
  return {
    algorithm: dark ? theme.darkAlgorithm : theme.defaultAlgorithm,
    // antd's default link blue is 4.1:1 on white and 3.6:1 on its dark container: below the 4.5:1 the badges keep. The
    // brand blue in light, a light blue in dark (the dark algorithm turns it into #5c99dc: 6.2:1 on #141414).
    token: { colorPrimary: "#1d6fb8", colorLink: dark ? "#69b1ff" : "#1d6fb8", borderRadius: 6, ...(dark ? DARK_TEXT : LIGHT_TEXT) },
    // The navigation's selected item is primary-coloured text; the dark algorithm's primary is 2.6:1 on its highlight.
    // The same for a group whose environment is open (antd colours its title with the primary: 2.9:1 in dark).
    ...(dark ? { components: { Menu: { itemSelectedColor: "#69b1ff", subMenuItemSelectedColor: "#69b1ff" } } } : {}),
    hashed: false,
    cssVar: { key: ANTD_CSS_VAR_KEY },
  };
}
