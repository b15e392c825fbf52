import { createTheme } from '@mantine/core';

/**
 * System CJK fonts first: the staff read Chinese all day, and Noto Sans CJK / PingFang / Microsoft
 * YaHei render it far better than a Latin font's fallback.
 */
export const theme = createTheme({
  primaryColor: 'indigo',
  // Shade 7 in light mode: white on it, and it on white, meet WCAG AA (shade 6 is 4.3:1).
  primaryShade: { light: 7, dark: 8 },
  fontFamily:
    '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "Source Han Sans SC", system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  defaultRadius: 'sm',
  // A focus ring for keyboard focus (:focus-visible), always; not after every mouse click.
  focusRing: 'auto',
});
