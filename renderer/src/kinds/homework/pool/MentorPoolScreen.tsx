import type { ScreenProps } from '../../registry';

/** Placeholder: being written. */
export function MentorPoolScreen(_props: ScreenProps) {
  return null;
}
