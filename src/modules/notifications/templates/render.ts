import type { Locale } from '../../identity/roles.js';
import { markdownToHtml } from './markdown.js';

/** What a message says, as blocks both the HTML and the plain-text version are made from. */
export type Block =
  | { paragraph: string }
  | { quote: string }
  /** Text staff wrote in Markdown: rendered to safe HTML, kept as written in the plain text. */
  | { markdown: string }
  /** A small line at the end, e.g. who sent it to whom. */
  | { footnote: string }
  | { facts: [label: string, value: string][] }
  | { button: { label: string; url: string } };

export interface Message {
  subject: string;
  blocks: Block[];
}

export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
}

const escape = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!,
  );

function htmlBlock(block: Block): string {
  if ('paragraph' in block) {
    return `<p style="margin:0 0 16px">${escape(block.paragraph).replaceAll('\n', '<br>')}</p>`;
  }
  if ('quote' in block) {
    return `<blockquote style="margin:0 0 16px;padding:8px 16px;border-left:4px solid #c9d3e0;color:#333">${escape(block.quote).replaceAll('\n', '<br>')}</blockquote>`;
  }
  if ('markdown' in block)
    return `<div style="margin:0 0 16px">${markdownToHtml(block.markdown)}</div>`;
  if ('footnote' in block) {
    return `<p style="margin:24px 0 0;font-size:12px;color:#555">${escape(block.footnote)}</p>`;
  }
  if ('facts' in block) {
    const rows = block.facts
      .map(
        ([label, value]) =>
          `<tr><th align="left" valign="top" style="padding:4px 16px 4px 0;font-weight:600">${escape(label)}</th><td style="padding:4px 0">${escape(value).replaceAll('\n', '<br>')}</td></tr>`,
      )
      .join('');
    return `<table role="presentation" style="margin:0 0 16px;border-collapse:collapse">${rows}</table>`;
  }
  const { label, url } = block.button;
  return `<p style="margin:24px 0"><a href="${escape(url)}" style="background:#1f4e8c;color:#fff;padding:12px 20px;border-radius:4px;text-decoration:none;display:inline-block">${escape(label)}</a></p><p style="margin:0 0 16px;font-size:12px;color:#555">${escape(url)}</p>`;
}

function textBlock(block: Block): string {
  if ('paragraph' in block) return block.paragraph;
  if ('quote' in block) return block.quote.replace(/^/gm, '> ');
  if ('markdown' in block) return block.markdown;
  if ('footnote' in block) return `--\n${block.footnote}`;
  if ('facts' in block) {
    return block.facts
      .map(([label, value]) => `${label}: ${value.replaceAll('\n', '\n  ')}`)
      .join('\n');
  }
  return `${block.button.label}:\n${block.button.url}`;
}

/** The HTML and the plain-text version of one message, from the same blocks. */
export function render(message: Message, locale: Locale): RenderedMessage {
  const body = message.blocks.map(htmlBlock).join('\n');
  return {
    subject: message.subject,
    text: `${message.blocks.map(textBlock).join('\n\n')}\n`,
    html: `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><title>${escape(message.subject)}</title></head>
<body style="font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#111;max-width:640px;margin:0 auto;padding:24px">
${body}
</body></html>
`,
  };
}
