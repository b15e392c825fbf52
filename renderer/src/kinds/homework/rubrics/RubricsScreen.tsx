import type { ScreenProps } from '../../registry';

/** Placeholder: being written. */
export function RubricsScreen(_props: ScreenProps) {
  return null;
}
