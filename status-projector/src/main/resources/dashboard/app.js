// pxops dashboard: plain JavaScript, no library. Every call carries the user's bearer token; the projector answers
// as its HTTP API does (401/403 shown as they come). Live changes arrive over SSE (a fetch stream, because
// EventSource cannot send an Authorization header).
'use strict';

const PAGE_SIZE = 25;
const state = {
  token: sessionStorage.getItem('pxops.token') || '',
  view: null, ns: null, name: null,
  pages: { fleet: 0, failed: 0, pending: 0 },
  filters: { namespace: '', phase: '', version: '' },
  current: null, // the request shown in the request view
  stream: null,
};

// ---- small helpers ---------------------------------------------------------------------------------------------

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined) continue;
    if (k === 'class') e.className = v; else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children) {
    if (c === null || c === undefined) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

const SYMBOL = { Successful: '✓', Failed: '✗', Progressing: '▶', Pending: '…', Skipped: '–',
  WaitingForWindow: '◷', Completed: '✓', Running: '▶', AwaitingApproval: '⏸', Paused: '⏸', BudgetExhausted: '✗',
  Cancelled: '–' };

function phaseBadge(phase) {
  const p = phase || 'Unknown';
  return el('span', { class: 'phase phase-' + p, 'data-phase': p }, (SYMBOL[p] || '?') + ' ' + p);
}

function relative(iso) {
  if (!iso) return el('span', {}, '—');
  const t = new Date(iso);
  return el('time', { datetime: iso, title: t.toLocaleString() + ' (' + iso + ')', class: 'rel' }, ago(t));
}

function ago(t) {
  const s = Math.round((Date.now() - t.getTime()) / 1000);
  if (s < 5) return 'just now';
  if (s < 60) return s + ' s ago';
  if (s < 3600) return Math.floor(s / 60) + ' min ago';
  if (s < 86400) return Math.floor(s / 3600) + ' h ago';
  return Math.floor(s / 86400) + ' d ago';
}

function seconds(iso) { // ISO-8601 duration as Jackson writes it (PT1.234S, PT2M3S) → seconds
  if (!iso) return null;
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?$/.exec(iso);
  if (!m) return null;
  return (+(m[1] || 0)) * 3600 + (+(m[2] || 0)) * 60 + (+(m[3] || 0));
}

function fmtSeconds(s) {
  if (s === null || s === undefined) return '';
  if (s < 60) return s.toFixed(1) + ' s';
  if (s < 3600) return Math.floor(s / 60) + ' min ' + Math.round(s % 60) + ' s';
  return Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min';
}

function requestLink(key) {
  const [ns, name] = key.split('/');
  return el('a', { href: '#/r/' + ns + '/' + name, class: 'req' }, key);
}

function showError(text) {
  const box = document.getElementById('error');
  box.textContent = text || '';
  box.hidden = !text;
}

async function api(path, options) {
  const headers = { Accept: 'application/json' };
  if (state.token) headers.Authorization = 'Bearer ' + state.token;
  const res = await fetch(path, Object.assign({ headers }, options || {}));
  let body = null;
  try { body = await res.json(); } catch (e) { body = null; }
  if (!res.ok) {
    const msg = res.status + ' ' + ((body && body.error) || res.statusText) + ': ' + ((body && body.message) || '');
    const err = new Error(msg);
    err.status = res.status;
    throw err;
  }
  return body;
}

function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== '' && v !== null && v !== undefined) q.set(k, v);
  return q.toString();
}

// ---- routing ---------------------------------------------------------------------------------------------------

