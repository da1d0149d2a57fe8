// Talking to trafnet serve's /api/: the access token and the case number (kept in this tab's
// sessionStorage and sent as headers), the prompts for them, and the fetch wrapper whose
// errors reach the status line (docs/web.md).
import { $, setStatus } from './dom.js';
import { state } from './model.js';

// Header values must be printable ASCII (fetch throws on anything else).
export const TOKEN_RE = /^[\x21-\x7e]{1,512}$/;
export const CASE_RE = /^[\x20-\x7e]{1,64}$/;

// Returns whether the address carried a token (it is then stored and taken out of the address).
export function takeTokenFromFragment() {
  const params = new URLSearchParams(location.hash.replace(/^#/, ''));
  const token = params.get('token');
  if (token === null) return false;
  history.replaceState(null, '', location.pathname + location.search);
  if (!TOKEN_RE.test(token)) return false;
  sessionStorage.setItem('trafnet.token', token);
  return true;
}

export function showGate(which) {
  $('gate').hidden = !which;
  $('token-form').hidden = which !== 'token';
  $('case-form').hidden = which !== 'case';
  if (which === 'token') $('token-input').focus();
  if (which === 'case') {
    $('case-input').value = state.caseNo;
    $('case-input').focus();
  }
}

export function askToken(message) {
  state.token = '';
  sessionStorage.removeItem('trafnet.token');
  showGate('token');
  if (message) setStatus(message + ' — enter the access token.', 'error');
}

export function askCase() { showGate('case'); }

export function showCase() { $('case-shown').textContent = state.caseNo || 'none'; }

class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

export async function api(path, params) {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
  }
  const query = qs.toString();
  return call('GET', path + (query ? '?' + query : ''), undefined);
}

// POSTs a JSON body (only the export record takes one).
export async function apiPost(path, body) {
  return call('POST', path, JSON.stringify(body));
}

async function call(method, pathAndQuery, payload) {
  const headers = { Authorization: 'Bearer ' + state.token, Accept: 'application/json' };
  if (state.caseNo) headers['X-Trafnet-Case'] = state.caseNo;
  if (payload !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch('api/' + pathAndQuery, {
      method,
      headers,
      body: payload,
      cache: 'no-store',
      credentials: 'omit',
      redirect: 'error'
    });
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
export async function run(what, fn) {
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
