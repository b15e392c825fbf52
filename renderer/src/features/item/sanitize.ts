import DOMPurify, { type Config, type DOMPurify as Purifier } from 'dompurify';

/**
 * Rich text from institutions (the project introduction, the refund terms) is untrusted HTML.
 * It is shown only through this sanitizer: DOMPurify with an allow-list of formatting elements,
 * then a second pass over the result that
 *
 * - keeps links only to `http:`, `https:` and `mailto:` and opens them outside the app
 *   (`target="_blank" rel="noopener noreferrer"`); other links become their plain text;
 * - never lets an image load anything: only inline raster images (`data:image/png|jpeg|gif|webp`)
 *   stay, every other image becomes a visible placeholder ("external image not loaded"). The CSP
 *   blocks remote images too, but the view must not even try (a request is a tracking pixel).
 *
 * No script, style, frame, object, form, SVG or MathML element survives, nor any `on*`, `style`,
 * `id`, `class`, `srcset` or data attribute. The result is a string of HTML for
 * `dangerouslySetInnerHTML` and the number of things removed, so the view can say that it did
 * not show everything.
 */

const ALLOWED_TAGS = [
  'p',
  'br',
  'div',
  'span',
  'strong',
  'b',
  'em',
  'i',
  'u',
  's',
  'del',
  'ins',
  'sub',
  'sup',
  'mark',
  'small',
  'blockquote',
  'code',
  'pre',
  'ul',
  'ol',
  'li',
  'dl',
  'dt',
  'dd',
  'hr',
  'table',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'th',
  'td',
  'caption',
  'a',
  'img',
];

const ALLOWED_ATTR = ['href', 'src', 'alt', 'title', 'colspan', 'rowspan'];

/** Links the view keeps. DOMPurify applies it to `href` and `src`; `data:` images get their own check. */
const SAFE_URL = /^(?:https?:|mailto:)/i;
const INLINE_IMAGE = /^data:image\/(?:png|jpe?g|gif|webp);base64,[a-z0-9+/=\s]+$/i;

const CONFIG: Config = {
  ALLOWED_TAGS,
  ALLOWED_ATTR,
  ALLOWED_URI_REGEXP: SAFE_URL,
  // Belt and braces: none of these is in the allow-list anyway.
  FORBID_TAGS: [
    'script',
    'style',
    'iframe',
    'frame',
    'frameset',
    'object',
    'embed',
    'applet',
    'form',
    'input',
    'button',
    'textarea',
    'select',
    'option',
    'link',
    'meta',
    'base',
    'svg',
    'math',
    'template',
    'noscript',
    'video',
    'audio',
    'source',
    'track',
    'picture',
  ],
  FORBID_ATTR: ['style', 'srcset', 'id', 'name', 'class', 'form', 'formaction', 'background'],
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  ALLOW_UNKNOWN_PROTOCOLS: false,
  KEEP_CONTENT: true,
  WHOLE_DOCUMENT: false,
  // Parse into a body even when the text starts with `<frameset>` or `<body>`: otherwise the
  // document has no body and there is no fragment to return.
  FORCE_BODY: true,
  SANITIZE_DOM: true,
  SANITIZE_NAMED_PROPS: true,
};

export interface SanitizedHtml {
  readonly html: string;
  /** Elements and attributes removed, unsafe links unlinked and images not loaded. */
  readonly removed: number;
  /** Of those, images shown as a placeholder. */
  readonly blockedImages: number;
}

const WRAPPERS = new Set(['HTML', 'HEAD', 'BODY', 'REMOVE']);

let purifier: Purifier | null = null;

function instance(): Purifier {
  // A private instance: no hooks or settings shared with anything else on the page.
  purifier ??= DOMPurify(window);
  return purifier;
}

/**
 * Sanitizes untrusted rich text. `imagePlaceholder` is the text shown instead of an image
 * (given its `alt`, possibly empty).
 */
export function sanitizeRichText(
  dirty: string,
  imagePlaceholder: (alt: string) => string,
): SanitizedHtml {
  const dom = instance();
  // Typed as always a fragment; a document the parser gave no body yields null.
  const fragment = dom.sanitize(dirty, {
    ...CONFIG,
    RETURN_DOM_FRAGMENT: true,
  }) as DocumentFragment | null;
  if (fragment === null) {
    return { html: '', removed: 1, blockedImages: 0 };
  }
  // DOMPurify lists the wrapper `<body>` it parsed into (and the `<remove>` FORCE_BODY adds) as
  // removed when it returns a fragment:
  // that is not content the institution wrote.
  let removed = dom.removed.filter(
    (entry) => !('element' in entry && WRAPPERS.has(entry.element.nodeName.toUpperCase())),
  ).length;
  let blockedImages = 0;

  for (const link of Array.from(fragment.querySelectorAll('a'))) {
    const href = link.getAttribute('href')?.trim() ?? '';
    if (SAFE_URL.test(href)) {
      link.setAttribute('target', '_blank');
      link.setAttribute('rel', 'noopener noreferrer');
    } else {
      // No usable address: keep the words, drop the link.
      link.replaceWith(...Array.from(link.childNodes));
      if (href !== '') {
        removed += 1;
      }
    }
  }

  for (const image of Array.from(fragment.querySelectorAll('img'))) {
    const src = image.getAttribute('src')?.trim() ?? '';
    if (INLINE_IMAGE.test(src)) {
      image.setAttribute('alt', image.getAttribute('alt') ?? '');
      continue;
    }
    const placeholder = fragment.ownerDocument.createElement('span');
    placeholder.className = 'rd-blocked-image';
    placeholder.textContent = imagePlaceholder(image.getAttribute('alt')?.trim() ?? '');
    image.replaceWith(placeholder);
    blockedImages += 1;
    removed += 1;
  }

  const container = fragment.ownerDocument.createElement('div');
  container.append(fragment);
  return { html: container.innerHTML, removed, blockedImages };
}
