// The side panel and the selection: a node's details, a link's observations, a timeline, and
// the answers of the path finder and of "Shared". Every value goes in as text (dom.js).
import { $, button, el, setStatus, truncate } from './dom.js';
import { analysisOf, attrsOf, isHub, linkId, nodeName, refName, state } from './model.js';
import { api, run } from './api.js';
import {
  applyTypeFilter, clearHighlight, cy, highlightPaths, layout, merge, refreshStyles, renderTypeFilter,
} from './graph.js';
import { expand } from './neighbourhood.js';

export function panel(...children) {
  $('panel').replaceChildren(...children);
}

function dl(pairs) {
  const list = el('dl', 'fields');
  for (const [k, v] of pairs) list.append(el('dt', null, k), el('dd', null, v));
  return list;
}

function obsTable(observations) {
  const table = el('table', 'obs');
  const head = el('tr');
  for (const h of ['Source', 'Start', 'End', 'Count']) head.append(el('th', null, h));
  table.append(head);
  for (const o of observations || []) {
    const row = el('tr');
    for (const v of [o.source, o.start, o.end, o.count]) row.append(el('td', null, v === '' ? '—' : v));
    table.append(row);
  }
  return table;
}

function linkBlock(l, from) {
  const out = l.from_ref === from;
  const other = out ? l.to_ref : l.from_ref;
  const arrow = l.symmetric ? '—' : out ? '→' : '←';
  const box = el('div', 'link');
  const title = el('div', 'link-title');
  title.append(el('span', 'type', `${arrow} ${l.type} `));
  title.append(button(truncate(refName(other), 40), () => selectRef(other), 'linkish'));
  box.append(title, obsTable(l.observations));
  return box;
}

function selectRef(ref) {
  const e = cy.getElementById(ref);
  if (e.length) { cy.elements().unselect(); e.select(); cy.animate({ center: { eles: e } }, { duration: 200 }); }
  showNode(ref);
}

export function showNode(ref) {
  const n = state.nodes.get(ref);
  if (!n) { panel(el('p', 'muted', 'Nothing selected.')); return; }
  const parts = [el('h2', 'node-title', nodeName(n)), el('p', 'muted', `${n.kind} · ${n.ref}`)];
  if (n.masked) parts.push(el('p', 'masked-note', 'victim (masked): your role may not see this person\'s details.'));
  const actions = el('div', 'row');
  parts.push(actions);
  actions.append(button('Expand', () => expand(ref)), button('Set as A', () => setPick(0, ref)),
    button('Set as B', () => setPick(1, ref)), button('Timeline', () => timeline(ref)));
  const facts = [['Links in store', String(n.degree)]];
  if (isHub(n)) facts.push(['Hub', 'collapsed: Expand to show its links']);
  const an = analysisOf(ref);
  if (an) {
    facts.push(['Lead', `${an.network || '—'} (rank ${an.rank ?? '—'})`]);
    facts.push(['Role in lead', an.role || '—'], ['Risk', Number(an.risk).toFixed(2)]);
  }
  parts.push(dl(facts));
  const attrs = Object.entries(attrsOf(n));
  parts.push(el('h3', null, 'Attributes'));
  parts.push(attrs.length ? dl(attrs.map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]))
    : el('p', 'muted', 'none'));
  parts.push(el('h3', null, 'Sources'));
  parts.push(el('p', null, (n.sources || []).join(', ') || '—'));
  const links = [...state.links.values()].filter((l) => l.from_ref === ref || l.to_ref === ref);
  parts.push(el('h3', null, `Links in view (${links.length})`));
  for (const l of links) parts.push(linkBlock(l, ref));
  panel(...parts);
}

export function showLink(id) {
  const l = state.links.get(id);
  if (!l) return;
  const title = el('h2', 'node-title', l.type);
  const ends = el('p');
  ends.append(button(truncate(refName(l.from_ref), 40), () => selectRef(l.from_ref), 'linkish'),
    l.symmetric ? ' — ' : ' → ', button(truncate(refName(l.to_ref), 40), () => selectRef(l.to_ref), 'linkish'));
  panel(title, ends, el('h3', null, 'Observations'), obsTable(l.observations));
}

