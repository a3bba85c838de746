// The overview page (/): KPI tiles, event rate and latency, score distributions, the alert feed, models and
// their live quality, the riskiest entities, recently active users. Polls /api/overview and /api/alerts every 2 s,
// /api/entities every 10 s (it reads every entity's windows).
import {
  $, fmtAgo, fmtCount, fmtInt, fmtNum, fmtPercent, finite, getJson, h, markFailed, markLive, parseTime,
  refreshLoop, registry, setCardState, setSuggestions, setText, userHref,
} from './common.js';
import { COLORS, histogramChart, rateChart, setHistogramData, setRateData } from './charts.js';

const ALERT_LIMIT = 50;
/** Pulse's default alert threshold, used to shade histogram bins until an alert tells the configured one. */
const DEFAULT_THRESHOLD = 0.8;

const charts = {
  rate: rateChart('chart-rate'),
  churn: histogramChart('chart-churn', COLORS.amber),
  fraud: histogramChart('chart-fraud', COLORS.red, { logarithmic: true }),
};
const thresholds = { CHURN: DEFAULT_THRESHOLD, FRAUD: DEFAULT_THRESHOLD };
/** CSS class and badge text of each alert kind (an unknown kind keeps its name and no colour). */
const ALERT_KINDS = {
  FRAUD: { css: 'fraud', label: 'FRAUD' },
  CHURN: { css: 'churn', label: 'CHURN' },
  INTEREST_SHIFT: { css: 'interest', label: 'INTEREST SHIFT' },
};
const seenAlerts = new Set();
let alertsLoadedOnce = false;
/** /api/entities is polled on every ENTITY_EVERY-th refresh. */
const ENTITY_EVERY = 5;
const ENTITY_LIMIT = 8;
let refreshes = 0;

refreshLoop(async () => {
  const [overview, alerts] = await Promise.all([getJson('/api/overview'), getJson(`/api/alerts?limit=${ALERT_LIMIT}`)]);
  if (alerts.ok && Array.isArray(alerts.body)) renderAlerts(alerts.body);
  if (overview.ok && overview.body) {
    renderOverview(overview.body);
  } else {
    showStale(overview);
  }
  if (overview.ok && alerts.ok) markLive(overview.body.instance);
  else markFailed(overview.ok ? alerts : overview);
  if (refreshes++ % ENTITY_EVERY === 0) {
    const entities = await getJson(`/api/entities?limit=${ENTITY_LIMIT}`);
    if (entities.ok && entities.body) renderEntities(entities.body, Date.now());
  }
  registry.updates++;
});

function renderOverview(o) {
  const now = Date.now();
  const totals = o.totals ?? {};
  const rate = Array.isArray(o.rate) ? o.rate.filter(p => finite(p?.t) !== null) : [];
  const hasEvents = (finite(totals.events) ?? 0) > 0 || rate.some(p => (finite(p.eventsPerSecond) ?? 0) > 0);

  // tiles
  setText('kpi-rate', hasEvents ? fmtNum(o.eventsPerSecond, 1) : '—', !hasEvents);
  setText('kpi-state', hasEvents ? (o.state ?? 'unknown state') : `${o.state ?? 'unknown state'} · waiting for events…`);
  const latency = o.latencyMillis ?? {};
  const p99 = finite(latency.p99);
  const lat = $('kpi-latency');
  lat.replaceChildren(...(p99 === null ? ['—'] : [fmtNum(p99, 1), h('small', {}, ' ms')]));
  lat.classList.toggle('waiting', p99 === null);
  setText('kpi-latency-sub', p99 === null ? 'event → prediction'
    : `p50 ${fmtNum(latency.p50, 1)} · p95 ${fmtNum(latency.p95, 1)}`);
  setText('kpi-events', fmtCount(totals.events), !hasEvents);
  setText('kpi-predictions', fmtCount(totals.predictions), !hasEvents);
  setText('kpi-predictions-sub', hasEvents ? `${fmtPercent(totals.predictions, totals.events)} of events` : 'per accepted event');
  setText('kpi-dlq', fmtCount(totals.deadLetters), !hasEvents);
  setText('kpi-dlq-sub', hasEvents ? `${fmtPercent(totals.deadLetters, totals.events, 2)} of input` : 'bad input, kept aside');
  setText('kpi-dups', fmtCount(totals.duplicates), !hasEvents);
  const alertTotals = totals.alerts ?? {};
  setText('kpi-alerts', `${fmtInt(alertTotals.fraud)} · ${fmtInt(alertTotals.churn)} · ${fmtInt(alertTotals.interest)}`,
    !hasEvents);

  // event rate and latency
  setRateData(charts.rate, rate, now);
  const last = rate[rate.length - 1];
  $('rate-now').textContent = last ? `now ${fmtNum(last.eventsPerSecond, 1)} ev/s · p99 ${fmtNum(last.p99, 1)} ms` : '';
  setCardState('card-rate', rate.length ? 'ready' : 'waiting', 'Waiting for data… (no events in the last 2 minutes)');

  // score distributions
  const histograms = o.scoreHistograms ?? {};
  renderHistogram('card-churn', charts.churn, histograms.churn, COLORS.amber, thresholds.CHURN);
  renderHistogram('card-fraud', charts.fraud, histograms.fraud, COLORS.red, thresholds.FRAUD);

  renderModels(Array.isArray(o.models) ? o.models : []);
  renderRecentUsers(Array.isArray(o.recentUsers) ? o.recentUsers : [], finite(o.followedOneIn));
}