function route() {
  const h = location.hash;
  const tokenMatch = /^#token=([^&]*)/.exec(h);
  if (tokenMatch) { // a link with the token in its fragment (never sent to a server): keep it for this tab only
    setToken(decodeURIComponent(tokenMatch[1]));
    history.replaceState(null, '', '#/');
  }
  const r = /^#\/r\/([^/]+)\/([^/]+)$/.exec(location.hash);
  const j = /^#\/json\/([^/]+)\/([^/]+)$/.exec(location.hash);
  for (const id of ['fleet-view', 'request-view', 'json-view']) document.getElementById(id).hidden = true;
  if (r) {
    state.view = 'request'; state.ns = r[1]; state.name = r[2]; state.current = null;
    document.getElementById('request-view').hidden = false;
    clearRequestView();
  } else if (j) {
    state.view = 'json'; state.ns = j[1]; state.name = j[2];
    document.getElementById('json-view').hidden = false;
  } else {
    state.view = 'fleet';
    document.getElementById('fleet-view').hidden = false;
  }
  refresh();
}

function setToken(t) {
  state.token = t;
  sessionStorage.setItem('pxops.token', t);
  openStream();
}

let refreshTimer = null;
function refreshSoon(ms) { // a burst of changes costs one reload
  if (refreshTimer) return;
  refreshTimer = setTimeout(() => { refreshTimer = null; refresh(); }, ms);
}

async function refresh() {
  try {
    if (state.view === 'fleet') await loadFleet();
    else if (state.view === 'request') await loadRequest();
    else if (state.view === 'json') await loadJson();
    showError('');
  } catch (e) {
    showError(e.message);
  }
}

// ---- fleet -----------------------------------------------------------------------------------------------------

async function loadFleet() {
  const f = state.filters;
  const [fleet, failed, pending] = await Promise.all([
    api('/api/v1/dashboard/fleet?' + query(Object.assign({ page: state.pages.fleet, size: PAGE_SIZE }, f))),
    api('/api/v1/dashboard/requests?' + query({ namespace: f.namespace, version: f.version, phase: 'Failed',
      page: state.pages.failed, size: PAGE_SIZE })),
    api('/api/v1/dashboard/requests?' + query({ namespace: f.namespace, version: f.version, phase: 'Pending',
      page: state.pages.pending, size: PAGE_SIZE })),
  ]);
  fill('fleet', fleet.items.map(d => el('tr', { 'data-database': d.database },
    el('td', {}, d.database), el('td', {}, d.version || '—'), el('td', {}, requestLink(d.currentRequest)),
    el('td', {}, phaseBadge(d.phase)), el('td', {}, relative(d.updatedAt)), el('td', {}, d.requests))));
  pager('fleet', fleet, 'databases');
  fill('failed', failed.items.map(s => el('tr', { 'data-request': s.opsRequest },
    el('td', {}, requestLink(s.opsRequest)), el('td', {}, s.database), el('td', {}, s.targetVersion || ''),
    el('td', {}, s.failure ? (s.failure.step || '') + (s.failure.pod ? ' ' + s.failure.pod : '') : ''),
    el('td', { class: 'reason' }, reason(s)), el('td', {}, relative(s.finishedAt || s.updatedAt)),
    el('td', {}, actionButton(s, 'replay')))));
  pager('failed', failed, 'failed requests');
  fill('pending', pending.items.map(s => el('tr', { 'data-request': s.opsRequest },
    el('td', {}, requestLink(s.opsRequest)), el('td', {}, s.database), el('td', {}, s.targetVersion || ''),
    el('td', {}, s.queuePosition ?? ''), el('td', {}, relative(s.updatedAt)), el('td', {}, actionButton(s, 'cancel')))));
  pager('pending', pending, 'pending requests');
  await loadCampaigns();
}

// every campaign with each stage's progress (campaigns are few: the list is whole); a member's request changing
// reloads the page, so a campaign's counts follow its members
async function loadCampaigns() {
  const campaigns = await api('/api/v1/campaigns');
  fill('campaigns', campaigns.items.map(c => el('tr', { 'data-campaign': c.campaign },
    el('td', {}, c.campaign), el('td', {}, phaseBadge(c.progress.phase)),
    el('td', { class: 'stages' }, ...c.progress.stages.map(st => el('span', { class: 'stage', 'data-stage': st.name },
      st.name + ' (' + st.phase + '): ' + st.done + ' / ' + st.running + ' / ' + st.failed + ' / '
        + (st.waiting + (st.waitingForWindow || 0))))),
    el('td', {}, relative(c.at)))));
}

