import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ANTD_STYLESHEET, renderAntdStylesheet, renderComponentStyles, renderThemeVariables } from "./extract-antd-styles";

describe("renderAntdStylesheet", () => {
  const file = renderAntdStylesheet();
  const components = renderComponentStyles();
  const variables = renderThemeVariables();

  it("is the file app/layout.tsx imports, as the installed antd makes it (npm install regenerates it)", () => {
    expect(readFileSync(ANTD_STYLESHEET, "utf8")).toBe(file);
    expect(file).toContain(components);
    expect(file).toContain(variables);
  });

  // The component styles serve both themes only because the theme reaches them through CSS variables.
  it("has component styles that are the same for the dark theme and hold no theme values", () => {
    expect(renderComponentStyles({ dark: true })).toBe(components);
    expect(components).not.toContain("#1d6fb8");
    expect(components).toContain("color:var(--ant-color-primary)");
  });

  // The runtime (providers.tsx) renders `hashed: false`: no `css-xxxx` class to match.
  it("selects components by antd's class names alone, with the list of styles antd's runtime then leaves alone", () => {
    expect(components).toMatch(/(^|})\.ant-btn\{/);
    expect(components).not.toMatch(/:where\(\.css-/);
    expect(components).not.toContain("css-var-");
    expect(components).toMatch(/\.data-ant-cssinjs-cache-path\{content:"[^"]*\|Button-Button\|ant-btn\|anticon:/);
  });

  it("has the theme's variables: light by default, dark for data-theme=dark and for a dark system left to choose", () => {
    const rule = (selector: string) => variables.match(new RegExp(`(?:^|[}\\n])${selector.replace(/[.[\]()":]/g, "\\$&")}\\{([^}]*)\\}`))?.[1];
    // Light: the brand blue and white containers, in Slipway's scope only (not the extraction's nested providers').
    expect(rule(".css-var-slipway")).toContain("--ant-color-primary:#1d6fb8;");
    expect(rule(".css-var-slipway")).toContain("--ant-color-bg-container:#ffffff;");
    expect(variables).not.toMatch(/css-var-_/);
    // Dark: only what differs, once per way of asking for it.
    const dark = rule(':root[data-theme="dark"] .css-var-slipway');
    expect(dark).toContain("--ant-color-bg-container:#141414;");
    expect(dark).not.toContain("--ant-font-size:");
    const [, system] = variables.match(/@media \(prefers-color-scheme: dark\)\{(.*)\}$/s) ?? [];
    expect(system).toContain(`:root:not([data-theme]) .css-var-slipway{${dark}}`);
    // Slipway's own dark overrides (components/antd-theme.ts) reach the file.
    expect(rule(':root[data-theme="dark"] .css-var-slipway.ant-menu-css-var')).toContain("#69b1ff");
  });
});
