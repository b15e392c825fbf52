import type { ScreenProps } from '../../registry';

/** Placeholder: being written. */
export function StudentRecordsScreen(_props: ScreenProps) {
  return null;
}
