// Exporting the current view (what is visible) as PNG or GraphML, downloaded by the browser.
// Every export is first recorded in the audit trail (POST api/export with the refs of the nodes
// the file will hold); the file is saved only when the server has recorded it.
import {apiPost, run} from './api.js';
import {el, setStatus} from './dom.js';
import {cy} from './graph.js';
import {analysisOf, attrsOf, nodeName, obsText, state} from './model.js';

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

// The visible view as GraphML, built here: every text is escaped for XML.
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

// What the file will hold — the visible nodes and links (filtered ones are not drawn either) —
// as the audit record names it.
function exported() {
  const nodes = cy.nodes().not('.filtered');
  const edges = cy.edges().not('.filtered');
  const refs = [];
  nodes.forEach((e) => {
    const n = state.nodes.get(e.id());
    if (n) refs.push(n.ref);
  });
  return {refs, links: edges.length};
}

async function recordThenSave(format, make, name) {
  const {refs, links} = exported();
  if (!refs.length) {
    setStatus('Nothing to export.', 'error');
    return;
  }
  await run(`Export ${format.toUpperCase()}`, async () => {
    await apiPost('export', {format, refs, links});
    download(make(), name);
    return `Exported ${refs.length} nodes as ${
        format.toUpperCase()} (recorded in the audit trail).`;
  });
}

export function exportPng() {
  return recordThenSave(
      'png', () => cy.png({output: 'blob', full: true, scale: 2, bg: '#ffffff'}),
      `trafnet-view-${stamp()}.png`);
}

export function exportGraphml() {
  return recordThenSave(
      'graphml', () => new Blob([graphml()], {type: 'application/graphml+xml'}),
      `trafnet-view-${stamp()}.graphml`);
}
