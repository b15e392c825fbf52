import { describe, expect, it } from 'vitest';
import {
  countCharacters,
  countVisibleCharacters,
  richTextToPlainText,
} from '#shared/domain/listing/richText';

describe('richTextToPlainText', () => {
  it('keeps the text of inline markup and drops the tags', () => {
    expect(richTextToPlainText('<p>英国<strong>硕士</strong>申请 <em>旗舰包</em></p>')).toBe(
      '英国硕士申请 旗舰包',
    );
  });

  it('decodes named and numeric entities', () => {
    expect(richTextToPlainText('&lt;b&gt; &amp; &quot;x&quot; &#x4E2D;&#25991; &copy;')).toBe(
      '<b> & "x" 中文 ©',
    );
  });

  it('leaves out the content of script, style and template elements', () => {
    const html =
      '<p>可见</p><script>alert("隐藏")</script><style>p { color: red }</style>' +
      '<template><p>模板</p></template><p>文本</p>';
    expect(richTextToPlainText(html)).toBe('可见\n文本');
  });

  it('turns paragraphs, list items and <br> into single line breaks', () => {
    expect(richTextToPlainText('<p>一</p><p>二<br>三</p><ul><li>四</li><li>五</li></ul>')).toBe(
      '一\n二\n三\n四\n五',
    );
  });

  it('collapses HTML white space as a browser renders it and trims every line', () => {
    expect(richTextToPlainText('<p>  Hello \n\t  world  </p>\n\n<p> 你好 </p>')).toBe(
      'Hello world\n你好',
    );
  });

  it('treats a paragraph holding only no-break spaces as empty', () => {
    expect(richTextToPlainText('<p>&nbsp;</p><p> </p><br>')).toBe('');
  });

  it('keeps a no-break space inside a line', () => {
    expect(richTextToPlainText('<p>a&nbsp;b</p>')).toBe('a\u00a0b');
  });

  it('reads malformed HTML without throwing', () => {
    expect(richTextToPlainText('<p><b>未闭合')).toBe('未闭合');
    expect(richTextToPlainText('<<>>a</div></p>')).toBe('<<>>a');
    expect(richTextToPlainText('')).toBe('');
  });

  it('is not a sanitizer: encoded markup comes out as live markup text', () => {
    // The output is text for measuring; used as HTML it would run the script.
    expect(richTextToPlainText('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>')).toBe(
      '<script>alert(1)</script>',
    );
  });
});

describe('countCharacters', () => {
  it.each([
    ['', 0],
    ['a', 1],
    ['英国', 2],
    ['Hello', 5],
    ['👨‍👩‍👧', 1],
    ['🇬🇧', 1],
    ['e\u0301', 1],
    ['硕士🎓', 3],
  ])('counts %j as %i', (text, expected) => {
    expect(countCharacters(text)).toBe(expected);
  });

  it('counts long texts exactly, across the chunks it segments them in', () => {
    // 100 000 user-perceived characters in 120 000 UTF-16 units.
    const text = '英国硕士🎓'.repeat(20_000);
    expect(text.length).toBe(120_000);
    expect(countCharacters(text)).toBe(100_000);
  });

  it('does not split a combining mark from its letter at a chunk boundary', () => {
    const text = `${'a'.repeat(4095)}e\u0301${'b'.repeat(5000)}`;
    expect(countCharacters(text)).toBe(4095 + 1 + 5000);
  });

  it('never splits a surrogate pair even in text with no exact cut point', () => {
    const text = '🎓'.repeat(20_000);
    expect(countCharacters(text)).toBe(20_000);
  });
});

describe('countVisibleCharacters', () => {
  it('counts only visible text: tags and attributes are free', () => {
    const html = `<p class="intro" style="color: red"><strong>${'字'.repeat(500)}</strong></p>`;
    expect(countVisibleCharacters(html)).toBe(500);
  });

  it('does not count line breaks between paragraphs but counts spaces', () => {
    expect(countVisibleCharacters('<p>a b</p><p>c</p>')).toBe(4);
  });

  it('counts an entity as the one character it stands for', () => {
    expect(countVisibleCharacters('<p>&amp;&lt;&gt;</p>')).toBe(3);
  });
});
