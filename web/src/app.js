// trafnet investigator view: search a lead, draw its neighbourhood, expand, filter, find paths,
// export. Talks only to trafnet serve's /api/ (docs/web.md).
//
// Every text from the data reaches the page through textContent or a Cytoscape label (drawn on
// a canvas): never as HTML. The page runs under a strict Content-Security-Policy: no inline
// script or style, so styles set here go through the CSSOM (element.style), never attributes.
(function () {
  'use strict';

  const $ = (id) => document.getElementById(id);

  const KIND_COLOURS = { person: '#3b6fb6', phone: '#2f9e63', address: '#d98a1a', other: '#8a63c4' };
  const KIND_SHAPES = { person: 'ellipse', phone: 'round-rectangle', address: 'diamond', other: 'hexagon' };
  const NETWORK_COLOURS = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#42d4f4',
    '#f032e6', '#9a6324', '#469990', '#808000', '#000075', '#dcbeff'];
  const NO_NETWORK = '#c9ced4';
  const LABEL_MAX = 40;

  const state = {
    token: '',
    caseNo: '',
    me: null,
    analysis: null,       // {generated_at, nodes: {ref: {network, rank, role, risk}}, networks: [id…]}
    colourBy: 'kind',     // or 'analysis'
    nodes: new Map(),     // ref -> node as the API gave it
    links: new Map(),     // edge id -> link as the API gave it
    queries: [],          // what the view is made of: [{id, hops, hubs}], re-run when the dates change
    picked: [],           // selected refs; [0] is A and [1] is B for the path finder
    hiddenTypes: new Set(),
    busy: 0,
  };

  // ---- DOM helpers: text only ----

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function button(text, onClick, cls) {
    const b = el('button', cls, text);
    b.type = 'button';
    b.addEventListener('click', onClick);
    return b;
  }

  function truncate(s, n) {
    const chars = Array.from(String(s));
    return chars.length > n ? chars.slice(0, n - 1).join('') + '…' : chars.join('');
  }

  function setStatus(text, kind) {
    const s = $('status');
    s.textContent = text;
    s.className = 'status ' + (kind || 'info');
  }

  // ---- token, case number, API ----

  // Returns whether the address carried a token (it is then stored and taken out of the address).
  function takeTokenFromFragment() {
    const params = new URLSearchParams(location.hash.replace(/^#/, ''));
    const token = params.get('token');
    if (token === null) return false;
    history.replaceState(null, '', location.pathname + location.search);
    if (!TOKEN_RE.test(token)) return false;
    sessionStorage.setItem('trafnet.token', token);
    return true;
  }

  // Header values must be printable ASCII (fetch throws on anything else).
  const TOKEN_RE = /^[\x21-\x7e]{1,512}$/;
  const CASE_RE = /^[\x20-\x7e]{1,64}$/;

  function showGate(which) {
    $('gate').hidden = !which;
    $('token-form').hidden = which !== 'token';
    $('case-form').hidden = which !== 'case';
    if (which === 'token') $('token-input').focus();
    if (which === 'case') {
      $('case-input').value = state.caseNo;
      $('case-input').focus();
    }
  }

  function askToken(message) {
    state.token = '';
    sessionStorage.removeItem('trafnet.token');
    showGate('token');
    if (message) setStatus(message + ' — enter the access token.', 'error');
  }

  function askCase() { showGate('case'); }

  function showCase() { $('case-shown').textContent = state.caseNo || 'none'; }

  class ApiError extends Error {
    constructor(status, message) { super(message); this.status = status; }
  }

  async function api(path, params) {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(params || {})) {
      if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
    }
    const headers = { Authorization: 'Bearer ' + state.token, Accept: 'application/json' };
    if (state.caseNo) headers['X-Trafnet-Case'] = state.caseNo;
    const query = qs.toString();
    let res;
    try {
      res = await fetch('api/' + path + (query ? '?' + query : ''),
        { headers, cache: 'no-store', credentials: 'omit', redirect: 'error' });
    } catch (e) {
      throw new ApiError(0, 'Cannot reach the server: ' + e.message);
    }
    let body = null;
    try { body = await res.json(); } catch (e) { body = null; }
    if (!res.ok) {
      const msg = body && typeof body.error === 'string' ? body.error : 'HTTP ' + res.status;
      if (res.status === 401) askToken(msg);
      if (res.status === 403 && state.me && state.me.require_case && !state.caseNo) askCase();
      throw new ApiError(res.status, msg);
    }
    if (body === null) throw new ApiError(res.status, 'The server sent no JSON.');
    return body;
  }

  // Runs one user action: a busy marker, and any error in the status line.
  async function run(what, fn) {
    state.busy++;
    document.body.dataset.busy = '1';
    setStatus(what + '…', 'info');
    try {
      const done = await fn();
      setStatus(done || what + ': done.', 'ok');
    } catch (e) {
      const prefix = e.status ? `${what} failed (${e.status}): ` : `${what} failed: `;
      if (!(e instanceof ApiError && e.status === 401)) setStatus(prefix + e.message, 'error');
    } finally {
      state.busy--;
      document.body.dataset.busy = state.busy ? '1' : '0';
    }
  }

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

  // ---- what nodes and links look like ----

  function attrsOf(n) { return n.attributes || n.fields || {}; }

  function kindKey(kind) { return KIND_COLOURS[kind] ? kind : 'other'; }

  function nodeName(n) {
    if (!n) return '?';
    if (n.masked) return 'victim (masked)';
    const a = attrsOf(n);
    if (n.kind === 'person' && a.name) return a.name;
    if (n.kind === 'address' && (a.text || a.city)) return [a.text, a.city].filter(Boolean).join(', ');
    return n.id;
  }

  function refName(ref) {
    const n = state.nodes.get(ref);
    return n ? nodeName(n) : ref;
  }

  function isHub(n) {
    return !!n.collapsed && !state.queries.some((q) => q.id === n.ref && q.hubs);
  }

  // The analysis facts about a node, or null (own keys only: refs come from the data).
  function analysisOf(ref) {
    const nodes = state.analysis && state.analysis.nodes;
    return nodes && Object.prototype.hasOwnProperty.call(nodes, ref) ? nodes[ref] : null;
  }

  function networkColour(network) {
    const i = state.analysis ? state.analysis.networks.indexOf(network) : -1;
    return i < 0 ? NO_NETWORK : NETWORK_COLOURS[i % NETWORK_COLOURS.length];
  }

  function nodeData(n) {
    const kind = kindKey(n.kind);
    const hub = isHub(n);
    let label = truncate(nodeName(n), LABEL_MAX);
    if (hub) label += ` · ${n.degree} links`;
    let colour = KIND_COLOURS[kind];
    let border = 1;
    let size = hub ? 36 : 24;
    const an = analysisOf(n.ref);
    if (state.colourBy === 'analysis') {
      colour = an ? networkColour(an.network) : NO_NETWORK;
      const risk = an ? Math.max(0, Math.min(1, Number(an.risk) || 0)) : 0;
      border = 1 + Math.round(risk * 7);
      size += Math.round(risk * 12);
    }
    return { id: n.ref, label, kind, colour, border, size, shape: hub ? 'octagon' : KIND_SHAPES[kind] };
  }

  function linkId(l) {
    const swap = l.symmetric && l.to_ref < l.from_ref;
    const a = swap ? l.to_ref : l.from_ref;
    const b = swap ? l.from_ref : l.to_ref;
    return `${a}\u001f${l.type}\u001f${b}`;
  }

  function obsText(o) {
    const when = o.start || o.end ? `${o.start || '?'}..${o.end || ''}` : 'undated';
    return `${o.source || '?'} ${when} ×${o.count}`;
  }

  // ---- the graph ----

  const cy = cytoscape({
    container: $('cy'),
    elements: [],
    minZoom: 0.1,
    maxZoom: 4,
    boxSelectionEnabled: false,
    style: [
      { selector: 'node', style: {
        'background-color': 'data(colour)', shape: 'data(shape)', width: 'data(size)',
        height: 'data(size)', 'border-width': 'data(border)', 'border-color': '#1f2933',
        label: 'data(label)', 'font-size': 10, color: '#1f2933', 'text-valign': 'bottom',
        'text-margin-y': 3, 'text-wrap': 'ellipsis', 'text-max-width': '140px',
        'text-background-color': '#ffffff', 'text-background-opacity': 0.75,
        'text-background-padding': '1px' } },
      { selector: 'node.hub', style: { 'border-style': 'dashed', 'border-width': 3 } },
      { selector: 'node.masked', style: { 'background-opacity': 0.45, 'border-style': 'dotted' } },
      { selector: 'node.picked', style: {
        'underlay-color': '#f2c200', 'underlay-opacity': 0.6, 'underlay-padding': 7,
        'underlay-shape': 'ellipse' } },
      { selector: 'edge', style: {
        width: 1.5, 'line-color': '#9aa5b1', 'curve-style': 'bezier',
        'target-arrow-shape': 'data(arrow)', 'target-arrow-color': '#9aa5b1', 'arrow-scale': 0.8,
        label: 'data(type)', 'font-size': 7, color: '#52606d', 'text-rotation': 'autorotate',
        'text-background-color': '#ffffff', 'text-background-opacity': 0.8 } },
      { selector: ':selected', style: { 'border-color': '#d7263d', 'border-width': 4,
        'line-color': '#d7263d', 'target-arrow-color': '#d7263d' } },
      { selector: 'edge.path', style: {
        'line-color': '#d7263d', 'target-arrow-color': '#d7263d', width: 4, 'z-index': 10 } },
      { selector: 'node.path', style: { 'border-color': '#d7263d', 'border-width': 4 } },
      { selector: '.faded', style: { opacity: 0.2 } },
      { selector: '.filtered', style: { display: 'none' } },
    ],
  });
  window.trafnetView = cy;  // for the end-to-end test and the browser console

  function clearGraph() {
    cy.elements().remove();
    state.nodes.clear();
    state.links.clear();
  }

  function classesOf(n) {
    return [isHub(n) ? 'hub' : '', n.masked ? 'masked' : '', state.picked.includes(n.ref) ? 'picked' : '']
      .filter(Boolean).join(' ');
  }

  // Adds a subgraph ({nodes, links}) to the view; nodes already there are updated, never
  // duplicated. New nodes start around `near` so the layout does not fling them far.
  function merge(sub, near) {
    const origin = near && cy.getElementById(near).length ? cy.getElementById(near).position() : null;
    let added = 0;
    cy.batch(() => {
      for (const n of sub.nodes || []) {
        if (!n || typeof n.ref !== 'string') continue;
        state.nodes.set(n.ref, n);
        const existing = cy.getElementById(n.ref);
        if (existing.length) {
          existing.data(nodeData(n));
          existing.classes(classesOf(n));
          continue;
        }
        const node = { group: 'nodes', data: nodeData(n), classes: classesOf(n) };
        if (origin) node.position = { x: origin.x + (Math.random() - 0.5) * 80, y: origin.y + (Math.random() - 0.5) * 80 };
        cy.add(node);
        added++;
      }
      for (const l of sub.links || []) {
        if (!l || !cy.getElementById(l.from_ref).length || !cy.getElementById(l.to_ref).length) continue;
        const id = linkId(l);
        state.links.set(id, l);
        if (cy.getElementById(id).length) continue;
        cy.add({ group: 'edges', data: {
          id, source: l.from_ref, target: l.to_ref, type: l.type, arrow: l.symmetric ? 'none' : 'triangle' } });
      }
    });
    return added;
  }

  // Resolves once the nodes are placed. Fitting a handful of nodes would blow them up to the
  // maximum zoom, so the zoom is capped, after the layout has finished drawing.
  function layout(randomize) {
    $('empty-hint').hidden = cy.nodes().length > 0;
    if (!cy.nodes().length) return Promise.resolve();
    return new Promise((resolve) => {
      const l = cy.layout({ name: 'cose', animate: false, randomize, fit: true, padding: 40,
        nodeRepulsion: () => 9000, idealEdgeLength: () => 70, nodeDimensionsIncludeLabels: true });
      l.one('layoutstop', () => setTimeout(() => {
        if (cy.zoom() > 1.5) cy.viewport({ zoom: 1.5, pan: { x: 0, y: 0 } }).center();
        resolve();
      }, 0));
      l.run();
    });
  }

  function refreshStyles() {
    cy.batch(() => {
      cy.nodes().forEach((e) => {
        const n = state.nodes.get(e.id());
        if (n) { e.data(nodeData(n)); e.classes(classesOf(n)); }
      });
    });
    renderLegend();
  }

  function viewSummary() {
    const shown = cy.elements().not('.filtered');
    return `${shown.nodes().length} nodes, ${shown.edges().length} links in view`;
  }

  // ---- neighbourhoods ----

  function windowParams() {
    return { since: $('since').value, until: $('until').value };
  }

  async function fetchNeighbourhood(q) {
    const sub = await api('neighbourhood', {
      id: q.id, hops: q.hops, ...windowParams(),
      expand_hubs: q.hubs ? 1 : undefined, limit: q.hubs ? 300 : undefined });
    return sub;
  }

  async function rebuild() {
    const picked = state.picked.slice();
    clearGraph();
    let truncated = false;
    for (const q of state.queries) {
      const sub = await fetchNeighbourhood(q);
      truncated = truncated || !!sub.truncated;
      merge(sub);
    }
    state.picked = picked.filter((r) => state.nodes.has(r));
    refreshStyles();
    await layout(true);
    renderTypeFilter();
    applyTypeFilter();
    renderPicked();
    if (state.queries.length) showNode(state.queries[0].id);
    return viewSummary() + (truncated ? ' (truncated: more exist)' : '') + '.';
  }

  function draw(ref) {
    state.queries = [{ id: ref, hops: Number($('hops').value) }];
    state.picked = [];
    return run('Loading neighbourhood', rebuild);
  }

  function expand(ref) {
    const n = state.nodes.get(ref);
    return run('Expanding', async () => {
      const q = { id: ref, hops: 1, hubs: !!(n && n.collapsed) };
      const sub = await fetchNeighbourhood(q);
      if (!state.queries.some((x) => x.id === q.id && x.hops >= 1 && x.hubs === q.hubs)) state.queries.push(q);
      const added = merge(sub, ref);
      refreshStyles();
      if (added) await layout(false);
      renderTypeFilter();
      applyTypeFilter();
      showNode(ref);
      return `Expanded ${truncate(refName(ref), 30)}: ${added} new nodes. ${viewSummary()}` +
        (sub.truncated ? ' (truncated)' : '') + '.';
    });
  }

  // ---- link-type filter ----

  function renderTypeFilter() {
    const box = $('type-filter');
    const types = [...new Set([...state.links.values()].map((l) => l.type))].sort();
    const legend = el('legend', null, 'Link types');
    box.replaceChildren(legend);
    if (!types.length) { box.append(el('span', 'muted', 'none yet')); return; }
    for (const t of types) {
      const label = el('label', 'check');
      const input = document.createElement('input');
      input.type = 'checkbox';
      input.checked = !state.hiddenTypes.has(t);
      input.addEventListener('change', () => {
        if (input.checked) state.hiddenTypes.delete(t); else state.hiddenTypes.add(t);
        applyTypeFilter();
        setStatus(viewSummary() + '.', 'ok');
      });
      label.append(input, ' ' + t);
      box.append(label);
    }
  }

  // Hides links of unticked types, then nodes left with no visible link (not the ones queried).
  function applyTypeFilter() {
    const anchors = new Set([...state.queries.map((q) => q.id), ...state.picked]);
    cy.batch(() => {
      cy.edges().forEach((e) => { e.toggleClass('filtered', state.hiddenTypes.has(e.data('type'))); });
      cy.nodes().forEach((n) => {
        const edges = n.connectedEdges();
        const keep = anchors.has(n.id()) || !edges.length || edges.some((e) => !e.hasClass('filtered'));
        n.toggleClass('filtered', !keep);
      });
    });
  }

  // ---- side panel ----

  function panel(...children) {
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

  function showNode(ref) {
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

  function showLink(id) {
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

  // ---- selection, paths, shared ----

  function setPick(slot, ref) {
    const others = state.picked.filter((r) => r !== ref);
    others.splice(Math.min(slot, others.length), 0, ref);
    state.picked = others;
    refreshStyles();
    renderPicked();
  }

  function togglePick(ref) {
    if (state.picked.includes(ref)) state.picked = state.picked.filter((r) => r !== ref);
    else state.picked.push(ref);
    refreshStyles();
    renderPicked();
  }

  function renderPicked() {
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

  function clearHighlight() {
    cy.elements().removeClass('path faded');
  }

  function highlightPaths(paths, linkIds) {
    clearHighlight();
    const on = cy.collection();
    for (const p of paths) {
      for (let i = 0; i < p.length; i++) {
        const node = cy.getElementById(p[i]);
        on.merge(node);
        if (i > 0) {
          const edges = cy.getElementById(p[i - 1]).edgesWith(node).filter((e) => linkIds.has(e.id()));
          on.merge(edges);
        }
      }
    }
    cy.elements().not(on).addClass('faded');
    on.addClass('path');
    return on;
  }

  function findPath() {
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

  function shared() {
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

  // ---- colour mode and legend ----

  function swatch(colour, shape) {
    const s = el('span', 'swatch ' + (shape || ''));
    s.style.backgroundColor = colour;
    return s;
  }

  function renderLegend() {
    const ul = $('legend');
    ul.replaceChildren();
    const item = (sw, text) => { const li = el('li'); li.append(sw, ' ' + text); ul.append(li); };
    if (state.colourBy === 'analysis' && state.analysis) {
      const inView = new Set();
      cy.nodes().forEach((e) => {
        const an = analysisOf(e.id());
        if (an && an.network) inView.add(String(an.network));
      });
      for (const net of [...inView].sort()) item(swatch(networkColour(net)), 'lead ' + net);
      item(swatch(NO_NETWORK), 'in no lead');
      item(el('span', 'swatch thick'), 'thicker, bigger: higher risk');
    } else {
      item(swatch(KIND_COLOURS.person, 'round'), 'person');
      item(swatch(KIND_COLOURS.phone, 'rounded'), 'phone');
      item(swatch(KIND_COLOURS.address, 'diamond'), 'address');
      item(swatch(KIND_COLOURS.other), 'other kind');
    }
    item(el('span', 'swatch hub'), 'hub (collapsed): degree in label');
    item(el('span', 'swatch masked'), 'victim (masked)');
    item(el('span', 'swatch picked'), 'selected (A, B, …)');
    item(el('span', 'swatch path'), 'path / shared');
  }

  // ---- export ----

  function download(blob, name) {
    const url = URL.createObjectURL(blob);
    const a = el('a');
    a.href = url;
    a.download = name;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  function stamp() { return new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19); }

  function xml(s) {
    return String(s)
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd')
      .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' }[c]));
  }

  function graphml() {
    const nodeKeys = { label: 'string', kind: 'string', ref: 'string', degree: 'long', masked: 'boolean',
      sources: 'string', attributes: 'string', network: 'string', risk: 'double' };
    const edgeKeys = { type: 'string', symmetric: 'boolean', when: 'string', count: 'long' };
    const out = ['<?xml version="1.0" encoding="UTF-8"?>',
      '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">'];
    for (const [k, t] of Object.entries(nodeKeys)) out.push(`  <key id="n_${k}" for="node" attr.name="${k}" attr.type="${t}"/>`);
    for (const [k, t] of Object.entries(edgeKeys)) out.push(`  <key id="e_${k}" for="edge" attr.name="${k}" attr.type="${t}"/>`);
    out.push('  <graph id="trafnet-view" edgedefault="directed">');
    const data = (prefix, values) => Object.entries(values)
      .filter(([, v]) => v !== '' && v !== undefined && v !== null)
      .map(([k, v]) => `      <data key="${prefix}_${k}">${xml(v)}</data>`);
    cy.nodes().not('.filtered').forEach((e) => {
      const n = state.nodes.get(e.id());
      if (!n) return;
      const an = analysisOf(n.ref) || {};
      const values = { label: nodeName(n), kind: n.kind, ref: n.ref, degree: n.degree, masked: !!n.masked,
        sources: (n.sources || []).join(';'), attributes: JSON.stringify(attrsOf(n)),
        network: an.network || '', risk: an.risk ?? '' };
      out.push(`    <node id="${xml(n.ref)}">`);
      out.push(...data('n', values));
      out.push('    </node>');
    });
    let i = 0;
    cy.edges().not('.filtered').forEach((e) => {
      const l = state.links.get(e.id());
      if (!l) return;
      const obs = l.observations || [];
      const values = { type: l.type, symmetric: !!l.symmetric, when: obs.map(obsText).join('; '),
        count: obs.reduce((s, o) => s + (Number(o.count) || 0), 0) };
      out.push(`    <edge id="e${i++}" source="${xml(l.from_ref)}" target="${xml(l.to_ref)}"` +
        (l.symmetric ? ' directed="false">' : '>'));
      out.push(...data('e', values));
      out.push('    </edge>');
    });
    out.push('  </graph>', '</graphml>', '');
    return out.join('\n');
  }

  // ---- wiring ----

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
    $('export-png').addEventListener('click', () => {
      if (!cy.nodes().length) { setStatus('Nothing to export.', 'error'); return; }
      download(cy.png({ output: 'blob', full: true, scale: 2, bg: '#ffffff' }), `trafnet-view-${stamp()}.png`);
    });
    $('export-graphml').addEventListener('click', () => {
      if (!cy.nodes().length) { setStatus('Nothing to export.', 'error'); return; }
      download(new Blob([graphml()], { type: 'application/graphml+xml' }), `trafnet-view-${stamp()}.graphml`);
    });

    cy.on('tap', 'node', (ev) => {
      const ref = ev.target.id();
      if (ev.originalEvent && ev.originalEvent.shiftKey) togglePick(ref);
      else showNode(ref);
    });
    cy.on('dbltap', 'node', (ev) => expand(ev.target.id()));
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
}());
