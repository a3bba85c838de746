// The user page (/user?id=…): the user's current prediction and state (GET /users/{id}) and how their
// predicted probabilities evolved over their recent events (GET /api/users/{id}/timeline), every 2 s: churn and
// fraud, the next action, and — for a model with interest heads — the interest trajectory (next-category
// probabilities and interest shift per event) and what Pulse recommended after the latest event.
import {
  $, fmtAgo, fmtDateTime, fmtDuration, fmtInt, fmtNum, finite, getJson, h, markFailed, markLive, parseTime,
  refreshLoop, registry, setCardState, setStatus, setSuggestions, setText, hideBanner, userHref,
} from './common.js';
import {
  fmtCategory, interestShiftChart, interestTrajectoryChart, nextActionChart, nextActionHistoryChart, scoresChart,
  setInterestShift, setInterestTrajectory, setNextActionData, setNextActionHistory, typeColor,
} from './charts.js';

const userId = (new URLSearchParams(location.search).get('id') ?? '').trim();
const FRAUD_HOT = 0.8;

if (!userId) {
  showPicker('Find a user', 'Type a user id in the search box above, or pick a recently active user.');
} else {
  start();
}

function start() {
  document.title = `Pulse · ${userId}`;
  $('user-search-input').value = userId;
  $('user-id').textContent = userId;
  $('user-main').hidden = false;
  const charts = {
    scores: scoresChart('chart-scores'),
    next: nextActionChart('chart-next'),
    history: nextActionHistoryChart('chart-next-history'),
    interests: interestTrajectoryChart('chart-interests'),
    shift: interestShiftChart('chart-shift'),
  };
  const path = encodeURIComponent(userId);
  let suggestionsLoaded = false;

  refreshLoop(async () => {
    const [timeline, state] = await Promise.all([getJson(`/api/users/${path}/timeline`), getJson(`/users/${path}`)]);
    if (!suggestionsLoaded) {
      suggestionsLoaded = true;
      getJson('/api/overview').then(o => o.ok && setSuggestions(o.body.recentUsers ?? []));
    }
    if (timeline.status === 404 && state.status === 404) {
      showPicker(`No user “${userId}”`, `Pulse has no events of this user (${state.message}). Check the id, or pick a recently active user.`);
      setStatus('warn', 'unknown user');
      registry.updates++;
      return 5000;
    }
    $('user-empty').hidden = true;
    $('user-main').hidden = false;
    const failed = [timeline, state].find(r => !r.ok && r.status !== 404);
    if (state.ok) renderState(state.body, charts);
    if (timeline.ok) renderTimeline(timeline.body, charts);
    else if (timeline.status === 404) showNoTimeline(timeline.message);
    if (failed) {
      markFailed(failed);
      for (const id of ['card-scores', 'card-next', 'card-next-history', 'card-interests']) {
        if ($(id).dataset.state !== 'ready' && $(id).dataset.state !== 'none') {
          setCardState(id, 'error', failed.status === 503 ? 'This user\u2019s state is being restored — retrying…'
            : failed.unreachable ? 'Backend unreachable — retrying…' : `No data: ${failed.message}`);
        }
      }
    } else {
      markLive(state.body?.servedBy ?? timeline.body?.servedBy);
    }
    registry.updates++;
    return failed?.retryAfter ? failed.retryAfter * 1000 : undefined;
  });
}

// ------------------------------------------------------------------ state: GET /users/{id}

