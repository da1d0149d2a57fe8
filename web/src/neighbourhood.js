// Neighbourhoods: what the view is made of. Picking a search result draws one; expanding a node
// adds its 1-hop neighbourhood; a change of dates or hops re-runs them all.
import { $, truncate } from './dom.js';
import { refName, state } from './model.js';
import { api, run } from './api.js';
import { applyTypeFilter, clearGraph, layout, merge, refreshStyles, renderTypeFilter, viewSummary } from './graph.js';
import { renderPicked, showNode } from './panel.js';

export function windowParams() {
  return { since: $('since').value, until: $('until').value };
}

async function fetchNeighbourhood(q) {
  const sub = await api('neighbourhood', {
    id: q.id, hops: q.hops, ...windowParams(),
    expand_hubs: q.hubs ? 1 : undefined, limit: q.hubs ? 300 : undefined });
  return sub;
}

// Redraws the view from its queries (state.queries), e.g. after the dates or the hops changed.
export async function rebuild() {
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

export function draw(ref) {
  state.queries = [{ id: ref, hops: Number($('hops').value) }];
  state.picked = [];
  return run('Loading neighbourhood', rebuild);
}

export function expand(ref) {
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
