import type { ScreenProps } from '../../registry';

/** Placeholder: being written. */
export function ProgressBoardScreen(_props: ScreenProps) {
  return null;
}
