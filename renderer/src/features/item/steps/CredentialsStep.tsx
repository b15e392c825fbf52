import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import {
  CREDENTIAL_KIND_LABELS,
  CREDENTIAL_MIME_TYPE_LABELS,
  isRecord,
} from '#shared/domain/listing/document';
import type { Locale } from '#shared/i18n/localized';
import { routeHref } from '../../../app/routing';
import { ptr } from '../fields';
import { Anchor, ListBlock } from './common';
import { StepSection } from './StepSection';
import { EnumValue, Invalid, Missing, TextValue } from './values';

export function formatBytes(bytes: number): string {
  if (bytes < 1024) {
    return `${String(bytes)} B`;
  }
  if (bytes < 1024 * 1024) {
    return `${(bytes / 1024).toFixed(1)} KB`;
  }
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function FileValue({
  value,
  locale,
  itemId,
}: {
  readonly value: unknown;
  readonly locale: Locale;
  readonly itemId: string;
}) {
  const { t } = useTranslation();
  if (value === undefined || value === null) {
    return <Missing />;
  }
  if (!isRecord(value)) {
    return <Invalid value={value} />;
  }
  const size = value['sizeBytes'];
  const validFrom = value['validFrom'];
  const validUntil = value['validUntil'];
  const sha = value['sha256'];
  return (
    <span className="rd-file">
      <span className="rd-tag">
        <EnumValue value={value['kind']} labels={CREDENTIAL_KIND_LABELS} locale={locale} />
      </span>{' '}
      <TextValue value={value['fileName']} />
      <br />
      <span className="rd-dimmed">
        <EnumValue value={value['mimeType']} labels={CREDENTIAL_MIME_TYPE_LABELS} locale={locale} />
        {' · '}
        {typeof size === 'number' && Number.isFinite(size) && size >= 0 ? (
          formatBytes(size)
        ) : (
          <Invalid value={size} />
        )}
        {' · '}
        {t('itemPage.credentials.validity', {
          from:
            typeof validFrom === 'string' && validFrom !== ''
              ? validFrom
              : t('itemPage.credentials.noStart'),
          until:
            validUntil === null
              ? t('itemPage.credentials.noExpiry')
              : typeof validUntil === 'string' && validUntil !== ''
                ? validUntil
                : t('itemPage.value.missing'),
        })}
        {typeof sha === 'string' && sha !== '' && (
          <>
            {' · '}
            <code className="rd-raw" title={sha}>
              SHA-256 {sha.slice(0, 12)}
            </code>
          </>
        )}
      </span>{' '}
      <a className="rd-link" href={routeHref({ name: 'item', itemId, tab: 'files' })}>
        {t('itemPage.credentials.openFiles')}
      </a>
    </span>
  );
}

/** Step 7: the credential files (opened in the Files tab's viewer). */
export const CredentialsStep = memo(function CredentialsStep({
  value,
  locale,
  itemId,
}: {
  readonly value: unknown;
  readonly locale: Locale;
  readonly itemId: string;
}) {
  const step = 'credentials';
  return (
    <StepSection section={step} value={value} locale={locale}>
      <ListBlock
        step={step}
        stepValue={value}
        listKey="files"
        locale={locale}
        renderItem={(item, index) => (
          <Anchor key={index} path={ptr(step, 'files', index)} locale={locale}>
            <FileValue value={item} locale={locale} itemId={itemId} />
          </Anchor>
        )}
      />
    </StepSection>
  );
});
