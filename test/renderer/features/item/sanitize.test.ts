import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sanitizeRichText } from '../../../../renderer/src/features/item/sanitize';

const placeholder = (alt: string) => `[image not loaded${alt === '' ? '' : `: ${alt}`}]`;
const clean = (html: string) => sanitizeRichText(html, placeholder);

function parse(html: string): HTMLElement {
  const container = document.createElement('div');
  container.innerHTML = html;
  return container;
}

/** Every `on*` attribute, script-ish URL and forbidden element in sanitized output. */
function dangers(html: string): string[] {
  const found: string[] = [];
  for (const element of parse(html).querySelectorAll('*')) {
    if (
      ['SCRIPT', 'STYLE', 'IFRAME', 'OBJECT', 'EMBED', 'FORM', 'SVG', 'MATH', 'BASE'].includes(
        element.tagName.toUpperCase(),
      )
    ) {
      found.push(element.tagName);
    }
    for (const attribute of element.attributes) {
      if (
        /^on/i.test(attribute.name) ||
        ['style', 'srcset', 'background'].includes(attribute.name)
      ) {
        found.push(`${element.tagName}@${attribute.name}`);
      }
      if (
        /^(href|src)$/.test(attribute.name) &&
        !/^(https?:|mailto:|data:image\/)/i.test(attribute.value)
      ) {
        found.push(`${element.tagName}@${attribute.name}=${attribute.value}`);
      }
    }
  }
  return found;
}

describe('sanitizeRichText', () => {
  it('keeps formatting: paragraphs, emphasis, lists and tables', () => {
    const result = clean(
      '<p>面向<strong>英国</strong>硕士</p><ul><li>选校</li></ul><table><tr><td>1</td></tr></table>',
    );
    const root = parse(result.html);
    expect(root.querySelector('p strong')?.textContent).toBe('英国');
    expect(root.querySelector('ul li')?.textContent).toBe('选校');
    expect(root.querySelector('td')?.textContent).toBe('1');
    expect(result.removed).toBe(0);
  });

  it('removes scripts and event handlers and counts what it removed', () => {
    const result = clean('<p onclick="alert(1)">文本</p><script>window.__xss=1</script>');
    expect(result.html).not.toMatch(/script|onclick|__xss/i);
    expect(parse(result.html).textContent).toBe('文本');
    expect(result.removed).toBeGreaterThanOrEqual(2);
  });

  it('unlinks javascript: and data: links but keeps their words', () => {
    const result = clean(
      '<a href="javascript:alert(1)">一</a><a href=" JaVaScRiPt:alert(1)">二</a><a href="data:text/html,x">三</a>',
    );
    const root = parse(result.html);
    expect(root.querySelectorAll('a')).toHaveLength(0);
    expect(root.textContent).toBe('一二三');
    expect(result.removed).toBeGreaterThanOrEqual(3);
  });

  it('opens safe links outside the app without an opener', () => {
    const link = parse(clean('<a href="https://example.edu/">官网</a>').html).querySelector('a');
    expect(link?.getAttribute('href')).toBe('https://example.edu/');
    expect(link?.getAttribute('target')).toBe('_blank');
    expect(link?.getAttribute('rel')).toBe('noopener noreferrer');
  });

  it('never loads a remote image: a placeholder with the alt text instead', () => {
    const result = clean('<img src="http://tracker.example/p.gif" alt="校园">');
    const root = parse(result.html);
    expect(root.querySelector('img')).toBeNull();
    expect(root.querySelector('.rd-blocked-image')?.textContent).toBe('[image not loaded: 校园]');
    expect(result.blockedImages).toBe(1);
  });

  it('keeps inline raster images', () => {
    const result = clean('<img src="data:image/png;base64,iVBORw0KGgo=" alt="">');
    expect(parse(result.html).querySelector('img')?.getAttribute('src')).toMatch(
      /^data:image\/png/,
    );
    expect(result.blockedImages).toBe(0);
  });

  it('blocks SVG data images (they can hold script)', () => {
    const result = clean('<img src="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=">');
    expect(parse(result.html).querySelector('img')).toBeNull();
    expect(result.blockedImages).toBe(1);
  });

  it('drops style, srcset and background attributes', () => {
    const result = clean(
      '<div style="background:url(http://x/y.png)" background="http://x/z.png"><img srcset="http://x/a.png 1x" alt="a"></div>',
    );
    expect(dangers(result.html)).toEqual([]);
    expect(result.html).not.toContain('http://x/');
  });

  it('leaves nothing dangerous from the OWASP corpus', () => {
    const corpus = JSON.parse(
      readFileSync(join(process.cwd(), 'test/fixtures/xss/owasp-corpus.json'), 'utf8'),
    ) as { payloads: string[] };
    expect(corpus.payloads.length).toBeGreaterThan(50);
    for (const payload of corpus.payloads) {
      const result = clean(payload);
      expect(dangers(result.html), payload).toEqual([]);
      expect(result.html, payload).not.toMatch(/xss\.rocks\/[^"]*\.(js|css|png|gif|html)/i);
    }
    const all = clean(corpus.payloads.join('\n'));
    expect(dangers(all.html)).toEqual([]);
  });

  it('shows plain text unchanged (escaped)', () => {
    const result = clean('价格 < 3 万 & 包含 "签证"');
    expect(parse(result.html).textContent).toBe('价格 < 3 万 & 包含 "签证"');
  });
});

describe('sanitizeRichText on documents the parser gives no body', () => {
  it.each([
    '<frameset><frame src="javascript:alert(1)"></frameset>',
    '<body onload="alert(1)">正文',
  ])('still returns safe html for %s', (payload) => {
    const result = clean(payload);
    expect(dangers(result.html)).toEqual([]);
    expect(result.removed).toBeGreaterThan(0);
  });
});