function renderState(s, charts) {
  setText('fact-events', fmtInt(s.eventsSeen));
  const first = parseTime(s.firstSeen), last = parseTime(s.lastSeen);
  setText('fact-first', first === null ? '—' : fmtDateTime(first));
  setText('fact-last', last === null ? '—' : `${fmtDateTime(last)} (${fmtAgo(last)})`);
  setText('fact-gap', fmtDuration(s.typicalGapMillis));
  setText('fact-served', s.servedBy ?? '—');
  const p = s.prediction ?? {};
  setText('fact-model', p.modelVersion ?? (p.note ? 'earlier model (re-warms at next event)' : '—'));
  $('fact-model').title = p.note ?? '';

  const churn = finite(p.churnProbability), fraud = finite(p.fraudScoreOfLastEvent);
  setText('kpi-churn', churn === null ? '—' : `${(churn * 100).toFixed(1)} %`, churn === null);
  setText('kpi-fraud', fraud === null ? '—' : fraud.toFixed(3), fraud === null);
  $('kpi-fraud').classList.toggle('hot', fraud !== null && fraud >= FRAUD_HOT);

  if (p.nextAction && Object.keys(p.nextAction).length) {
    setNextActionData(charts.next, p.nextAction);
    const [top, prob] = Object.entries(p.nextAction).sort((a, b) => b[1] - a[1])[0];
    setText('kpi-next', top);
    setText('kpi-next-sub', `${(prob * 100).toFixed(1)} % likely`);
    setCardState('card-next', 'ready');
    charts.next.$fromState = true;
  } else if (p.nextActionMostLikely) {
    setText('kpi-next', p.nextActionMostLikely);
    setText('kpi-next-sub', p.note ?? '');
    charts.next.$fromState = false;
  }

  const alerts = s.alerts ?? {};
  const lastFraud = parseTime(alerts.lastFraudAlert), lastChurn = parseTime(alerts.lastChurnAlert);
  const latest = Math.max(lastFraud ?? -Infinity, lastChurn ?? -Infinity);
  setText('kpi-user-alerts', Number.isFinite(latest) ? (latest === lastFraud ? 'fraud' : 'churn') : 'none', false);
  $('kpi-user-alerts').classList.toggle('fraud', Number.isFinite(latest) && latest === lastFraud);
  $('kpi-user-alerts').classList.toggle('churn', Number.isFinite(latest) && latest === lastChurn);
  const next = parseTime(alerts.nextInactivityCheck);
  setText('kpi-user-alerts-sub', [
    Number.isFinite(latest) ? `last ${fmtAgo(latest)}` : 'no alert raised',
    next !== null ? `silence check ${fmtAgo(next)}` : null,
    alerts.alertedForCurrentSilence ? 'alerted for this silence' : null,
  ].filter(Boolean).join(' · '));

  renderWindows(s.windows ?? {});
}

function renderWindows(windows) {
  const rows = Object.entries(windows);
  if (!rows.length) {
    $('windows-body').replaceChildren(h('tr', {}, h('td', { colspan: 4, class: 'muted' }, 'No windows yet')));
    setCardState('card-windows', 'waiting');
    return;
  }
  $('windows-body').replaceChildren(...rows.map(([label, w]) => {
    const types = Object.entries(w.byType ?? {}).sort((a, b) => b[1] - a[1]).map(([type, n]) => `${type} ${fmtNum(n, 1)}`);
    return h('tr', {},
      h('td', {}, label),
      h('td', { class: 'n' }, fmtNum(w.events, 1)),
      h('td', { class: 'n' }, fmtNum(w.amount, 2)),
      h('td', { class: 'types', title: types.join('\n') }, types.join(' · ') || '—'));
  }));
  setCardState('card-windows', 'ready');
}

// ------------------------------------------------------------------ timeline: GET /api/users/{id}/timeline

