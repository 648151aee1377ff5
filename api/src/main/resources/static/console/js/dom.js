// Small DOM helpers: elements are built, never parsed from strings, so no API value becomes markup.

/** h('td', {class: 'mono'}, 'text', child): an element with attributes (on* keys are listeners) and children. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/**
 * The search endpoint's snippet (escaped text with <b> around the query's words) as nodes: only text and <b>
 * survive, whatever the string holds. Parsed in an inert document, so nothing in it runs or loads.
 */
export function snippetNodes(html) {
  const parsed = new DOMParser().parseFromString(`<body>${html ?? ''}</body>`, 'text/html').body;
  const copy = (node) => {
    if (node.nodeType === Node.TEXT_NODE) return [document.createTextNode(node.textContent)];
    if (node.nodeType !== Node.ELEMENT_NODE) return [];
    const children = [...node.childNodes].flatMap(copy);
    if (node.tagName === 'B') return [h('b', {}, children)];
    return children;
  };
  return [...parsed.childNodes].flatMap(copy);
}

/** A date-time for people: local, to the second. */
export function when(instant) {
  return instant ? new Date(instant).toLocaleString() : '';
}

/** A progress bar with its percentage; update() moves both. */
export function meter(percent = 0) {
  const bar = h('progress', {max: 100, value: percent});
  const label = h('span', {class: 'percent'}, `${percent} %`);
  const element = h('span', {class: 'meter'}, bar, label);
  return {
    element,
    update(value) {
      const clamped = Math.max(0, Math.min(100, Math.round(value)));
      bar.value = clamped;
      label.textContent = `${clamped} %`;
    },
  };
}

/**
 * A table body filled from a cursor-paginated endpoint: fetchPage(cursor) resolves with {items, nextCursor}
 * (or undefined after a shown problem). Returns load: load(false) starts over, load(true) appends the next page.
 */
export function pagedRows({fetchPage, row, body, more, empty, columns}) {
  let cursor = null;
  async function load(append) {
    const page = await fetchPage(append ? cursor : null);
    if (!page) return;
    if (!append) body.replaceChildren();
    for (const item of page.items) body.append(row(item));
    if (!body.children.length) body.append(h('tr', {}, h('td', {colspan: columns, class: 'empty'}, empty)));
    cursor = page.nextCursor;
    more.hidden = !cursor;
  }
  more.addEventListener('click', () => load(true));
  return load;
}
