#!/usr/bin/env node
// End-to-end test of the investigator page: a tiny synthetic world is ingested, `trafnet serve`
// runs on a free loopback port, and headless Chromium (Debian's, driven by playwright-core from
// web/node_modules) searches a phone written another way, draws and expands its neighbourhood,
// finds a path, shows a name made of HTML as text, exports, and takes a screenshot.
//
//   node tests/web/investigator_page.test.mjs --trafnet build/dev/tools/trafnet --out DIR
//        [--chromium /usr/bin/chromium] [--keep]
//
// Exit code 0 when every check passes, 1 on the first failure (with its reason), 2 on a bad
// command line, 77 when playwright-core or the browser is missing. The server and the browser are always stopped; the temporary folder is removed
// unless --keep.
import { createRequire } from 'node:module';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const OVERALL_TIMEOUT_MS = 90_000;
const STEP_TIMEOUT_MS = 15_000;
const XSS_NAME = '<img src=x onerror=alert(1)>';
const CASE_NO = 'KTR-E2E/2026';

const here = path.dirname(fileURLToPath(import.meta.url));
const webDir = path.resolve(here, '../../web');

function parseArgs(argv) {
  const opts = { trafnet: '', out: '', chromium: process.env.CHROMIUM_PATH || '/usr/bin/chromium', keep: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--keep') opts.keep = true;
    else if (['--trafnet', '--out', '--chromium'].includes(a) && i + 1 < argv.length) opts[a.slice(2)] = argv[++i];
    else usage(`unknown argument '${a}'`);
  }
  if (!opts.trafnet || !opts.out) usage('--trafnet and --out are required');
  return opts;
}

function usage(message) {
  console.error(`investigator_page.test: ${message}\n` +
    'usage: node investigator_page.test.mjs --trafnet PATH --out DIR [--chromium PATH] [--keep]');
  process.exit(2);
}

function ok(what) { console.log(`ok    ${what}`); }

function expect(condition, message) {
  if (!condition) throw new Error(message);
}

// ---- the world ----

function writeWorld(dir) {
  fs.mkdirSync(dir, { recursive: true });
  const files = {
    'persons.csv': [
      'id,name,birth_date,gender,nationality,status,source',
      'P1,Marko Marković,1985-03-02,M,RS,suspect,MUP-RS',
      `P2,${XSS_NAME},1990-01-01,M,RS,,MUP-RS`,
      'P3,Jelena Jovanović,2004-05-06,F,RS,victim,MUP-RS',
      'P4,Ivan Ivanović,1979-07-08,M,RS,suspect,BIA',
      'P5,Milan Milić,1982-09-10,M,RS,,BIA',
    ],
    'phones.csv': ['number,country,kind', '064/123-4567,RS,mobile', '065 111 2233,RS,mobile'],
    'addresses.csv': ['id,text,city,country,kind', 'A1,Bulevar oslobođenja 12,Novi Sad,RS,residential'],
    // P1 and P4 are 4 links apart: P1 → phone ← P2 → A1 ← P4.
    'links.csv': [
      'from,to,type,start,end,count,source',
      'person:P1,phone:064/123-4567,USES,2024-01-01,2024-06-30,1,MUP-RS',
      'person:P2,phone:064/123-4567,USES,2024-02-01,,1,MUP-RS',
      'person:P2,address:A1,LIVES_AT,2023-05-01,,1,MUP-RS',
      'person:P3,address:A1,STAYED_AT,2024-03-01,2024-03-20,1,MUP-RS',
      'person:P4,address:A1,LIVES_AT,2022-01-01,,1,BIA',
      'person:P4,phone:065 111 2233,USES,,,1,BIA',
      'person:P4,person:P5,KNOWS,,,1,BIA',
    ],
  };
  for (const [name, lines] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), lines.join('\n') + '\n');
}

// ---- the server ----