function renderTimeline(t, charts) {
  const points = (Array.isArray(t.points) ? t.points : [])
    .map(p => ({ ...p, t: parseTime(p.eventTime) }))
    .filter(p => p.t !== null);
  if (!points.length) {
    showNoTimeline('no recent events');
    return;
  }
  const describe = p => `${p.type ?? '?'}${finite(p.amount) !== null ? ` · ${fmtNum(p.amount, 2)}` : ''}`;
  charts.scores.data.datasets[0].data = points.map(p => ({ x: p.t, y: finite(p.churn) ?? 0, event: describe(p) }));
  charts.scores.data.datasets[1].data = points.map(p => ({ x: p.t, y: finite(p.fraud) ?? 0, event: describe(p) }));
  const switches = [];
  for (let i = 1; i < points.length; i++) {
    if (points[i].modelVersion !== points[i - 1].modelVersion) switches.push({ x: points[i].t, version: points[i].modelVersion });
  }
  charts.scores.options.plugins.pulseModelSwitch.switches = switches;
  const first = points[0].t, last = points[points.length - 1].t;
  const pad = Math.max(1000, (last - first) * 0.02);
  charts.scores.options.scales.x.min = first - pad;
  charts.scores.options.scales.x.max = last + pad;
  charts.scores.update('none');
  $('scores-range').textContent = `${points.length} events over ${fmtDuration(last - first)}`;
  setCardState('card-scores', 'ready');

  setNextActionHistory(charts.history, points);
  charts.history.options.scales.x.min = first;
  charts.history.options.scales.x.max = last;
  charts.history.update('none');
  setCardState('card-next-history', 'ready');

  // the current distribution comes from the user's state when it has one; else from the latest scored event
  const latest = points[points.length - 1];
  if (!charts.next.$fromState && latest.nextAction) {
    setNextActionData(charts.next, latest.nextAction);
    setCardState('card-next', 'ready');
  }

  renderInterests(t, points, charts);
  renderEvents(points.slice().reverse());
}

function renderEvents(newestFirst) {
  $('events-count').textContent = `${newestFirst.length} shown`;
  $('events-body').replaceChildren(...newestFirst.map(p => {
    const fraud = finite(p.fraud), churn = finite(p.churn);
    const top = Object.entries(p.nextAction ?? {}).sort((a, b) => b[1] - a[1])[0];
    const dot = h('span', { class: 'type' }, p.type ?? '?');
    dot.style.color = typeColor(p.type);
    return h('tr', { dataset: { eventId: p.eventId ?? '' } },
      h('td', { class: 'num', title: p.eventTime }, fmtDateTime(p.t)),
      h('td', {}, dot),
      h('td', { class: 'n' }, finite(p.amount) === null ? '' : fmtNum(p.amount, 2)),
      h('td', { class: `n${churn !== null && churn >= 0.8 ? ' warm' : ''}` }, fmtNum(churn, 3)),
      h('td', { class: `n${fraud !== null && fraud >= FRAUD_HOT ? ' hot' : ''}` }, fmtNum(fraud, 3)),
      h('td', { class: 'type' }, top ? `${top[0]} ${(top[1] * 100).toFixed(0)}%` : '—'),
      h('td', { class: 'mono muted', title: p.category ?? '' }, [p.itemId, p.category ? fmtCategory(p.category) : null].filter(Boolean).join(' · ') || '—'),
      h('td', { class: 'mono muted' }, p.modelVersion ?? '—'),
      h('td', { class: 'mono muted' }, p.eventId ?? ''));
  }));
  setCardState('card-events', 'ready');
}

function showNoTimeline(why) {
  const text = `No recent events of this user on this instance (${why}).`;
  for (const id of ['card-scores', 'card-next-history', 'card-interests']) setCardState(id, 'waiting', text);
  $('events-body').replaceChildren(h('tr', {}, h('td', { colspan: 9, class: 'muted' }, text)));
}

// ------------------------------------------------------------------ interests: from the same timeline

const describeEvent = p => [p.type, p.itemId, p.category ? fmtCategory(p.category) : null].filter(Boolean).join(' · ');

