import { MantineProvider } from '@mantine/core';
import { render, screen } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import { maskText } from '#shared/domain/redaction';
import { RedactedText, splitRedactions } from '../../../renderer/src/app/RedactedText';
import { theme } from '../../../renderer/src/app/theme';
import { createI18n } from '../../../renderer/src/i18n/i18n';

const masked = '请加我微信 ⟦hidden:wechat⟧ 或打 ⟦hidden:phone⟧，谢谢';

describe('splitRedactions', () => {
  it('cuts text at the marks and keeps everything else as it is', () => {
    expect(splitRedactions(masked)).toEqual([
      { text: '请加我微信 ' },
      { hidden: 'wechat' },
      { text: ' 或打 ' },
      { hidden: 'phone' },
      { text: '，谢谢' },
    ]);
    expect(splitRedactions('⟦hidden:id_number⟧')).toEqual([{ hidden: 'id_number' }]);
    expect(splitRedactions('no marks ⟦hidden:password⟧')).toEqual([
      { text: 'no marks ⟦hidden:password⟧' },
    ]);
    expect(splitRedactions('')).toEqual([]);
  });

  it('understands what the server’s policy writes', () => {
    const fromServer = maskText('电话 13912345678', ['phone']);
    expect(splitRedactions(fromServer).some((piece) => 'hidden' in piece)).toBe(true);
  });
});

describe('RedactedText', () => {
  it.each([
    ['zh-CN', '微信号已隐藏', '电话号码已隐藏'],
    ['en', 'WeChat ID hidden', 'Phone number hidden'],
  ] as const)('shows each hidden value as a badge (%s)', async (locale, wechat, phone) => {
    const i18n = await createI18n(locale);
    render(
      <MantineProvider theme={theme}>
        <I18nextProvider i18n={i18n}>
          <p data-testid="text">
            <RedactedText text={masked} />
          </p>
        </I18nextProvider>
      </MantineProvider>,
    );
    const marks = screen.getAllByTestId('redacted-mark');
    expect(marks.map((mark) => [mark.dataset['kind'], mark.textContent])).toEqual([
      ['wechat', wechat],
      ['phone', phone],
    ]);
    expect(screen.getByTestId('text').textContent).not.toContain('⟦');
  });
});
