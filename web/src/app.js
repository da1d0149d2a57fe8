// trafnet investigator view: search a lead, draw its neighbourhood, expand, filter, find paths,
// export. Talks only to trafnet serve's /api/ (docs/web.md). This module wires the page's
// controls to the others:
//
//   dom.js            DOM helpers: text only
//   model.js          what the view holds; how nodes are named
//   api.js            token, case number, fetch wrapper, errors
//   graph.js          Cytoscape: styles, merging, layout, filter, highlight, legend
//   neighbourhood.js  drawing, expanding and re-running neighbourhoods
//   panel.js          side panel, timeline, selection, paths, shared
//   export.js         PNG and GraphML
//
// Every text from the data reaches the page through textContent or a Cytoscape label (drawn on
// a canvas): never as HTML. The page runs under a strict Content-Security-Policy: no inline
// script or style, so styles set here go through the CSSOM (element.style), never attributes.
import { $, button, el, setStatus } from './dom.js';
import { nodeName, state } from './model.js';
import { CASE_RE, TOKEN_RE, api, askCase, askToken, run, showCase, showGate, takeTokenFromFragment } from './api.js';
import { clearGraph, clearHighlight, cy, layout, refreshStyles, renderLegend, renderTypeFilter } from './graph.js';
import { draw, expand, rebuild, windowParams } from './neighbourhood.js';
import { findPath, panel, renderPicked, shared, showLink, showNode, togglePick } from './panel.js';
import { exportGraphml, exportPng } from './export.js';

async function connect() {
  await run('Connecting', async () => {
    state.me = await api('me');
    $('who').textContent = `${state.me.user} · ${state.me.role}`;
    if (state.me.require_case && !state.caseNo) askCase();
    try {
      const a = await api('analysis');
      setAnalysis(a);
    } catch (e) {
      setAnalysis({ available: false });
    }
    return `Signed in as ${state.me.user} (${state.me.role}).`;
  });
}

function setAnalysis(a) {
  const box = $('colour-analysis');
  if (a && a.available && a.nodes && typeof a.nodes === 'object') {
    const networks = new Set();
    for (const v of Object.values(a.nodes)) if (v && v.network) networks.add(String(v.network));
    state.analysis = { generated_at: a.generated_at, nodes: a.nodes, networks: [...networks].sort() };
    box.disabled = false;
    box.parentElement.title = 'From the analysis report of ' + (a.generated_at || '?');
  } else {
    state.analysis = null;
    box.disabled = true;
    box.checked = false;
    box.parentElement.title = 'No analysis report: run trafnet analyze';
  }
}

const PLACEHOLDERS = { phone: '064/123-4567', name: 'Đorđe Jovanović', address: 'Bulevar kralja Aleksandra 73',
  id: 'person:P1' };

function search(kind, text) {
  return run('Searching', async () => {
    const results = await api('lookup', { [kind]: text, limit: 50 });
    const list = $('results');
    list.replaceChildren();
    for (const r of results) {
      const b = button('', () => draw(r.ref), 'result');
      b.append(el('span', 'r-name', nodeName(r)),
        el('span', 'r-meta', `${r.kind} · ${r.id}` + (r.collapsed ? ` · hub (${r.degree})` : '')),
        el('span', 'r-score', typeof r.score === 'number' ? r.score.toFixed(2) : ''));
      const li = el('li');
      li.append(b);
      list.append(li);
    }
    if (!results.length) list.append(el('li', 'muted', 'No match.'));
    return `${results.length} match${results.length === 1 ? '' : 'es'}.`;
  });
}