function startServer(trafnet, tmp) {
  const child = spawn(trafnet, ['serve', '--db', path.join(tmp, 'db'), '--port', '0',
    '--token-file', path.join(tmp, 'token')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const ready = new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('trafnet serve printed no "listening on" line in 10 s')), 10_000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      const open = /open \S*#token=(\S+)/.exec(out);
      if (m && open) { clearTimeout(timer); resolve({ url: m[1], printedToken: open[1] }); }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`trafnet serve exited with ${code} before listening: ${stderr.trim()}`));
    });
  });
  return { child, ready, stderr: () => stderr };
}

async function stopServer(server) {
  const child = server && server.child;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

// ---- page helpers ----

async function idle(page) {
  await page.waitForFunction(() => document.body.dataset.busy === '0', null, { timeout: STEP_TIMEOUT_MS });
}

async function nodeCount(page) {
  return page.evaluate(() => window.trafnetView.nodes().not('.filtered').length);
}

async function waitNodes(page, n) {
  await page.waitForFunction((want) => window.trafnetView && window.trafnetView.nodes().length === want,
    n, { timeout: STEP_TIMEOUT_MS }).catch(async () => {
    throw new Error(`expected ${n} nodes in the view, found ${await nodeCount(page)}; status: ` +
      await page.textContent('#status'));
  });
  await idle(page);
}

// Where a node is drawn, in page coordinates.
async function nodePoint(page, ref) {
  const p = await page.evaluate((r) => {
    const cy = window.trafnetView;
    const n = cy.getElementById(r);
    if (!n.length) return null;
    const box = cy.container().getBoundingClientRect();
    const pos = n.renderedPosition();
    return { x: box.left + pos.x, y: box.top + pos.y };
  }, ref);
  expect(p, `node ${ref} is not in the view`);
  return p;
}

async function statusText(page) { return (await page.textContent('#status')) || ''; }

// ---- the test ----

// Exit code 77 (ctest's SKIP_RETURN_CODE, if set) when the browser or its driver is missing.
function loadPlaywright(opts) {
  let playwright;
  try {
    playwright = createRequire(path.join(webDir, 'package.json'))('playwright-core');
  } catch (e) {
    console.log(`SKIP  playwright-core is not installed in ${webDir}/node_modules: run npm ci --prefix web`);
    process.exit(77);
  }
  if (!fs.existsSync(opts.chromium)) {
    console.log(`SKIP  no browser at ${opts.chromium}: install Debian's chromium or pass --chromium`);
    process.exit(77);
  }
  return playwright;
}

async function main(opts, resources) {
  const { chromium } = loadPlaywright(opts);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'trafnet-web-'));
  resources.tmp = tmp;
  fs.mkdirSync(opts.out, { recursive: true });

  writeWorld(path.join(tmp, 'world'));
  const ingest = spawnSync(opts.trafnet, ['ingest', '--db', path.join(tmp, 'db'), '--report-dir',
    path.join(tmp, 'rep'), path.join(tmp, 'world')], { encoding: 'utf8', timeout: 30_000 });
  const said = `${ingest.stdout}${ingest.stderr}${ingest.error ? ingest.error.message : ''}`;
  expect(ingest.status === 0, `trafnet ingest exited with ${ingest.status}:\n${said}`);
  expect(!/rows, [1-9]\d* rejected|rejected\s+[1-9]/.test(said), 'ingest rejected rows of the test world:\n' + said);
  ok('ingest a 5-person world (a name made of HTML, a victim, a phone written 064/123-4567)');

  resources.server = startServer(opts.trafnet, tmp);
  const { url, printedToken } = await resources.server.ready;
  let token = printedToken;
  const tokenFile = path.join(tmp, 'token');
  for (let i = 0; i < 50 && !fs.existsSync(tokenFile); i++) await new Promise((r) => setTimeout(r, 100));
  expect(fs.existsSync(tokenFile), `trafnet serve created no token file ${tokenFile}`);
  token = fs.readFileSync(tokenFile, 'utf8').trim();
  expect(token === printedToken, 'the token file and the printed link hold different tokens');
  ok(`trafnet serve listens on ${url}`);

  const noToken = await fetch(url + 'api/me');
  expect(noToken.status === 401, `GET /api/me without a token gave ${noToken.status}, not 401`);
  const badToken = await fetch(url + 'api/lookup?phone=0641234567', { headers: { Authorization: 'Bearer wrong' } });
  expect(badToken.status === 401, `GET /api/lookup with a wrong token gave ${badToken.status}, not 401`);
  ok('API requests without a token or with a wrong one get 401');

  const root = await fetch(url);
  const csp = root.headers.get('content-security-policy') || '';
  expect(root.status === 200 && /script-src 'self'/.test(csp) && !/unsafe-(inline|eval)/.test(csp),
    `GET / gave ${root.status} with CSP '${csp}'`);
  ok('the page is served without a token, under a strict Content-Security-Policy');

  resources.browser = await chromium.launch({ executablePath: opts.chromium, args: ['--no-sandbox'] });
  const context = await resources.browser.newContext({ viewport: { width: 1400, height: 860 }, acceptDownloads: true });
  const page = await context.newPage();
  resources.page = page;
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  const problems = [];
  page.on('dialog', (d) => { problems.push(`a ${d.type()} dialog opened: ${d.message()}`); d.dismiss().catch(() => {}); });
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' || /Content Security Policy|Refused to/.test(m.text())) problems.push('console: ' + m.text());
  });
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation',
      (e) => window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`));
  });
  const checkClean = async (where) => {
    const csp = await page.evaluate(() => window.__csp);
    expect(!csp.length, `CSP violations ${where}: ${csp.join('; ')}`);
    expect(!problems.length, `${where}: ${problems.join('; ')}`);
  };

  await page.goto(`${url}#token=${token}`);
  await idle(page);
  await page.waitForFunction(() => /Signed in/.test(document.getElementById('status').textContent));
  expect(!page.url().includes('#'), `the token stayed in the address bar: ${page.url()}`);
  expect(await page.isHidden('#token-form'), 'the token prompt is showing although the link carried the token');
  await checkClean('on load');
  ok('the page takes the token from the link, removes it from the address bar and signs in');

  if (await page.isHidden('#case-form')) await page.click('#case-change');
  await page.fill('#case-input', CASE_NO);
  await page.click('#case-form button[type=submit]');
  expect(await page.textContent('#case-shown') === CASE_NO, 'the header does not show the case number');
  const apiCalls = [];
  page.on('request', (r) => { if (new URL(r.url()).pathname.startsWith('/api/')) apiCalls.push(r); });
  ok(`the case number ${CASE_NO} is set and shown in the header`);

  await page.selectOption('#search-kind', 'phone');
  await page.fill('#search-text', '+381 64 1234567');
  await page.click('#search-form button[type=submit]');
  await page.waitForSelector('#results button.result');
  await idle(page);
  const results = await page.$$eval('#results button.result', (bs) => bs.map((b) => b.textContent));
  expect(results.length === 1 && results[0].includes('+381641234567'),
    `searching +381 64 1234567 listed ${JSON.stringify(results)}`);
  ok('searching the phone as +381 64 1234567 finds +381641234567');

  await page.click('#results button.result');
  await waitNodes(page, 4);
  const labels = await page.evaluate(() => window.trafnetView.nodes().map((n) => n.data('label')));
  expect(labels.includes(XSS_NAME), `the neighbourhood lacks the person named ${XSS_NAME}: ${labels}`);
  ok('picking it draws its 2-hop neighbourhood: the phone, its 2 users and an address (4 nodes)');

  const a1 = await nodePoint(page, 'address:A1');
  await page.mouse.dblclick(a1.x, a1.y);
  await waitNodes(page, 6);
  const victim = await page.evaluate(() => {
    const n = window.trafnetView.getElementById('person:P3');
    return n.length ? { label: n.data('label'), masked: n.hasClass('masked') } : null;
  });
  expect(victim, 'expanding the address did not bring the victim');
  expect(victim.masked ? victim.label === 'victim (masked)' : victim.label === 'Jelena Jovanović',
    `the victim is drawn as '${victim.label}' (masked: ${victim.masked})`);
  ok(`double-clicking the address expands it: 6 nodes, no duplicates; the victim shows as '${victim.label}'`);

  // Two clicks on two different nodes in quick succession are two picks, not a double click
  // (Cytoscape reports any two quick taps as a double tap on the second one's node).
  const q1 = await nodePoint(page, 'person:P1');
  const q4 = await nodePoint(page, 'person:P4');
  await page.mouse.click(q1.x, q1.y);
  await page.mouse.click(q4.x, q4.y);
  await idle(page);
  await page.waitForTimeout(400);
  await idle(page);
  const afterQuickClicks = await page.evaluate(() => window.trafnetView.nodes().map((n) => n.id()).sort());
  expect(afterQuickClicks.length === 6,
    `clicking P1 and then P4 quickly expanded P4: the view has ${JSON.stringify(afterQuickClicks)}`);
  ok('clicking two different nodes in quick succession expands neither');

  const edgeIds = await page.evaluate(() => window.trafnetView.edges().map((e) => e.id()));
  expect(new Set(edgeIds).size === edgeIds.length && edgeIds.length === 5,
    `the view should hold 5 distinct links, holds ${edgeIds.length}`);

  const p2 = await nodePoint(page, 'person:P2');
  await page.mouse.click(p2.x, p2.y);
  await page.waitForSelector('#panel p:text-is("person · person:P2")');
  const imgs = await page.$$eval('img', (list) => list.length);
  expect(imgs === 0, `the page holds ${imgs} <img> element(s): a name became markup`);
  const title = await page.textContent('#panel .node-title');
  expect(title === XSS_NAME, `the panel shows the person as '${title}', not as the text ${XSS_NAME}`);
  await checkClean('after showing the HTML-named person');
  ok(`the name ${XSS_NAME} displays literally in the graph and the panel; nothing runs`);

  const p1 = await nodePoint(page, 'person:P1');
  await page.mouse.click(p1.x, p1.y);
  await page.waitForFunction(() => document.querySelector('#panel .node-title')?.textContent === 'Marko Marković');
  await page.click('#panel button:text-is("Set as A")');
  const p4 = await nodePoint(page, 'person:P4');
  await page.keyboard.down('Shift');
  await page.mouse.click(p4.x, p4.y);
  await page.keyboard.up('Shift');
  const picked = await page.$$eval('#picked li', (lis) => lis.map((li) => li.textContent));
  expect(picked.length === 2, `selecting A and B listed ${JSON.stringify(picked)}`);
  await page.click('#find-path');
  await page.waitForFunction(() => window.trafnetView.nodes('.path').length > 0);
  await idle(page);
  const highlighted = await page.evaluate(() => ({
    nodes: window.trafnetView.nodes('.path').map((n) => n.id()).sort(),
    edges: window.trafnetView.edges('.path').length,
  }));
  const wantPath = ['address:A1', 'person:P1', 'person:P2', 'person:P4', 'phone:+381641234567'];
  expect(JSON.stringify(highlighted.nodes) === JSON.stringify(wantPath) && highlighted.edges === 4,
    `the path P1 → P4 highlights ${JSON.stringify(highlighted)}; status: ${await statusText(page)}`);
  ok('the path finder links P1 and P4 in 4 links through the phone and the address, highlighted');

  const download = async (button) => {
    const [d] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
    const file = path.join(tmp, d.suggestedFilename());
    await d.saveAs(file);
    return fs.readFileSync(file);
  };
  const graphml = (await download('#export-graphml')).toString('utf8');
  expect(graphml.includes('&lt;img src=x onerror=alert(1)&gt;') && !graphml.includes('<img'),
    'the GraphML export does not escape the HTML name');
  const exportedNodes = [...graphml.matchAll(/<node id="([^"]*)"/g)].map((m) => m[1]);
  expect(exportedNodes.length === 6,
    `the GraphML export holds ${exportedNodes.length} nodes, not the 6 of the view: ${JSON.stringify(exportedNodes)}; the view has ${JSON.stringify(await page.evaluate(() => window.trafnetView.nodes().map((n) => n.id()).sort()))}`);
  const png = await download('#export-png');
  expect(png.subarray(1, 4).toString() === 'PNG', 'the PNG export is not a PNG');
  ok('the view exports as GraphML (names escaped) and as PNG');

  const shown = spawnSync(opts.trafnet, ['audit', 'show', '--db', path.join(tmp, 'db'), '--action', 'export', '--json'],
    { encoding: 'utf8', timeout: 30_000 });
  expect(shown.status === 0, `trafnet audit show exited with ${shown.status}: ${shown.stderr}`);
  const exports = JSON.parse(shown.stdout);
  const formats = exports.map((r) => Object.fromEntries(r.parameters.map((p) => [p.name ?? p[0], p.value ?? p[1]])).format);
  expect(exports.length === 2 && formats.join(',') === 'graphml,png',
    `the audit trail holds ${exports.length} export records (${formats.join(',')}), not graphml then png:\n${shown.stdout}`);
  expect(exports.every((r) => r.ids.length === 6 && r.ids.includes('person:P2') && r.justification === CASE_NO &&
    r.outcome === 'ok'), `the export records do not name the 6 exported nodes and the case:\n${shown.stdout}`);
  ok('both exports are in the audit trail, with the case number and the 6 nodes each file holds');

  const withoutCase = apiCalls.filter((r) => r.headers()['x-trafnet-case'] !== CASE_NO).map((r) => r.url());
  expect(apiCalls.length >= 4 && !withoutCase.length, `API calls without the case number: ${withoutCase.join(', ')}`);
  ok(`all ${apiCalls.length} API calls since carried X-Trafnet-Case`);

  await page.screenshot({ path: path.join(opts.out, 'investigator.png') });
  await checkClean('at the end');
  ok(`no dialog, page error or CSP violation; screenshot ${path.join(opts.out, 'investigator.png')}`);
}