function renderHistogram(cardId, chart, counts, color, threshold) {
  setHistogramData(chart, counts, color, threshold);
  const total = Array.isArray(counts) ? counts.reduce((a, b) => a + (finite(b) ?? 0), 0) : 0;
  setCardState(cardId, total > 0 ? 'ready' : 'waiting', 'Waiting for data… (no scored events yet)');
}

/** Without an answer, say so on every card that has nothing to show (cards with data keep it, dimmed by the banner). */
function showStale(result) {
  const text = result.unreachable ? 'Backend unreachable — retrying…' : `No data: ${result.message}`;
  for (const id of ['card-rate', 'card-churn', 'card-fraud']) {
    if ($(id).dataset.state !== 'ready') setCardState(id, 'error', text);
  }
}

// ------------------------------------------------------------------ alerts

function renderAlerts(alerts) {
  const feed = $('alert-feed');
  const now = Date.now();
  for (const kind of ['CHURN', 'FRAUD']) {
    // newest first: the newest alert of a kind carries the threshold configured now
    const newest = alerts.find(a => a.kind === kind && finite(a.threshold) !== null);
    if (newest) thresholds[kind] = newest.threshold;
  }
  const items = alerts.map(a => alertItem(a, now, alertsLoadedOnce && !seenAlerts.has(a.alertId)));
  alerts.forEach(a => seenAlerts.add(a.alertId));
  if (seenAlerts.size > 5000) seenAlerts.clear();
  alertsLoadedOnce = true;
  feed.replaceChildren(...items);
  $('alerts-count').textContent = alerts.length ? `${alerts.length}${alerts.length >= ALERT_LIMIT ? '+' : ''} shown` : '';
  $('alerts-placeholder').textContent = 'No alerts yet — Pulse raises one when a fraud score, churn probability or'
    + ' interest shift crosses its threshold.';
  setCardState('card-alerts', alerts.length ? 'ready' : 'waiting');
}

function alertItem(a, now, isNew) {
  const kind = ALERT_KINDS[a.kind]?.css ?? '';
  const raised = parseTime(a.raisedAt);
  const reasons = Array.isArray(a.reasons) ? a.reasons : [];
  return h('li', { class: `alert ${kind}${isNew ? ' new' : ''}`, dataset: { alertId: a.alertId ?? '', kind: a.kind ?? '' } },
    h('div', { class: 'alert-top' },
      h('span', { class: `badge ${kind}` }, ALERT_KINDS[a.kind]?.label ?? a.kind ?? '?'),
      h('span', { class: 'trigger' }, a.trigger === 'INACTIVITY' ? 'silence' : (a.trigger ?? '').toLowerCase()),
      h('a', { class: 'user mono', href: userHref(a.userId ?? '') }, a.userId ?? '?'),
      h('span', { class: 'score' }, fmtNum(a.score, 2), ' ', h('small', {}, `≥ ${fmtNum(a.threshold, 2)}`)),
      h('time', { datetime: a.raisedAt ?? '', title: a.raisedAt ?? '' }, fmtAgo(raised, now))),
    a.summary ? h('p', { class: 'summary' }, a.summary) : null,
    reasons.length ? h('ul', { class: 'chips' }, reasons.map(reasonChip)) : null);
}

function reasonChip(r) {
  const c = finite(r.contribution);
  const title = r.feature?.startsWith('category:')
    ? 'value: the category\'s probability now; contribution: how much it grew over the user\'s interest profile'
    : 'contribution: how much the score drops when this input is replaced by its mean';
  // an entity's feature names the entity: "terminal T-17 · risk_7d 0.40"
  const entity = typeof r.entity === 'string' && r.entity.includes(':') ? r.entity : null;
  const type = entity ? entity.slice(0, entity.indexOf(':')) : null;
  const label = entity
    ? [h('span', { class: 'entity mono' }, `${type} ${entity.slice(type.length + 1)}`), ' · ',
      `${r.feature?.startsWith(type + '_') ? r.feature.slice(type.length + 1) : r.feature} `]
    : [`${r.feature} `];
  return h('li', { class: `chip${entity ? ' entity-reason' : ''}`, title, dataset: { entity: entity ?? '' } },
    ...label, h('b', {}, fmtNum(r.value, 2)),
    c === null ? null : h('span', { class: `contrib${c < 0 ? ' neg' : ''}` }, ` ${c >= 0 ? '+' : ''}${c.toFixed(2)}`));
}

