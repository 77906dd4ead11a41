// DOM helpers. Every piece of data reaches the page as a text node or an attribute value:
// nothing here (or anywhere in the dashboard) assigns innerHTML, so a title such as
// <img src=x onerror=...> is shown as text and never parsed.

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * Creates an element. attrs: class, text, dataset (object), on<event> (function), hidden (bool),
 * anything else becomes an attribute (null/false leave it out). Children: nodes or strings (text).
 */
export function h(tag, attrs = {}, ...children) {
  return build(document.createElement(tag), attrs, children);
}

/** Like h, for SVG elements. */
export function s(tag, attrs = {}, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attrs, children);
}

function build(el, attrs, children) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') el.setAttribute('class', value);
    else if (key === 'text') el.textContent = String(value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export const $ = (selector, root = document) => root.querySelector(selector);
export const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];

/** Replaces an element's children. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

const UNITS = [[60, 's', 1], [3600, 'm', 60], [86400, 'h', 3600], [Infinity, 'd', 86400]];

/** "42s", "5m", "3h", "12d": compact age from an ISO time. */
export function age(iso, now = Date.now()) {
  if (!iso) return '—';
  const seconds = Math.max(0, (now - Date.parse(iso)) / 1000);
  for (const [limit, unit, div] of UNITS) {
    if (seconds < limit) return `${Math.floor(seconds / div)}${unit}`;
  }
  return '';
}

/** "5m ago" / "in 3m" for a heartbeat. */
export function relative(iso, now = Date.now()) {
  if (!iso) return 'never';
  const delta = Date.parse(iso) - now;
  return delta > 0 ? `in ${age(new Date(now - delta).toISOString(), now)}` : `${age(iso, now)} ago`;
}

/** Seconds as "45s", "12m", "3.5h", "2.1d". */
export function duration(seconds) {
  if (seconds === null || seconds === undefined || Number.isNaN(seconds)) return '—';
  if (seconds < 10) return `${Math.round(seconds * 10) / 10}s`;
  if (seconds < 60) return `${Math.round(seconds)}s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)}m`;
  if (seconds < 86400) return `${(seconds / 3600).toFixed(seconds < 36000 ? 1 : 0)}h`;
  return `${(seconds / 86400).toFixed(1)}d`;
}

export function percent(ratio) {
  if (ratio === null || ratio === undefined || Number.isNaN(ratio)) return '—';
  return `${Math.round(ratio * 1000) / 10}%`;
}

export function localTime(iso) {
  return iso ? new Date(iso).toLocaleString() : '—';
}

/** Small live-region notifications. */
export function toast(message, kind = 'info') {
  const box = document.getElementById('toasts');
  const el = h('div', { class: `toast ${kind}`, role: kind === 'error' ? 'alert' : 'status', text: message });
  box.append(el);
  setTimeout(() => el.remove(), kind === 'error' ? 8000 : 4000);
}

export function debounce(fn, ms) {
  let timer = null;
  const wrapped = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
  wrapped.cancel = () => clearTimeout(timer);
  return wrapped;
}

/** USD as the dashboard shows it (the API's amounts are exact; this is display only): "$0.30", "$0.000002". */
export function usd(value) {
  if (value === null || value === undefined) return '—';
  const n = Number(value);
  const digits = n !== 0 && Math.abs(n) < 0.01 ? 6 : 2;
  return `$${n.toFixed(digits)}`;
}