async function cleanup(opts, resources, failed) {
  if (failed && resources.page) {
    await resources.page.screenshot({ path: path.join(opts.out, 'investigator-failure.png') }).catch(() => {});
  }
  if (resources.browser) await resources.browser.close().catch(() => {});
  await stopServer(resources.server).catch(() => {});
  if (failed && resources.server) {
    const err = resources.server.stderr().trim();
    if (err) console.error('trafnet serve stderr:\n' + err.split('\n').slice(-20).join('\n'));
  }
  if (resources.tmp && !opts.keep) fs.rmSync(resources.tmp, { recursive: true, force: true });
  else if (resources.tmp) console.log(`kept ${resources.tmp}`);
}

const opts = parseArgs(process.argv.slice(2));
const resources = {};
let timer;
const timeout = new Promise((_, reject) => {
  timer = setTimeout(() => reject(new Error(`timed out after ${OVERALL_TIMEOUT_MS / 1000} s`)), OVERALL_TIMEOUT_MS);
});
let code = 0;
try {
  await Promise.race([main(opts, resources), timeout]);
  console.log('PASS investigator page');
} catch (e) {
  console.error(`FAIL  ${e.message}`);
  code = 1;
}
clearTimeout(timer);
await cleanup(opts, resources, code !== 0);
process.exit(code);
