/** Small DOM helpers. Text always goes in as text (never as HTML), so a name like `<script>` stays text. */

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`#${id} is missing from the page`);
  return element as T;
}

type Child = Node | string;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

/** Show `section` and move focus to its heading, so keyboard and screen reader users follow along. */
export function reveal(section: HTMLElement, heading: HTMLElement): void {
  section.hidden = false;
  heading.focus();
}
