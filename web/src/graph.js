// The graph: Cytoscape (loaded before this module as the global `cytoscape`), its styles, what
// a node looks like (by kind, or by lead and risk), merging subgraphs into the view without
// duplicates, the layout, the link-type filter, highlighting, and the legend.
//
// Labels are drawn by Cytoscape on a canvas: no markup. Styles set from script go through the
// CSSOM (element.style), which the Content-Security-Policy allows.
import { $, el, setStatus, truncate } from './dom.js';
import { analysisOf, isHub, linkId, nodeName, state } from './model.js';

const KIND_COLOURS = { person: '#3b6fb6', phone: '#2f9e63', address: '#d98a1a', other: '#8a63c4' };
const KIND_SHAPES = { person: 'ellipse', phone: 'round-rectangle', address: 'diamond', other: 'hexagon' };
const NETWORK_COLOURS = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#42d4f4',
  '#f032e6', '#9a6324', '#469990', '#808000', '#000075', '#dcbeff'];
const NO_NETWORK = '#c9ced4';
const LABEL_MAX = 40;

function kindKey(kind) { return KIND_COLOURS[kind] ? kind : 'other'; }

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

export const cy = cytoscape({
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

export function clearGraph() {
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
export function merge(sub, near) {
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
export function layout(randomize) {
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

export function refreshStyles() {
  cy.batch(() => {
    cy.nodes().forEach((e) => {
      const n = state.nodes.get(e.id());
      if (n) { e.data(nodeData(n)); e.classes(classesOf(n)); }
    });
  });
  renderLegend();
}

export function viewSummary() {
  const shown = cy.elements().not('.filtered');
  return `${shown.nodes().length} nodes, ${shown.edges().length} links in view`;
}

// Link-type filter: a checkbox per link type in the view.
export function renderTypeFilter() {
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
export function applyTypeFilter() {
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

// Paths and shared nodes are highlighted, the rest faded.
export function clearHighlight() {
  cy.elements().removeClass('path faded');
}

export function highlightPaths(paths, linkIds) {
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

// The legend follows the colour mode: by kind, or by lead and risk from the analysis report.
function swatch(colour, shape) {
  const s = el('span', 'swatch ' + (shape || ''));
  s.style.backgroundColor = colour;
  return s;
}

export function renderLegend() {
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
