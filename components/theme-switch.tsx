"use client";

import { Radio } from "antd";
import { THEME_CHOICES, type ThemeChoice, parseThemeChoice } from "./theme-choice";
import { useTheme } from "./theme-context";

const LABELS: Record<ThemeChoice, string> = { system: "System", light: "Light", dark: "Dark" };

/** The user menu's theme switch: follow the system, or always light, or always dark; remembered by this browser. */
export function ThemeSwitch() {
  const { choice, choose } = useTheme();
  return (
    <Radio.Group
      aria-label="Theme"
      size="small"
      optionType="button"
      // Solid: the checked choice is white on the primary colour, 4.5:1 or more in both themes (primary text is not, in dark).
      buttonStyle="solid"
      value={choice}
      onChange={(event) => choose(parseThemeChoice(event.target.value))}
      options={THEME_CHOICES.map((value) => ({ value, label: LABELS[value] }))}
    />
  );
}
