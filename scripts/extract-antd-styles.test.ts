import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ANTD_STYLESHEET, renderAntdStylesheet } from "./extract-antd-styles";

describe("renderAntdStylesheet", () => {
  const light = renderAntdStylesheet();

  it("is the file app/layout.tsx imports, as the installed antd makes it (npm install regenerates it)", () => {
    expect(readFileSync(ANTD_STYLESHEET, "utf8")).toBe(light);
  });

  // The static file serves both themes only because the theme reaches the styles through CSS variables.
  it("is the same for the dark theme, and holds no theme values", () => {
    expect(renderAntdStylesheet({ dark: true })).toBe(light);
    expect(light).not.toContain("#1d6fb8");
    expect(light).toContain("color:var(--ant-color-primary)");
  });

  // The runtime (providers.tsx) renders `hashed: false`: no `css-xxxx` class to match, and no variable blocks, which
  // stay at run time under the key providers.tsx gives them.
  it("selects components by antd's class names alone and leaves the variables to the runtime", () => {
    expect(light).toMatch(/(^|})\.ant-btn\{/);
    expect(light).not.toMatch(/:where\(\.css-/);
    expect(light).not.toContain("css-var-");
    expect(light).toMatch(/\.data-ant-cssinjs-cache-path\{content:"[^"]*\|Button-Button\|ant-btn\|anticon:/);
  });
});
