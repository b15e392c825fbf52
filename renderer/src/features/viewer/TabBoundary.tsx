import { Alert, Button, Stack, Text } from '@mantine/core';
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

interface State {
  readonly error: Error | null;
}

/**
 * Keeps a failure inside one tab of the item page: the tab says what went wrong and offers to
 * try again, while the listing, the decision column and the other tabs stay usable.
 */
class Boundary extends Component<
  {
    readonly children: ReactNode;
    readonly fallback: (error: Error, retry: () => void) => ReactNode;
  },
  State
> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error('tab failed', error, info.componentStack);
  }

  override render(): ReactNode {
    const { error } = this.state;
    return error === null
      ? this.props.children
      : this.props.fallback(error, () => {
          this.setState({ error: null });
        });
  }
}

export function TabBoundary({ children }: { readonly children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Boundary
      fallback={(error, retry) => (
        <Alert color="red" title={t('viewer.tabFailed.title')} data-testid="tab-failed">
          <Stack gap="xs" align="flex-start">
            <Text size="sm">{t('viewer.tabFailed.text')}</Text>
            <Text size="xs" c="dimmed" style={{ wordBreak: 'break-word' }}>
              {t('viewer.pdf.reason', { reason: error.message })}
            </Text>
            <Button size="xs" variant="default" onClick={retry}>
              {t('viewer.retry')}
            </Button>
          </Stack>
        </Alert>
      )}
    >
      {children}
    </Boundary>
  );
}