async function timeline(ref) {
  await run('Timeline', async () => {
    const t = await api('timeline', { id: ref });
    const table = el('table', 'obs');
    const head = el('tr');
    for (const h of ['When', 'Link', 'Other', 'Source', '×']) head.append(el('th', null, h));
    table.append(head);
    for (const ev of t.events || []) {
      const o = ev.observation || {};
      const when = ev.start || ev.end ? `${ev.start || '?'}${ev.end ? ' – ' + ev.end : ''}` : 'undated';
      const row = el('tr');
      row.append(el('td', 'nowrap', when), el('td', 'nowrap', (ev.direction === 'in' ? '← ' : '→ ') + ev.type),
        el('td', null, truncate(refName(ev.other), 40)), el('td', null, o.source || ''), el('td', null, o.count ?? ''));
      table.append(row);
    }
    panel(el('h2', 'node-title', 'Timeline: ' + nodeName(t.node || state.nodes.get(ref) || { id: ref })),
      button('Back to details', () => showNode(ref)), table);
    return `${(t.events || []).length} observations in time order.`;
  });
}

// The selection: [0] is A and [1] is B for the path finder; three or more ask for a network.
function setPick(slot, ref) {
  const others = state.picked.filter((r) => r !== ref);
  others.splice(Math.min(slot, others.length), 0, ref);
  state.picked = others;
  refreshStyles();
  renderPicked();
}

export function togglePick(ref) {
  if (state.picked.includes(ref)) state.picked = state.picked.filter((r) => r !== ref);
  else state.picked.push(ref);
  refreshStyles();
  renderPicked();
}

export function renderPicked() {
  const list = $('picked');
  list.replaceChildren();
  state.picked.forEach((ref, i) => {
    const li = el('li');
    const tag = i === 0 ? 'A' : i === 1 ? 'B' : String(i + 1);
    li.append(el('span', 'tag', tag), ' ', button(truncate(refName(ref), 28), () => selectRef(ref), 'linkish'),
      ' ', button('×', () => togglePick(ref), 'small'));
    list.append(li);
  });
  if (!state.picked.length) list.append(el('li', 'muted', 'none'));
}

export function findPath() {
  if (state.picked.length < 2) { setStatus('Select two nodes first (shift-click, or "Set as A/B").', 'error'); return; }
  const params = state.picked.length === 2
    ? { from: state.picked[0], to: state.picked[1], k: $('path-k').value }
    : { ids: state.picked.join(',') };
  run('Finding path', async () => {
    const r = await api('path', params);
    const added = merge(r, state.picked[0]);
    const ids = new Set((r.links || []).map(linkId));
    refreshStyles();
    if (added) await layout(false);
    renderTypeFilter();
    applyTypeFilter();
    const paths = r.paths || [];
    const on = highlightPaths(paths, ids);
    if (on.length) cy.animate({ fit: { eles: on, padding: 60 } }, { duration: 250 });
    const parts = [el('h2', 'node-title', paths.length ? `Paths (${paths.length})` : 'No path')];
    paths.forEach((p, i) => {
      parts.push(el('p', 'path-text', `${i + 1}. (${p.length - 1} links) ` + p.map((ref) => refName(ref)).join(' → ')));
    });
    if ((r.go_betweens || []).length) {
      parts.push(el('h3', null, 'Go-betweens'));
      for (const g of r.go_betweens) parts.push(el('p', null, `${refName(g.ref)} — on ${g.paths} paths`));
    }
    panel(...parts);
    return paths.length ? `${paths.length} path(s); shortest has ${Math.min(...paths.map((p) => p.length - 1))} links.`
      : 'No path within the hop limit.';
  });
}

export function shared() {
  if (state.picked.length < 2) { setStatus('Select two or more nodes first.', 'error'); return; }
  run('Shared', async () => {
    const items = await api('shared', { ids: state.picked.join(',') });
    clearHighlight();
    const parts = [el('h2', 'node-title', `Shared by the selection (${items.length})`)];
    for (const it of items) {
      const node = it.shared || {};
      if (node.ref && !state.nodes.has(node.ref)) state.nodes.set(node.ref, node);
      if (node.ref) cy.getElementById(node.ref).addClass('path');
      parts.push(el('h3', null, `${nodeName(node)} (${node.kind})`));
      parts.push(el('p', 'muted', 'held by ' + (it.holders || []).map(refName).join(', ')));
      for (const l of it.links || []) {
        parts.push(el('div', 'link-title', `${refName(l.holder)} · ${l.type}`), obsTable(l.observations));
      }
    }
    panel(...parts);
    return items.length ? `${items.length} shared nodes.` : 'They share nothing.';
  });
}