function reason(s) {
  if (s.failure) return (s.failure.reason ? s.failure.reason + ': ' : '') + (s.failure.message || '');
  if (s.rejection) return s.rejection.message || s.rejection.rule || '';
  return '';
}

function fill(table, rows) {
  const body = document.querySelector('#' + table + ' tbody');
  body.replaceChildren(...rows);
  if (!rows.length) body.append(el('tr', {}, el('td', { colspan: 8, class: 'empty' }, 'none')));
}

function pager(name, page, what) {
  const pages = Math.max(1, Math.ceil(page.total / page.size));
  const box = document.getElementById(name + '-pager');
  box.replaceChildren(
    el('button', { disabled: page.page <= 0 ? '' : null, onclick: () => { state.pages[name]--; refresh(); } }, '‹ prev'),
    el('span', {}, 'page ' + (page.page + 1) + ' of ' + pages + ' (' + page.total + ' ' + what + ')'),
    el('button', { disabled: page.page + 1 >= pages ? '' : null, onclick: () => { state.pages[name]++; refresh(); } },
      'next ›'));
}

function actionButton(s, action) {
  const [ns, name] = s.opsRequest.split('/');
  return el('button', { class: action, 'data-action': action, onclick: async (ev) => {
    ev.target.disabled = true;
    try {
      await api('/api/v1/namespaces/' + ns + '/updaterequests/' + name + '/' + action, { method: 'POST' });
      showError('');
      refreshSoon(200);
    } catch (e) {
      showError(action + ' ' + s.opsRequest + ' refused: ' + e.message);
      ev.target.disabled = false;
    }
  } }, action === 'replay' ? 'Replay' : 'Cancel');
}

// ---- one request -----------------------------------------------------------------------------------------------

function clearRequestView() {
  for (const id of ['steps', 'r-facts', 'r-actions']) document.getElementById(id).replaceChildren();
  for (const id of ['pods', 'verdicts', 'history']) document.querySelector('#' + id + ' tbody').replaceChildren();
  document.getElementById('r-name').textContent = state.ns + '/' + state.name;
  document.getElementById('r-phase').replaceChildren();
  document.getElementById('r-failure').hidden = true;
}

async function loadRequest() {
  const key = state.ns + '/' + state.name;
  let status;
  try {
    status = await api('/api/v1/namespaces/' + state.ns + '/updaterequests/' + state.name);
  } catch (e) {
    if (e.status === 404) { document.getElementById('r-facts').textContent = 'not known yet: waiting for it'; return; }
    throw e;
  }
  renderRequest(status);
  const history = await api('/api/v1/dashboard/namespaces/' + state.ns + '/updaterequests/' + state.name + '/history');
  if (state.view === 'request' && key === state.ns + '/' + state.name) renderHistory(history.items);
}

