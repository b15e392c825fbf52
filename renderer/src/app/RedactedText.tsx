import { Badge, Tooltip } from '@mantine/core';
import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import { REDACTION_MARK_PATTERN, type SensitiveTextKind } from '#shared/domain/redaction';

/** Splits text at the server's redaction marks (`⟦hidden:phone⟧`): plain pieces and marks. */
export function splitRedactions(
  text: string,
): ({ readonly text: string } | { readonly hidden: SensitiveTextKind })[] {
  const pieces: ({ text: string } | { hidden: SensitiveTextKind })[] = [];
  let last = 0;
  for (const match of text.matchAll(REDACTION_MARK_PATTERN)) {
    if (match.index > last) {
      pieces.push({ text: text.slice(last, match.index) });
    }
    pieces.push({ hidden: match[1] as SensitiveTextKind });
    last = match.index + match[0].length;
  }
  if (last < text.length) {
    pieces.push({ text: text.slice(last) });
  }
  return pieces;
}

/**
 * Text from the server in which values this user's role may not see were masked: each mark is
 * shown as a small "phone number hidden" badge instead of the raw `⟦hidden:phone⟧`.
 */
export function RedactedText({ text }: { readonly text: string }) {
  const { t } = useTranslation();
  return (
    <>
      {splitRedactions(text).map((piece, index) =>
        'text' in piece ? (
          <Fragment key={index}>{piece.text}</Fragment>
        ) : (
          <Tooltip key={index} label={t('redacted.why')} withArrow>
            <Badge
              component="span"
              variant="light"
              color="gray"
              size="sm"
              radius="sm"
              data-testid="redacted-mark"
              data-kind={piece.hidden}
              style={{ textTransform: 'none', verticalAlign: 'baseline' }}
            >
              {t('redacted.mark', { what: t(`redacted.kind.${piece.hidden}`) })}
            </Badge>
          </Tooltip>
        ),
      )}
    </>
  );
}
