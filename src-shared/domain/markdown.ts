import MarkdownIt, { type Token } from 'markdown-it';

// A campaign body is Markdown (markdown-it, CommonMark). One renderer for the
// email (core) and the editor's preview (renderer), so what the owner sees is
// what goes out. Safe by construction, not by a sanitizer afterwards:
// `html: false` turns any raw HTML in the body (a <script>, an <img onerror>)
// into escaped text, and markdown-it's link check refuses javascript:,
// vbscript:, file: and data: URLs (the link stays as text). Inline styles,
// because mail clients drop <style> blocks; no text colour but the links' (the email sets
// its own, and the app's preview follows its light or dark theme).

const STYLES: Record<string, string> = {
  heading_open: 'margin:16px 0 8px 0;line-height:1.3',
  paragraph_open: 'margin:0 0 12px 0',
  bullet_list_open: 'margin:0 0 12px 0;padding-left:24px',
  ordered_list_open: 'margin:0 0 12px 0;padding-left:24px',
  blockquote_open: 'margin:0 0 12px 0;padding-left:12px;border-left:3px solid #e5e7eb',
  link_open: 'color:#2563eb;text-decoration:underline',
  code_block: 'background:#f3f4f6;padding:8px;border-radius:4px;white-space:pre-wrap',
  fence: 'background:#f3f4f6;padding:8px;border-radius:4px;white-space:pre-wrap',
};

const md = new MarkdownIt({ html: false, linkify: true, breaks: true, typographer: false });
md.core.ruler.push('inline_styles', (state) => {
  const visit = (tokens: Token[]) => {
    for (const t of tokens) {
      const style = STYLES[t.type];
      if (style) t.attrSet('style', style);
      if (t.type === 'link_open') {
        t.attrSet('target', '_blank');
        t.attrSet('rel', 'noopener noreferrer');
      }
      if (t.children) visit(t.children);
    }
  };
  visit(state.tokens);
});

/** The body as HTML for the email and the preview (no raw HTML from the body survives; unsafe links dropped). */
export function markdownToHtml(body: string): string {
  return md.render(body);
}

/**
 * The body as plain text for the email's text part: headings and paragraphs
 * as lines, list items with "- " or "1. ", a link as "text (url)", emphasis
 * marks removed, raw HTML kept as the text it was typed as.
 */
export function markdownToText(body: string): string {
  const out: string[] = [];
  const lists: { ordered: boolean; n: number }[] = [];
  let line = '';
  let prefix = '';
  const flush = (blank: boolean) => {
    if (line.trim() || prefix) out.push(`${prefix}${line.trimEnd()}`);
    line = '';
    prefix = '';
    if (blank && out.length && out[out.length - 1] !== '') out.push('');
  };
  for (const t of md.parse(body, {})) {
    switch (t.type) {
      case 'heading_open':
      case 'paragraph_open':
        break;
      case 'heading_close':
        flush(true);
        break;
      case 'paragraph_close':
        flush(!t.hidden);
        break;
      case 'bullet_list_open':
        lists.push({ ordered: false, n: 0 });
        break;
      case 'ordered_list_open':
        lists.push({ ordered: true, n: Number(t.attrGet('start') ?? 1) - 1 });
        break;
      case 'bullet_list_close':
      case 'ordered_list_close':
        lists.pop();
        if (lists.length === 0 && out.length && out[out.length - 1] !== '') out.push('');
        break;
      case 'list_item_open': {
        const list = lists[lists.length - 1];
        if (list) {
          list.n += 1;
          prefix = `${'  '.repeat(lists.length - 1)}${list.ordered ? `${list.n}. ` : '- '}`;
        }
        break;
      }
      case 'inline':
        line += inlineText(t.children ?? []);
        break;
      case 'fence':
      case 'code_block':
        out.push(t.content.trimEnd(), '');
        break;
      case 'blockquote_open':
        prefix = '> ';
        break;
      case 'hr':
        out.push('----', '');
        break;
      default:
        break;
    }
  }
  flush(false);
  while (out.length && out[out.length - 1] === '') out.pop();
  return out.join('\n');
}

function inlineText(children: Token[]): string {
  let text = '';
  let href: string | null = null;
  let linkText = '';
  for (const c of children) {
    if (c.type === 'link_open') {
      const target = c.attrGet('href');
      href = target === null ? null : String(target);
      linkText = '';
    } else if (c.type === 'link_close') {
      text += href && href !== linkText && href !== `mailto:${linkText}` ? `${linkText} (${href})` : linkText;
      href = null;
    } else {
      const piece = c.type === 'softbreak' || c.type === 'hardbreak' ? '\n' : c.type === 'image' ? (c.content ? `[${c.content}]` : '') : c.content;
      if (href !== null) linkText += piece;
      else text += piece;
    }
  }
  return text;
}
