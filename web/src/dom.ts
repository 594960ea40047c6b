/** Child of an element: text is always a text node, never parsed as HTML. */
export type Child = Node | string | number | null | undefined | false;

type Handlers = Partial<{ [K in keyof HTMLElementEventMap]: (e: HTMLElementEventMap[K]) => void }>;
type Attrs = { on?: Handlers; [name: string]: string | number | boolean | null | undefined | Handlers };

/** Builds an element: attributes by setAttribute, children as nodes or text. The only way the app writes DOM. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === 'on') {
      for (const [event, handler] of Object.entries(value as object)) el.addEventListener(event, handler as EventListener);
    } else if (value === true) el.setAttribute(name, '');
    else if (value !== false && value !== null && value !== undefined) el.setAttribute(name, String(value));
  }
  append(el, children);
  return el;
}

export function append(el: Element, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

/** Replaces an element's children. */
export function replaceChildren(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}

let ids = 0;
/** A page-unique id for label/aria wiring. */
export const uid = (prefix: string) => `${prefix}-${++ids}`;

/**
 * Re-renders `container` without losing the keyboard user's place: the focused element (or, if it
 * is gone, its nearest ancestor) is found again by its data-key and focused.
 */
export function keepingFocus(container: Element, render: () => void): void {
  const active = document.activeElement;
  const keys: string[] = [];
  for (let el = active; el && container.contains(el); el = el.parentElement) {
    const key = el.getAttribute('data-key');
    if (key) keys.push(key);
  }
  render();
  for (const key of keys) {
    const again = container.querySelector<HTMLElement>(`[data-key="${CSS.escape(key)}"]`);
    if (again && !again.matches(':disabled')) {
      again.focus();
      return;
    }
  }
}
