// Shared by both pages: talking to the Pulse API, formatting, building DOM safely, the status indicator,
// the error banner and the 2-second refresh loop. No framework, no build step.

export const REFRESH_MS = 2000;
const REQUEST_TIMEOUT_MS = 5000;

/** The outcome of one API call: ok with a body, an HTTP error with the server's message, or no answer. */
export class ApiResult {
  constructor(path, status, body, retryAfter, networkError) {
    this.path = path;
    this.status = status;          // 0 when the server could not be reached
    this.body = body;
    this.retryAfter = retryAfter;  // seconds, from Retry-After, or null
    this.networkError = networkError;
  }
  get ok() { return this.status >= 200 && this.status < 300; }
  get unreachable() { return this.status === 0; }
  get message() {
    if (this.unreachable) return `cannot reach ${this.path} (${this.networkError})`;
    const detail = this.body && typeof this.body.error === 'string' ? this.body.error : `HTTP ${this.status}`;
    return `${this.path}: ${detail}`;
  }
}

/** GET a JSON document; never throws. */
export async function getJson(path) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
  try {
    const response = await fetch(path, { headers: { Accept: 'application/json' }, cache: 'no-store', signal: controller.signal });
    let body = null;
    try { body = await response.json(); } catch (_) { body = null; }
    const retry = Number.parseInt(response.headers.get('Retry-After') ?? '', 10);
    return new ApiResult(path, response.status, body, Number.isFinite(retry) ? retry : null, null);
  } catch (e) {
    return new ApiResult(path, 0, null, null, e.name === 'AbortError' ? 'timed out' : (e.message || String(e)));
  } finally {
    clearTimeout(timer);
  }
}

/** Runs `tick` now and then REFRESH_MS after each run ends (never overlapping); `tick` may return a delay in ms. */
export function refreshLoop(tick) {
  const run = async () => {
    let delay = REFRESH_MS;
    try {
      const asked = await tick();
      if (Number.isFinite(asked)) delay = Math.max(500, asked);
    } catch (e) {
      console.error('dashboard refresh failed', e);
      showBanner(`The dashboard failed to render: ${e.message || e}`);
    }
    setTimeout(run, delay);
  };
  run();
}

// ------------------------------------------------------------------ numbers and times

/** JSON from Jackson may carry "NaN" or null for missing values: anything non-finite is "no value". */
export function finite(x) {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

const INT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
export function fmtInt(x) {
  const v = finite(x);
  return v === null ? '—' : INT.format(v);
}

export function fmtNum(x, digits = 2) {
  const v = finite(x);
  return v === null ? '—' : v.toFixed(digits);
}

/** Compact counts for tiles: 1234 → 1,234; 1234567 → 1.23 M. */
export function fmtCount(x) {
  const v = finite(x);
  if (v === null) return '—';
  if (Math.abs(v) >= 1e9) return (v / 1e9).toFixed(2) + ' G';
  if (Math.abs(v) >= 1e6) return (v / 1e6).toFixed(2) + ' M';
  return INT.format(v);
}

export function fmtPercent(part, whole, digits = 1) {
  const p = finite(part), w = finite(whole);
  if (p === null || w === null || w === 0) return '—';
  return (100 * p / w).toFixed(digits) + ' %';
}

const pad = n => String(n).padStart(2, '0');
export function fmtClock(ms) {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function fmtDateTime(ms) {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${fmtClock(ms)}`;
}

/** Parses an ISO-8601 instant; null when absent or unparseable. */
export function parseTime(iso) {
  if (typeof iso !== 'string') return null;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? ms : null;
}

export function fmtDuration(ms) {
  const v = finite(ms);
  if (v === null) return '—';
  const s = Math.abs(v) / 1000;
  if (s < 1) return `${Math.round(Math.abs(v))} ms`;
  if (s < 90) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  if (s < 172800) return `${(s / 3600).toFixed(1)} h`;
  return `${(s / 86400).toFixed(1)} d`;
}

export function fmtAgo(ms, now = Date.now()) {
  if (ms === null) return '—';
  const d = now - ms;
  if (d < -1000) return `in ${fmtDuration(-d)}`;
  if (d < 1500) return 'just now';
  return `${fmtDuration(d)} ago`;
}

// ------------------------------------------------------------------ DOM

/** h('a', {href: '/x', class: 'y'}, 'text', childNode): builds elements without innerHTML (data is never markup). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export const $ = id => document.getElementById(id);

export function setText(id, text, waiting = false) {
  const el = $(id);
  if (!el) return;
  el.textContent = text;
  el.classList.toggle('waiting', waiting);
}

export function userHref(userId) {
  return `/user?id=${encodeURIComponent(userId)}`;
}

/** Marks a card waiting / ready / empty / error; its placeholder (if any) says why when not ready. */
export function setCardState(card, state, text) {
  const el = typeof card === 'string' ? $(card) : card;
  if (!el) return;
  el.dataset.state = state;
  const placeholder = el.querySelector('.placeholder');
  if (placeholder && text) placeholder.textContent = text;
  if (placeholder) placeholder.classList.toggle('error', state === 'error');
}

// ------------------------------------------------------------------ status and banner

let lastSuccess = null;

/** The connection indicator in the top bar: live (green), warn (amber), error (red). */
export function setStatus(state, text) {
  const status = $('status');
  status.dataset.state = state;
  $('status-text').textContent = text;
}

export function markLive(instance) {
  lastSuccess = Date.now();
  setStatus('live', `live · ${instance ? instance + ' · ' : ''}${fmtClock(lastSuccess)}`);
  hideBanner();
}

/** Shows why data is missing or stale; keeps what was last drawn. */
export function markFailed(result) {
  const stale = lastSuccess === null ? 'nothing received yet' : `showing data from ${fmtClock(lastSuccess)}`;
  if (result.unreachable) {
    setStatus('error', 'backend unreachable');
    showBanner(`Cannot reach the Pulse API (${result.message}). Retrying every ${REFRESH_MS / 1000} s; ${stale}.`);
  } else if (result.status === 503) {
    setStatus('warn', 'not ready');
    showBanner(`Pulse is not ready (${result.message}). Retrying${result.retryAfter ? ` in ${result.retryAfter} s` : ''}; ${stale}.`, 'warn');
  } else {
    setStatus('error', `error ${result.status}`);
    showBanner(`The Pulse API answered with an error (${result.message}); ${stale}.`);
  }
}

export function showBanner(text, kind = 'error') {
  const banner = $('banner');
  banner.textContent = text;
  banner.className = kind === 'warn' ? 'banner warn' : 'banner';
  banner.hidden = false;
}

export function hideBanner() {
  $('banner').hidden = true;
}

// ------------------------------------------------------------------ search

/** Fills the search box's suggestions with recently active users. */
export function setSuggestions(userIds) {
  const list = $('recent-users');
  if (!list || !Array.isArray(userIds)) return;
  const current = [...list.options].map(o => o.value).join('\n');
  if (current === userIds.join('\n')) return;
  list.replaceChildren(...userIds.map(id => h('option', { value: id })));
}

/** The charts of this page, by canvas id, for tests and for debugging in the console. */
export const registry = window.pulseDashboard = { charts: {}, updates: 0, lastError: null };

export function requireChartJs() {
  if (typeof window.Chart !== 'function') {
    showBanner('Chart.js did not load (/static/vendor/chart.umd.js); charts cannot be drawn.');
    throw new Error('Chart.js missing');
  }
  return window.Chart;
}
