import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { richTextToPlainText } from '#shared/domain/listing/richText';
import { sanitizeRichText } from './sanitize';

/**
 * An institution's rich text, sanitized (see `sanitize.ts`) and rendered read-only. Says so when
 * something was not shown, and says "not filled in" for text without anything visible.
 */
export function RichText({ html }: { readonly html: unknown }) {
  const { t } = useTranslation();
  const result = useMemo(() => {
    if (typeof html !== 'string') {
      return null;
    }
    return sanitizeRichText(html, (alt) =>
      alt === ''
        ? t('itemPage.richText.imageBlocked')
        : t('itemPage.richText.imageBlockedAlt', { alt }),
    );
  }, [html, t]);
  const empty = useMemo(() => {
    if (typeof html !== 'string') {
      return true;
    }
    try {
      return richTextToPlainText(html).trim() === '';
    } catch {
      return false;
    }
  }, [html]);

  if (result === null || (empty && result.blockedImages === 0)) {
    return (
      <>
        {html !== undefined && html !== null && typeof html !== 'string' ? (
          <span className="rd-invalid">{t('itemPage.value.invalid')}</span>
        ) : (
          <span className="rd-missing">{t('itemPage.value.missing')}</span>
        )}
        {result !== null && result.removed > 0 && (
          <span className="rd-sanitized-note">
            {t('itemPage.richText.removed', { count: result.removed })}
          </span>
        )}
      </>
    );
  }
  return (
    <>
      <div className="rd-rich" dangerouslySetInnerHTML={{ __html: result.html }} />
      {result.removed > 0 && (
        <span className="rd-sanitized-note">
          {t('itemPage.richText.removed', { count: result.removed })}
        </span>
      )}
    </>
  );
}
