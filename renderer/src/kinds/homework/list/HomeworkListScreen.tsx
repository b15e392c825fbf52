import type { ScreenProps } from '../../registry';

/** Placeholder: being written. */
export function HomeworkListScreen(_props: ScreenProps) {
  return null;
}