function renderRequest(s) {
  state.current = s;
  document.getElementById('r-phase').replaceChildren(phaseBadge(s.phase));
  const fact = (label, value) => el('span', {}, label + ' ', el('b', {}, value));
  document.getElementById('r-facts').replaceChildren(
    fact('database', s.database), fact('version', (s.fromVersion || '?') + ' → ' + (s.targetVersion || '?')),
    fact('attempt', s.attempt), fact('door', s.door || '?'),
    el('span', {}, 'started ', relative(s.startedAt)), el('span', {}, 'changed ', relative(s.updatedAt)),
    s.finishedAt ? el('span', {}, 'finished ', relative(s.finishedAt)) : null,
    el('a', { href: '#/json/' + s.opsRequest, id: 'json-link' }, 'JSON'));
  const failure = document.getElementById('r-failure');
  failure.hidden = !(s.failure || s.rejection);
  failure.replaceChildren(el('b', {}, s.failure ? 'Failed at ' + (s.failure.step || '?')
    + (s.failure.pod ? ' (' + s.failure.pod + ')' : '') + ': ' : 'Rejected: '), reason(s));
  const actions = [];
  if (s.phase === 'Failed') actions.push(actionButton(s, 'replay'));
  if (s.phase === 'Pending') actions.push(actionButton(s, 'cancel'));
  if (s.lastProgress) actions.push(el('span', {}, s.lastProgress));
  document.getElementById('r-actions').replaceChildren(...actions);

  // the timeline: each step a bar placed by its start and end on the request's own time axis
  const steps = s.steps || [];
  const t0 = steps.length ? Math.min(...steps.map(t => Date.parse(t.startedAt))) : 0;
  // a step that never ended stops at the request's end (a failed request), else it is still going on now
  const openEnd = s.finishedAt ? Date.parse(s.finishedAt) : Date.now();
  const tEnd = Math.max(openEnd, ...steps.map(t => t.endedAt ? Date.parse(t.endedAt) : openEnd));
  const span = Math.max(1, tEnd - t0);
  document.getElementById('steps').replaceChildren(...steps.map(t => {
    const start = Date.parse(t.startedAt);
    const end = t.endedAt ? Date.parse(t.endedAt) : openEnd;
    const took = t.duration ? seconds(t.duration) : (end - start) / 1000;
    const running = !t.endedAt;
    const cls = running ? (s.phase === 'Progressing' ? 'running' : 'failed') : 'done';
    return el('li', { 'data-step': t.type, class: cls, title: 'started ' + new Date(start).toLocaleTimeString()
        + (t.retries ? ', ' + t.retries + ' retries' : '') },
      el('span', { class: 'step' }, t.type),
      el('span', { class: 'track' }, el('span', { class: 'bar', style: 'left:' + ((start - t0) / span * 100).toFixed(2)
        + '%;width:' + Math.max(0.3, (end - start) / span * 100).toFixed(2) + '%' })),
      el('span', { class: 'dur' }, (running ? (cls === 'running' ? '… ' : '✗ ') : '') + fmtSeconds(took)));
  }));

  const order = { Waiting: 0, Evicted: 1, Running: 2, Verified: 3, UpToDate: 3 };
  document.querySelector('#pods tbody').replaceChildren(...(s.pods || []).map(p => el('tr', { 'data-pod': p.pod },
    el('td', {}, p.pod),
    el('td', {}, el('span', { class: 'progress', title: p.phase },
      el('span', { class: 'pod-' + p.phase, style: 'width:' + ((order[p.phase] ?? 0) / 3 * 100) + '%' })),
      ' ', el('span', { class: 'phase pod-' + p.phase }, p.phase)),
    el('td', {}, p.image || ''), el('td', {}, fmtSeconds(seconds(p.duration))))));
}

function renderHistory(items) {
  const t0 = items.length ? Date.parse(items[0].occurredAt) : 0;
  document.querySelector('#history tbody').replaceChildren(...items.map(e => el('tr', { 'data-type': e.type },
    el('td', {}, relative(e.occurredAt)), el('td', {}, ((Date.parse(e.occurredAt) - t0) / 1000).toFixed(1)),
    el('td', {}, e.type), el('td', {}, (e.payload && e.payload.pod) || ''),
    el('td', { class: 'reason' }, detail(e.payload || {})))));
  // one row per verdict, one line per node: what the verifier saw when it let the update go on
  const verdicts = [];
  for (const e of items) {
    if (e.type !== 'ClusterVerified' && e.type !== 'PodVerified') continue;
    verdicts.push(el('tr', { 'data-verdict': e.type },
      el('td', {}, relative(e.occurredAt)),
      el('td', {}, e.type === 'PodVerified' ? 'after ' + e.payload.pod : 'before the update'),
      el('td', {}, ...(e.payload.nodes || []).map(n => el('div', { class: 'node' },
        el('b', {}, n.pod), ' ' + [n.localStateComment, n.clusterStatus, 'size ' + n.clusterSize,
          (n.serverVersion || '').split('-')[0]].join(', '))))));
  }
  document.querySelector('#verdicts tbody').replaceChildren(...verdicts);
}