function renderInterests(t, points, charts) {
  const latest = points[points.length - 1];
  if (t.interestHeads !== true) {
    // say so plainly: a model without interest heads predicts no categories, so there is nothing to chart
    const text = `The model that scored this user's latest event (${latest.modelVersion ?? 'unknown'}) has no interest `
      + 'heads: it predicts no next categories, recommendations or interest shift. Models trained with '
      + '"./pulse train --interests" have them.';
    showNoInterests('card-interests', 'interests-note', text, charts);
    showNoInterests('card-recommendations', 'recommendations-note', text, null);
    $('interests-range').textContent = '';
    return;
  }
  const scored = points.filter(p => finite(p.interestShift) !== null && Array.isArray(p.nextCategories))
    .map(p => ({
      t: p.t,
      event: describeEvent(p),
      interestShift: p.interestShift,
      nextCategories: p.nextCategories.filter(c => typeof c.category === 'string' && finite(c.probability) !== null),
    }));
  $('interests-note').hidden = true;
  $('interests-box').hidden = false;
  $('shift-box').hidden = false;
  $('shift-caption').hidden = false;
  setInterestTrajectory(charts.interests, scored);
  setInterestShift(charts.shift, scored);
  const first = scored[0].t, last = scored[scored.length - 1].t;
  for (const chart of [charts.interests, charts.shift]) {
    chart.options.scales.x.min = first;
    chart.options.scales.x.max = Math.max(last, first + 1000);
    chart.update('none');
  }
  const older = points.length - scored.length;
  $('interests-range').textContent = `shift now ${fmtNum(latest.interestShift, 3)} · ${scored.length} events`
    + (older ? ` (${older} earlier: no interest heads)` : '');
  setCardState('card-interests', 'ready');
  renderRecommendations(t.recommendations, latest.nextCategories);
}

function showNoInterests(cardId, noteId, text, charts) {
  const card = $(cardId);
  card.dataset.state = 'none';
  $(noteId).textContent = text;
  $(noteId).hidden = false;
  if (charts) {
    for (const chart of [charts.interests, charts.shift]) {
      chart.data.datasets.forEach(d => { d.data = []; });
      chart.update('none');
    }
    for (const id of ['interests-box', 'shift-box', 'shift-caption']) $(id).hidden = true;
  } else {
    $('recommendations-body').hidden = true;
  }
}

function renderRecommendations(recommendations, nextCategories) {
  const categories = Array.isArray(nextCategories) ? nextCategories : [];
  const items = Array.isArray(recommendations) ? recommendations : [];
  $('next-categories-body').replaceChildren(...(categories.length ? categories.map(c => {
    const p = finite(c.probability) ?? 0;
    const bar = h('span', { class: 'bar' });
    bar.style.width = `${Math.max(2, Math.round(p * 80))}px`;
    return h('tr', { dataset: { category: c.category } },
      h('td', { class: 'category', title: c.category }, fmtCategory(c.category)),
      h('td', { class: 'n' }, bar, `${(p * 100).toFixed(1)} %`));
  }) : [h('tr', {}, h('td', { class: 'muted' }, 'No categories asked for (interests.categories.k = 0)'))]));
  $('recommendations-items').replaceChildren(...(items.length ? items.map((item, i) => h('tr', { dataset: { itemId: item.itemId } },
    h('td', { class: 'n muted' }, i + 1),
    h('td', { class: 'mono' }, item.itemId),
    h('td', { class: 'category muted', title: item.category ?? '' }, item.category ? fmtCategory(item.category) : '—'),
    h('td', { class: 'n' }, fmtNum(item.score, 3))))
    : [h('tr', {}, h('td', { colspan: 4, class: 'muted' }, 'No recommendations (interests.recommendations.k = 0, or every item already seen)'))]));
  $('recommendations-note').hidden = true;
  $('recommendations-body').hidden = false;
  setCardState('card-recommendations', 'ready');
}

// ------------------------------------------------------------------ no user

async function showPicker(title, text) {
  $('user-main').hidden = true;
  $('user-empty').hidden = false;
  $('user-empty-title').textContent = title;
  $('user-empty-text').textContent = text;
  const overview = await getJson('/api/overview');
  if (!overview.ok) {
    markFailed(overview);
    return;
  }
  hideBanner();
  const users = Array.isArray(overview.body.recentUsers) ? overview.body.recentUsers : [];
  setSuggestions(users);
  $('user-empty-suggestions').replaceChildren(...users.map(id => h('li', {}, h('a', { class: 'chip mono', href: userHref(id) }, id))));
  if (!userId) setStatus('live', `live · ${overview.body.instance ?? ''}`);
}

