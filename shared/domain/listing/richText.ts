import { Parser } from 'htmlparser2';

/**
 * Rich-text fields (project introduction, refund terms) are stored as HTML strings written by the
 * workstation's editor. Their limits are about what a reader sees, so they are measured on the
 * visible text, not on the markup.
 *
 * THIS MODULE IS NOT A SANITIZER. It only reads text out of HTML to measure it; its output must
 * never be fed back into a page as HTML, and nothing here makes untrusted HTML safe to render.
 * The renderer sanitizes every rich-text field with DOMPurify before display.
 */

/** Elements whose content a reader never sees as text. */
const HIDDEN_ELEMENTS: ReadonlySet<string> = new Set([
  'script',
  'style',
  'template',
  'noscript',
  'iframe',
  'title',
  'head',
]);

/** Elements that start a new line when rendered, so words on either side do not run together. */
const BLOCK_ELEMENTS: ReadonlySet<string> = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'br',
  'dd',
  'div',
  'dl',
  'dt',
  'figcaption',
  'figure',
  'footer',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'li',
  'ol',
  'p',
  'pre',
  'section',
  'table',
  'tr',
  'ul',
]);

/**
 * The visible text of an HTML fragment: entities decoded (`&amp;` is one `&`), the content of
 * `<script>`, `<style>` and other never-rendered elements left out, runs of HTML white space
 * collapsed to one space as a browser renders them, and block boundaries (`<p>`, `<br>`, `<li>`…)
 * turned into single line breaks. Leading and trailing white space, no-break spaces included, is
 * trimmed from every line and empty lines are dropped, so `<p>&nbsp;</p>` has no visible text.
 *
 * Text hidden by CSS (`style="display:none"`, the `hidden` attribute) still counts: measuring
 * must not depend on styles, and the sanitizer decides what survives.
 *
 * Not a sanitizer: see the module documentation.
 */
export function richTextToPlainText(html: string): string {
  let hiddenDepth = 0;
  let text = '';
  const parser = new Parser(
    {
      onopentag(name) {
        if (HIDDEN_ELEMENTS.has(name)) {
          hiddenDepth += 1;
        } else if (hiddenDepth === 0 && BLOCK_ELEMENTS.has(name)) {
          text += '\n';
        }
      },
      onclosetag(name) {
        if (HIDDEN_ELEMENTS.has(name)) {
          hiddenDepth = Math.max(0, hiddenDepth - 1);
        } else if (hiddenDepth === 0 && BLOCK_ELEMENTS.has(name)) {
          text += '\n';
        }
      },
      ontext(data) {
        if (hiddenDepth === 0) {
          // Only ASCII white space collapses in HTML; a no-break space (&nbsp;) is kept.
          text += data.replace(/[ \t\n\f\r]+/g, ' ');
        }
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join('\n');
}

/**
 * Splits text into user-perceived characters (extended grapheme clusters), so that a Chinese
 * character, an accented letter written with a combining mark and a family emoji each count as
 * one, as a submitter counting "30 字" would count them. Created once: a segmenter is costly.
 */
const graphemeSegmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Text is segmented in chunks of about this many UTF-16 units: V8's segmenter slows down by
 * orders of magnitude on strings longer than about 64 K units (100 000 Chinese characters take
 * seconds), and a pasted document must not freeze the form.
 */
const CHUNK_UNITS = 4096;
/** A chunk grows at most this far while looking for a boundary where it may be cut exactly. */
const MAX_CHUNK_UNITS = 16_384;

/** Characters that never join a neighbour into one grapheme: printable ASCII, CJK ideographs,
 * full-width forms, and the line feed. */
function isSimpleUnit(unit: number): boolean {
  return (
    (unit >= 0x20 && unit <= 0x7e) ||
    (unit >= 0x4e00 && unit <= 0x9fff) ||
    (unit >= 0xff01 && unit <= 0xff5e) ||
    unit === 0x0a
  );
}

/** Between two simple characters there is always a grapheme boundary (UAX #29, GB999). */
function isExactCut(text: string, index: number): boolean {
  return isSimpleUnit(text.charCodeAt(index - 1)) && isSimpleUnit(text.charCodeAt(index));
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

function countSegments(text: string): number {
  let count = 0;
  for (const _segment of graphemeSegmenter.segment(text)) {
    count += 1;
  }
  return count;
}

/**
 * Number of user-perceived characters (grapheme clusters) in `text`. Exact for every real text;
 * only a run of more than 16 K units with no ASCII or CJK character pair in it (nothing a person
 * types) is cut inside a cluster, which may over-count by one per cut.
 */
export function countCharacters(text: string): number {
  // A grapheme is at least one UTF-16 unit: below this length nothing needs segmenting.
  if (text.length <= 1) {
    return text.length;
  }
  let count = 0;
  let start = 0;
  while (start < text.length) {
    let end = Math.min(start + CHUNK_UNITS, text.length);
    while (end < text.length && !isExactCut(text, end) && end - start < MAX_CHUNK_UNITS) {
      end += 1;
    }
    if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) {
      // Never split a surrogate pair, even when the cut cannot be exact.
      end += 1;
    }
    count += countSegments(text.slice(start, end));
    start = end;
  }
  return count;
}

/**
 * Number of visible characters of a rich-text field, the measure its limits use. Line breaks
 * between paragraphs are not counted, as a Chinese word processor's 字数 does not count paragraph
 * marks; spaces inside the text are.
 */
export function countVisibleCharacters(html: string): number {
  return countCharacters(richTextToPlainText(html).replace(/\n/g, ''));
}