function detail(p) {
  if (p.message) return (p.reason ? p.reason + ': ' : '') + p.message;
  if (p.detail) return p.detail;
  const keep = Object.entries(p).filter(([k, v]) => k !== 'pod' && k !== 'nodes' && typeof v !== 'object');
  return keep.map(([k, v]) => k + '=' + v).join(' ');
}

async function loadJson() {
  const path = '/api/v1/namespaces/' + state.ns + '/updaterequests/' + state.name;
  document.getElementById('json-url').textContent = location.origin + path;
  document.getElementById('json-back').href = '#/r/' + state.ns + '/' + state.name;
  document.getElementById('json').textContent = JSON.stringify(await api(path), null, 2);
}

// ---- live updates ----------------------------------------------------------------------------------------------

function setLive(on) {
  const live = document.getElementById('live');
  live.className = 'live ' + (on ? 'on' : 'off');
  live.textContent = on ? '● live' : '○ offline';
}

async function openStream() {
  if (state.stream) state.stream.abort();
  const ctrl = new AbortController();
  state.stream = ctrl;
  setLive(false);
  try {
    const headers = { Accept: 'text/event-stream' };
    if (state.token) headers.Authorization = 'Bearer ' + state.token;
    const res = await fetch('/api/v1/dashboard/stream', { headers, signal: ctrl.signal });
    if (!res.ok) {
      let body = {};
      try { body = await res.json(); } catch (e) { /* not JSON */ }
      showError(res.status + ' ' + (body.error || res.statusText) + ': ' + (body.message || '')
        + (res.status === 401 ? ' — paste a bearer token above' : ''));
      if (res.status === 401 || res.status === 403) return; // a new token opens it again
      throw new Error('stream answered ' + res.status);
    }
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let cut;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        let event = 'message';
        const data = [];
        for (const line of block.split('\n')) {
          if (line.startsWith('event:')) event = line.slice(6).trim();
          else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
        }
        if (data.length) onEvent(event, data.join('\n'));
      }
    }
  } catch (e) {
    if (ctrl.signal.aborted) return;
  }
  if (state.stream === ctrl) { // ended (the projector closes streams after a while, or restarted): open again
    setLive(false);
    setTimeout(() => { if (state.stream === ctrl) openStream(); }, 1000);
  }
}

function onEvent(event, data) {
  if (event === 'ready') {
    setLive(true);
    refresh(); // loaded after the stream is open, so no change falls in between
    return;
  }
  if (event !== 'status') return;
  const s = JSON.parse(data);
  if (state.view === 'request' && s.opsRequest === state.ns + '/' + state.name) {
    renderRequest(s);
    refreshSoon(400); // the history and verdicts
  } else if (state.view === 'fleet') {
    refreshSoon(300);
  }
}

// ---- start -----------------------------------------------------------------------------------------------------

document.getElementById('token-form').addEventListener('submit', ev => {
  ev.preventDefault();
  const input = document.getElementById('token');
  setToken(input.value.trim());
  input.value = '';
  refresh();
});
document.getElementById('filters').addEventListener('submit', ev => {
  ev.preventDefault();
  state.filters = { namespace: document.getElementById('f-namespace').value.trim(),
    phase: document.getElementById('f-phase').value, version: document.getElementById('f-version').value.trim() };
  state.pages = { fleet: 0, failed: 0, pending: 0 };
  refresh();
});
window.addEventListener('hashchange', route);
setInterval(() => document.querySelectorAll('time.rel').forEach(t => { t.textContent = ago(new Date(t.dateTime)); }),
  10000);
route();
openStream();
