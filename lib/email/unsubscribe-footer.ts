/**
 * The one-click unsubscribe footer of list emails. A template that already placed `{{ unsubscribe_url }}`
 * (so the rendered body holds the contact's link) gets no second one: the reader sees one link, where the
 * author put it.
 */
export function withUnsubscribeFooter(
  body: { text: string; html: string },
  url: string,
): { text: string; html: string } {
  if (body.text.includes(url) || body.html.includes(url)) return body;
  const text = `${body.text}\n\n--\nUnsubscribe with one click: ${url}`;
  const footer = `<p style="font-size:12px;color:#666">Don't want these emails? <a href="${url}">Unsubscribe with one click</a>.</p>`;
  const html = body.html.includes('</body>')
    ? body.html.replace('</body>', `${footer}\n</body>`)
    : body.html + footer;
  return { text, html };
}
