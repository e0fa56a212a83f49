// A small, safe Markdown renderer for notice bodies. The whole text is HTML-escaped first, then
// only this subset becomes markup:
//   # heading / ## heading   (rendered one level below the page's own title: <h2> / <h3>)
//   **bold**
//   - item                    (consecutive lines form one list; "* item" works too)
//   blank line                paragraph break; a single newline inside a paragraph is a <br>
//   [text](/m/…)              a link within the app (a path of the resident app or the console,
//                             e.g. a form's notice links to /m/forms/{id}); no other links
// Everything else stays literal text. No outside links, images or raw HTML, so the output can go
// into v-html without a sanitizer.

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

// An in-app link on escaped text: the path is limited to URL characters (a quote or an angle
// bracket was escaped to an entity before, so nothing can leave the attribute).
const APP_LINK = /\[([^\]\n]+)\]\((\/(?:m|admin)\/[A-Za-z0-9/_\-.~%?=&;#]*)\)/g;

/** Inline markup on already-escaped text: in-app links, **bold** (not across lines, not empty). */
function inline(escaped: string): string {
  // No lookbehind: older WebKit (WeChat on iOS < 16.4) cannot parse it.
  return escaped
    .replace(APP_LINK, '<a href="$2">$1</a>')
    .replace(/\*\*(\S(?:[^\n]*?\S)?)\*\*/g, '<strong>$1</strong>');
}

/** The in-app paths a Markdown text links to (e.g. a form notice's /m/forms/{id}). */
export function appLinks(src: string): string[] {
  const out: string[] = [];
  for (const m of src.matchAll(APP_LINK)) out.push(m[2]);
  return out;
}

const HEADING = /^(#{1,2})[ \t]+(.+?)[ \t]*#*[ \t]*$/;
const ITEM = /^[ \t]{0,3}[-*][ \t]+(.*)$/;

/** Renders `src` to HTML (a string safe for v-html). */
export function renderMarkdown(src: string): string {
  const lines = escapeHtml(src.replace(/\r\n?/g, '\n')).split('\n');
  const out: string[] = [];
  let para: string[] = [];
  let list: string[] = [];

  const flushPara = () => {
    if (para.length) out.push(`<p>${para.map(inline).join('<br>')}</p>`);
    para = [];
  };
  const flushList = () => {
    if (list.length) out.push(`<ul>${list.map((x) => `<li>${inline(x)}</li>`).join('')}</ul>`);
    list = [];
  };

  for (const raw of lines) {
    const line = raw.replace(/[ \t]+$/, '');
    if (!line.trim()) {
      flushPara();
      flushList();
      continue;
    }
    const h = HEADING.exec(line);
    if (h) {
      flushPara();
      flushList();
      const tag = h[1].length === 1 ? 'h2' : 'h3';
      out.push(`<${tag}>${inline(h[2])}</${tag}>`);
      continue;
    }
    const item = ITEM.exec(line);
    if (item) {
      flushPara();
      list.push(item[1]);
      continue;
    }
    if (list.length && /^[ \t]{2,}\S/.test(line)) {
      // An indented line right after an item continues it.
      list[list.length - 1] += `<br>${line.trim()}`;
      continue;
    }
    flushList();
    para.push(line.trim());
  }
  flushPara();
  flushList();
  return out.join('\n');
}
