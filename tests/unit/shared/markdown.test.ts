import { describe, expect, it } from 'vitest';
import { markdownToHtml, markdownToText } from '@shared/domain/markdown';

describe('campaign Markdown', () => {
  it('renders headings, emphasis, lists and links, with inline styles for mail clients', () => {
    const html = markdownToHtml('# Spring\n\n## Classes\n\nJoin us for **yoga** and *tea* at [the studio](https://sunrise.example/a?b=1&c=2).\n\n- one\n- two\n\n1. first\n2. second');
    expect(html).toMatch(/^<h1 style="[^"]+">Spring<\/h1>\n<h2 style="[^"]+">Classes<\/h2>/);
    expect(html).toContain('<strong>yoga</strong> and <em>tea</em>');
    expect(html).toContain('<a href="https://sunrise.example/a?b=1&amp;c=2" style="color:#2563eb;text-decoration:underline" target="_blank" rel="noopener noreferrer">the studio</a>');
    expect(html).toMatch(/<ul style="[^"]+">\n<li>one<\/li>\n<li>two<\/li>\n<\/ul>/);
    expect(html).toMatch(/<ol style="[^"]+">\n<li>first<\/li>\n<li>second<\/li>\n<\/ol>/);
  });

  it('lets no raw HTML or script URL through: a <script>, an event handler, a javascript: link come out as inert text', () => {
    const html = markdownToHtml('<script>alert(1)</script>\n\nHi <b onclick="x()">there</b> <img src=x onerror=alert(2)>\n\n[click](javascript:alert(3)) [data](data:text/html;base64,PHNjcmlwdD4=) <a href="javascript:alert(4)">a</a>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;b onclick=&quot;x()&quot;&gt;there&lt;/b&gt;');
    expect(html).not.toMatch(/<script|<b |<img|<a href="(javascript|data)/i);
    expect(html).toContain('[click](javascript:alert(3))');
  });

  it('keeps line breaks and makes bare URLs links', () => {
    expect(markdownToHtml('See you\nMonday at https://sunrise.example')).toBe(
      '<p style="margin:0 0 12px 0">See you<br>\nMonday at <a href="https://sunrise.example" style="color:#2563eb;text-decoration:underline" target="_blank" rel="noopener noreferrer">https://sunrise.example</a></p>\n',
    );
  });

  it('plain text stays readable: no markup, links with their address, list items marked', () => {
    const text = markdownToText('# Spring classes\n\nJoin us for **yoga** at [our studio](https://sunrise.example/spring).\nSee you!\n\n- Mats free\n- Tea *included*\n\n3. Book\n4. Come\n\nWrite to <hello@sunrise.example>.');
    expect(text).toBe(
      [
        'Spring classes',
        '',
        'Join us for yoga at our studio (https://sunrise.example/spring).',
        'See you!',
        '',
        '- Mats free',
        '- Tea included',
        '',
        '3. Book',
        '4. Come',
        '',
        'Write to hello@sunrise.example.',
      ].join('\n'),
    );
    expect(markdownToText('Plain text,\nas before.\n\nTwo paragraphs.')).toBe('Plain text,\nas before.\n\nTwo paragraphs.');
  });
});
