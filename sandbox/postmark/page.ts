import type { RecordedMessage } from './mailbox';

/** Everything shown comes from senders: escape it all (text and attributes). */
export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * The mailbox: a list of messages (newest first) and the selected one. The HTML body is shown in a sandboxed
 * iframe (srcdoc, no scripts, no same-origin), so a message cannot run code in the page.
 */
export function renderMailbox(messages: RecordedMessage[], selected?: RecordedMessage): string {
  const e = escapeHtml;
  const rows = messages
    .map(
      (m) => `<li${selected?.MessageID === m.MessageID ? ' class="current"' : ''}>
  <a href="?id=${encodeURIComponent(m.MessageID)}"><strong>${e(m.Subject || '(no subject)')}</strong>
  <span>${e(m.To)}</span><time>${e(m.ReceivedAt)}</time>${m.Tag ? `<em>${e(m.Tag)}</em>` : ''}</a></li>`,
    )
    .join('\n');
  const detail = selected
    ? `<article>
  <h2>${e(selected.Subject || '(no subject)')}</h2>
  <table>
    ${field('From', selected.From)}${field('To', selected.To)}${field('Cc', selected.Cc)}${field('Bcc', selected.Bcc)}
    ${field('Reply-To', selected.ReplyTo)}${field('Tag', selected.Tag)}${field('Stream', selected.MessageStream)}
    ${field('Received', selected.ReceivedAt)}${field('Message ID', selected.MessageID)}
    ${Object.keys(selected.Metadata).length ? field('Metadata', JSON.stringify(selected.Metadata)) : ''}
    ${selected.Headers.map((h) => field(h.Name, h.Value)).join('')}
  </table>
  ${selected.HtmlBody ? `<h3>HTML body</h3><iframe sandbox="" title="HTML body" srcdoc="${e(selected.HtmlBody)}"></iframe>` : ''}
  ${selected.TextBody ? `<h3>Text body</h3><pre>${e(selected.TextBody)}</pre>` : ''}
</article>`
    : `<p class="hint">${messages.length ? 'Pick a message.' : 'No messages yet. Mail sent through the Postmark sandbox appears here.'}</p>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Postmark sandbox mailbox (${messages.length})</title>
<style>
body{font:15px/1.4 system-ui,sans-serif;margin:0;display:grid;grid-template-columns:minmax(240px,1fr) 2fr;min-height:100vh}
@media (max-width:700px){body{grid-template-columns:1fr}}
nav{border-right:1px solid #ddd;overflow:auto}h1{font-size:1.1rem;margin:1rem}ul{list-style:none;margin:0;padding:0}
li a{display:block;padding:.6rem 1rem;border-top:1px solid #eee;color:inherit;text-decoration:none}
li.current a,li a:hover{background:#f2f5ff}li span,li time{display:block;font-size:.85rem;color:#555}
li em{font-size:.75rem;background:#eef;padding:0 .3rem;border-radius:3px}main{padding:1rem 1.5rem;overflow:auto}
table{border-collapse:collapse}td,th{text-align:left;padding:.15rem .6rem .15rem 0;vertical-align:top;word-break:break-all}
iframe{width:100%;min-height:420px;border:1px solid #ddd}pre{white-space:pre-wrap;background:#f7f7f7;padding:.8rem}
.hint{color:#666}
</style></head>
<body><nav><h1>Postmark sandbox · ${messages.length} message${messages.length === 1 ? '' : 's'}</h1><ul>
${rows}
</ul></nav><main>${detail}</main></body></html>`;
}

function field(name: string, value: string | undefined): string {
  return value ? `<tr><th>${escapeHtml(name)}</th><td>${escapeHtml(value)}</td></tr>` : '';
}
