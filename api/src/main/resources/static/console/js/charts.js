// Small inline SVG charts for the analytics dashboard: built with DOM calls (no markup strings, no library), styled
// by presentation attributes and classes, so the console's strict Content-Security-Policy holds.
const SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attributes = {}, ...children) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/** A round, readable upper bound for an axis: 1, 2 or 5 times a power of ten, at least max. */
export function niceMax(max) {
  if (!(max > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  return [1, 2, 5, 10].map((step) => step * power).find((bound) => bound >= max);
}

/**
 * Vertical bars, one per point ({label, value}), with the largest value's axis and every nth label, so a month of
 * days still reads. Each bar has a <title> with its exact figure (a tooltip, and text for screen readers).
 */
export function barChart({points, label, format = String, width = 420, height = 170}) {
  const left = 40, bottom = 22, top = 8, right = 8;
  const plotWidth = width - left - right, plotHeight = height - top - bottom;
  const max = niceMax(Math.max(0, ...points.map((p) => p.value)));
  const slot = plotWidth / Math.max(1, points.length);
  const every = Math.ceil(points.length / 8);
  const chart = svg('svg', {viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img', 'aria-label': label},
    svg('title', {}, label),
    [0, 0.5, 1].map((share) => {
      const y = top + plotHeight * (1 - share);
      return svg('g', {class: 'axis'},
        svg('line', {x1: left, x2: width - right, y1: y, y2: y}),
        svg('text', {x: left - 6, y: y + 4, 'text-anchor': 'end'}, format(max * share)));
    }),
    points.map((point, i) => {
      const barHeight = plotHeight * (point.value / max);
      const x = left + i * slot + slot * 0.15;
      return svg('g', {class: 'bar'},
        svg('rect', {x, y: top + plotHeight - barHeight, width: Math.max(1, slot * 0.7), height: barHeight},
          svg('title', {}, `${point.label}: ${format(point.value)}`)),
        i % every === 0 ? svg('text', {x: x + slot * 0.35, y: height - 6, 'text-anchor': 'middle'}, point.label) : null);
    }));
  return chart;
}

/**
 * Horizontal paired bars per row ({label, a, b}): e.g. p50 and p95 per endpoint, on one scale, with a legend.
 */
export function pairedBars({rows, label, names, format = String, width = 860}) {
  const rowHeight = 26, left = 300, right = 60, top = 22;
  const height = top + rows.length * rowHeight + 4;
  const max = niceMax(Math.max(0, ...rows.flatMap((r) => [r.a, r.b])));
  const scale = (value) => (width - left - right) * (value / max);
  return svg('svg', {viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img', 'aria-label': label},
    svg('title', {}, label),
    svg('g', {class: 'legend'},
      svg('rect', {x: left, y: 4, width: 10, height: 10, class: 'series-a'}),
      svg('text', {x: left + 14, y: 13}, names[0]),
      svg('rect', {x: left + 70, y: 4, width: 10, height: 10, class: 'series-b'}),
      svg('text', {x: left + 84, y: 13}, names[1])),
    rows.map((row, i) => {
      const y = top + i * rowHeight;
      return svg('g', {class: 'bar'},
        svg('text', {x: left - 6, y: y + 15, 'text-anchor': 'end'}, row.label),
        svg('rect', {x: left, y: y + 3, width: scale(row.a), height: 9, class: 'series-a'},
          svg('title', {}, `${row.label} ${names[0]}: ${format(row.a)}`)),
        svg('rect', {x: left, y: y + 13, width: scale(row.b), height: 9, class: 'series-b'},
          svg('title', {}, `${row.label} ${names[1]}: ${format(row.b)}`)),
        svg('text', {x: left + scale(row.b) + 4, y: y + 21}, format(row.b)));
    }));
}