// ------------------------------------------------------------------ models

function renderModels(models) {
  const body = $('models-body');
  if (!models.length) {
    body.replaceChildren(h('tr', {}, h('td', { colspan: 8, class: 'muted' }, 'No model loaded yet')));
    setCardState('card-models', 'waiting');
    return;
  }
  body.replaceChildren(...models.map(m => {
    const q = m.quality ?? {};
    return h('tr', { dataset: { version: m.version ?? '' } },
      h('td', { class: 'mono' }, m.version ?? '?'),
      h('td', {},
        m.current ? h('span', { class: 'badge good' }, 'SERVING') : h('span', { class: 'badge quiet' }, 'earlier'),
        m.randomInit ? [' ', h('span', { class: 'badge warn', title: 'seeded random weights: no trained model has arrived yet' }, 'UNTRAINED')] : null),
      ...qualityCells(q.fraud), ...qualityCells(q.churn));
  }));
  setCardState('card-models', 'ready');
}

function qualityCells(head) {
  const labels = finite(head?.labels);
  const auc = finite(head?.auc);
  const logloss = finite(head?.logloss);
  const aucCell = auc === null
    ? h('td', { class: 'n muted', title: 'needs labels of both classes' }, '—')
    : h('td', { class: 'n' }, auc.toFixed(3), meter(auc));
  return [
    h('td', { class: 'n' }, labels === null ? '—' : fmtInt(labels)),
    aucCell,
    h('td', { class: `n${logloss === null ? ' muted' : ''}` }, logloss === null ? '—' : logloss.toFixed(3)),
  ];
}

function meter(auc) {
  const fill = h('i');
  fill.style.width = `${Math.max(0, Math.min(1, (auc - 0.5) / 0.5)) * 100}%`; // 0.5 = chance, 1 = perfect
  return h('span', { class: `meter ${auc >= 0.8 ? '' : auc >= 0.65 ? 'ok' : 'poor'}`, title: 'AUC: 0.5 is chance, 1 is perfect' }, fill);
}

// ------------------------------------------------------------------ entities

function renderEntities(e, now) {
  const body = $('entities-body');
  const types = Array.isArray(e.types) ? e.types : [];
  const rows = types.flatMap(t => (Array.isArray(t.entities) ? t.entities : [])
    .map(x => ({ ...x, type: t.type, horizon: t.horizon })));
  const message = text => h('tr', {}, h('td', { colspan: 5, class: 'muted' }, text));
  if (e.scope === 'none' || !types.length) {
    body.replaceChildren(message('No entity types configured (entities.types)'));
    setCardState('card-entities', 'waiting');
    return;
  }
  const horizon = String(types[0].horizon ?? '').replace(/^P/, '').toLowerCase();
  setText('entities-sub', `${e.scope === 'all' ? 'all entities' : 'this instance’s entities'} · risk over ${horizon}:`
    + ' known frauds ÷ transactions old enough for their labels');
  if (!rows.length) {
    body.replaceChildren(message('No entity has a known fraud yet'));
    setCardState('card-entities', 'waiting');
    return;
  }
  body.replaceChildren(...rows.map(x => {
    const risk = finite(x.risk);
    const last = parseTime(x.lastKnownFraud);
    return h('tr', { dataset: { entity: `${x.type}:${x.id}` } },
      h('td', {}, h('span', { class: 'badge fraud' }, x.type ?? '?'), ' ', h('span', { class: 'mono' }, x.id ?? '?')),
      h('td', { class: 'n' }, risk === null ? '—' : `${(risk * 100).toFixed(0)} %`),
      h('td', { class: 'n' }, fmtNum(x.knownFrauds, 1)),
      h('td', { class: 'n' }, fmtNum(x.transactions, 1)),
      h('td', {}, last === null ? '—' : h('time', { datetime: x.lastKnownFraud, title: x.lastKnownFraud }, fmtAgo(last, now))));
  }));
  setCardState('card-entities', 'ready');
}

// ------------------------------------------------------------------ users

function renderRecentUsers(users, followedOneIn) {
  setSuggestions(users);
  // more users active than the instance keeps timelines for: it follows a stable sample of them
  $('recent-users-note').textContent = followedOneIn > 1
    ? `open one to see its timeline · following 1 in ${followedOneIn} users (more are active than timelines kept)`
    : 'open one to see its timeline';
  const chips = $('recent-users-chips');
  if (!users.length) {
    chips.replaceChildren(h('li', { class: 'muted' }, 'No users yet — waiting for events…'));
    setCardState('card-users', 'waiting');
    return;
  }
  chips.replaceChildren(...users.map(id => h('li', {}, h('a', { class: 'chip mono', href: userHref(id) }, id))));
  setCardState('card-users', 'ready');
}