function bind() {
  $('token-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const t = $('token-input').value.trim();
    if (!TOKEN_RE.test(t)) { setStatus('That does not look like a token (printable ASCII, no spaces).', 'error'); return; }
    state.token = t;
    sessionStorage.setItem('trafnet.token', t);
    $('token-input').value = '';
    showGate(null);
    connect();
  });
  $('case-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const c = $('case-input').value.trim();
    if (c && !CASE_RE.test(c)) { setStatus('A case number is printable ASCII, at most 64 characters.', 'error'); return; }
    state.caseNo = c;
    if (c) sessionStorage.setItem('trafnet.case', c); else sessionStorage.removeItem('trafnet.case');
    showCase();
    showGate(state.token ? null : 'token');
    setStatus(c ? `Queries are now recorded for case ${c}.` : 'No case number set.', 'ok');
  });
  $('case-cancel').addEventListener('click', () => showGate(state.token ? null : 'token'));
  $('case-change').addEventListener('click', askCase);
  $('token-forget').addEventListener('click', () => {
    clearGraph();
    state.queries = [];
    $('results').replaceChildren();
    $('who').textContent = '';
    askToken('Signed out');
  });
  $('search-kind').addEventListener('change', () => { $('search-text').placeholder = PLACEHOLDERS[$('search-kind').value]; });
  $('search-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const text = $('search-text').value.trim();
    if (text) search($('search-kind').value, text);
  });
  $('hops').addEventListener('change', () => {
    if (!state.queries.length) return;
    state.queries[0].hops = Number($('hops').value);
    run('Reloading', rebuild);
  });
  $('apply-window').addEventListener('click', () => {
    const { since, until } = windowParams();
    if (since && until && since > until) { setStatus('"Since" is after "until".', 'error'); return; }
    if (state.queries.length) run('Applying dates', rebuild);
  });
  $('clear-view').addEventListener('click', () => {
    clearGraph();
    state.queries = [];
    state.picked = [];
    renderPicked();
    renderTypeFilter();
    layout(true);
    panel(el('p', 'muted', 'Nothing selected.'));
  });
  $('colour-analysis').addEventListener('change', (ev) => {
    state.colourBy = ev.target.checked && state.analysis ? 'analysis' : 'kind';
    refreshStyles();
  });
  $('find-path').addEventListener('click', findPath);
  $('shared').addEventListener('click', shared);
  $('clear-picked').addEventListener('click', () => { state.picked = []; clearHighlight(); refreshStyles(); renderPicked(); });
  $('export-png').addEventListener('click', exportPng);
  $('export-graphml').addEventListener('click', exportGraphml);

  cy.on('tap', 'node', (ev) => {
    const ref = ev.target.id();
    if (ev.originalEvent && ev.originalEvent.shiftKey) togglePick(ref);
    else showNode(ref);
  });
  // Cytoscape reports any two taps in quick succession as a double tap on the second one's
  // target, even when the first was on another node (picking A, then B): a node expands only
  // when both taps were on it. `tapped` holds the last two taps' nodes (null: not a node).
  let tapped = [null, null];
  cy.on('tap', (ev) => {
    const node = ev.target !== cy && ev.target.isNode() ? ev.target.id() : null;
    tapped = [tapped[1], node];
  });
  cy.on('dbltap', 'node', (ev) => {
    if (tapped[0] === ev.target.id()) expand(ev.target.id());
  });
  cy.on('tap', 'edge', (ev) => showLink(ev.target.id()));
  cy.on('tap', (ev) => { if (ev.target === cy) clearHighlight(); });
}

function start() {
  takeTokenFromFragment();
  state.token = sessionStorage.getItem('trafnet.token') || '';
  state.caseNo = sessionStorage.getItem('trafnet.case') || '';
  document.body.dataset.busy = '0';
  showCase();
  bind();
  renderLegend();
  renderPicked();
  // The printed link opened in a tab that already shows the page changes only the fragment.
  window.addEventListener('hashchange', () => {
    if (!takeTokenFromFragment()) return;
    state.token = sessionStorage.getItem('trafnet.token');
    showGate(null);
    connect();
  });
  if (!state.token) { askToken(); return; }
  connect();
}

start();
