// DOM helpers for the investigator page: every text goes in through textContent, never as
// markup (docs/web.md, "Data is text, never markup").

export const $ = (id) => document.getElementById(id);

export function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}

export function button(text, onClick, cls) {
  const b = el('button', cls, text);
  b.type = 'button';
  b.addEventListener('click', onClick);
  return b;
}

export function truncate(s, n) {
  const chars = Array.from(String(s));
  return chars.length > n ? chars.slice(0, n - 1).join('') + '…' : chars.join('');
}

export function setStatus(text, kind) {
  const s = $('status');
  s.textContent = text;
  s.className = 'status ' + (kind || 'info');
}
