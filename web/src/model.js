// What the view holds, and how a node or a link is named: shared by every part of the page.

export const state = {
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

export function attrsOf(n) { return n.attributes || n.fields || {}; }

export function nodeName(n) {
  if (!n) return '?';
  if (n.masked) return 'victim (masked)';
  const a = attrsOf(n);
  if (n.kind === 'person' && a.name) return a.name;
  if (n.kind === 'address' && (a.text || a.city)) return [a.text, a.city].filter(Boolean).join(', ');
  return n.id;
}

export function refName(ref) {
  const n = state.nodes.get(ref);
  return n ? nodeName(n) : ref;
}

export function isHub(n) {
  return !!n.collapsed && !state.queries.some((q) => q.id === n.ref && q.hubs);
}

// The analysis facts about a node, or null (own keys only: refs come from the data).
export function analysisOf(ref) {
  const nodes = state.analysis && state.analysis.nodes;
  return nodes && Object.prototype.hasOwnProperty.call(nodes, ref) ? nodes[ref] : null;
}

export function linkId(l) {
  const swap = l.symmetric && l.to_ref < l.from_ref;
  const a = swap ? l.to_ref : l.from_ref;
  const b = swap ? l.from_ref : l.to_ref;
  return `${a}\u001f${l.type}\u001f${b}`;
}

export function obsText(o) {
  const when = o.start || o.end ? `${o.start || '?'}..${o.end || ''}` : 'undated';
  return `${o.source || '?'} ${when} ×${o.count}`;
}
