import MarkdownIt from 'markdown-it';

/**
 * Markdown as staff write it (announcements), rendered for email: raw HTML
 * is never passed through but shown as the text it is, links are only
 * http(s) and mailto, bare addresses become links, a line break is a line
 * break, and images are shown as their description (never loaded: a mail
 * that fetches pictures tells the sender who opened it).
 */
const markdown = new MarkdownIt('default', { html: false, linkify: true, breaks: true });
markdown.validateLink = (url) => /^(https?:|mailto:)/i.test(url.trim());
markdown.renderer.rules.image = (tokens, index) =>
  markdown.utils.escapeHtml(tokens[index]?.content ?? '');

/** Safe HTML of `source`. */
export function markdownToHtml(source: string): string {
  return markdown.render(source);
}
