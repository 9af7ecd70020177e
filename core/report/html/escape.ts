/** HTML text and attribute escaping: every value on the page passes through here. */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function esc(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** ` name="value"` pairs; undefined values are left out. */
export function attrs(values: Readonly<Record<string, string | number | undefined>>): string {
  return Object.entries(values)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${esc(v)}"`)
    .join('');
}

/** A table from a header row and body rows of ready HTML cells. */
export function table(head: readonly string[], rows: readonly (readonly string[])[], className = ''): string {
  const th = head.map((h) => `<th>${h}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.join('')}</tr>`).join('\n');
  return `<table${className ? ` class="${className}"` : ''}><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** Plain text as HTML: escaped, with `backquoted` parts set as code (messages quote keys and commands that way). */
export function prose(text: string): string {
  return esc(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

/** A paragraph saying why something is not shown (never an empty chart); `html` is ready HTML. */
export function absent(html: string): string {
  return `<p class="absent">${html}</p>`;
}

export function notes(list: readonly string[]): string {
  return list.length === 0 ? '' : `<ul class="notes">${list.map((n) => `<li>${prose(n)}</li>`).join('')}</ul>`;
}
