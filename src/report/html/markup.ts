// Markup built so that escaping is the default: every value interpolated into `html`…`` is
// escaped unless it is already `Html` made by this module, so a model string cannot reach the
// page as markup by forgetting a call.

/** Markup this renderer wrote itself, safe to place as is. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** What may be interpolated: markup, text (escaped), numbers, nothing, or lists of these. */
export type Part = Html | string | number | null | undefined | false | readonly Part[];

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for an element's content or a quoted attribute value: both quote kinds are escaped. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ENTITIES[ch]!);
}

function render(part: Part): string {
  if (part instanceof Html) return part.value;
  if (part === null || part === undefined || part === false) return '';
  if (typeof part === 'string') return escapeHtml(part);
  if (typeof part === 'number') return escapeHtml(String(part));
  return part.map(render).join('');
}

export function html(strings: TemplateStringsArray, ...parts: Part[]): Html {
  let out = strings[0]!;
  parts.forEach((part, i) => { out += render(part) + strings[i + 1]!; });
  return new Html(out);
}

/** Parts joined into one piece of markup. */
export const join = (parts: readonly Part[]): Html => new Html(render(parts));
