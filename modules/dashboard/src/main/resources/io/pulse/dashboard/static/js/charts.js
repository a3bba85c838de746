// Chart.js set-up shared by both pages: the dark theme, and one factory per kind of chart.
// Chart.js is the UMD build served by DashboardAssets at /static/vendor/chart.umd.js (window.Chart).
import { fmtClock, fmtDateTime, registry, requireChartJs } from './common.js';

export const COLORS = {
  blue: '#4ea1ff', violet: '#c792ea', amber: '#f5a524', red: '#ff5c7a', green: '#3ecf8e',
  text: '#d6deef', muted: '#8592ad', grid: 'rgba(133, 146, 173, 0.14)', card: '#151b29',
};
/** One colour per event type, stable across charts. */
export const TYPE_COLORS = {
  VIEW: '#4ea1ff', CLICK: '#7dd3fc', ADD_TO_CART: '#c792ea', PURCHASE: '#3ecf8e', RATING: '#facc15',
  LOGIN: '#94a3b8', PAYMENT: '#ff8a5c', UNKNOWN: '#5b6784',
};
export function typeColor(type, i = 0) {
  return TYPE_COLORS[type] ?? ['#38bdf8', '#a78bfa', '#f472b6', '#fb923c'][i % 4];
}

export function alpha(hex, a) {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${a})`;
}

let themed = false;
function chartJs() {
  const Chart = requireChartJs();
  if (!themed) {
    themed = true;
    Chart.defaults.color = COLORS.muted;
    Chart.defaults.borderColor = COLORS.grid;
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    Chart.defaults.font.size = 11;
    // data changes every 2 s: animating each change would only cost CPU and blur the picture
    Chart.defaults.animation = false;
    Chart.defaults.maintainAspectRatio = false;
    Chart.defaults.responsive = true;
    Chart.defaults.plugins.legend.labels.boxWidth = 10;
    Chart.defaults.plugins.legend.labels.boxHeight = 10;
    Chart.defaults.plugins.tooltip.backgroundColor = '#0b0f18';
    Chart.defaults.plugins.tooltip.borderColor = '#2c3753';
    Chart.defaults.plugins.tooltip.borderWidth = 1;
    Chart.defaults.elements.line.tension = 0.25;
  }
  return Chart;
}

function make(canvasId, config) {
  const Chart = chartJs();
  const chart = new Chart(document.getElementById(canvasId), config);
  registry.charts[canvasId] = chart;
  return chart;
}

const timeAxis = extra => ({
  type: 'linear',
  ticks: { callback: v => fmtClock(v), maxRotation: 0, autoSkipPadding: 18 },
  grid: { color: COLORS.grid },
  ...extra,
});

/** Points are drawn only while a line is too short to be seen (the first seconds after a start). */
const fewPoints = ctx => (ctx.dataset.data.length < 3 ? 3 : 0);

/** Events per second (left axis) and p99 latency in ms (right axis) over wall-clock time. */
export function rateChart(canvasId) {
  return make(canvasId, {
    type: 'line',
    data: {
      datasets: [
        { label: 'events / s', data: [], yAxisID: 'y', borderColor: COLORS.blue, backgroundColor: alpha(COLORS.blue, 0.14),
          fill: 'origin', borderWidth: 2, pointRadius: fewPoints },
        { label: 'p99 latency (ms)', data: [], yAxisID: 'latency', borderColor: COLORS.violet, borderWidth: 1.5,
          borderDash: [4, 3], pointRadius: fewPoints, spanGaps: true },
      ],
    },
    options: {
      parsing: false,
      interaction: { mode: 'index', intersect: false },
      scales: {
        x: timeAxis(),
        y: { beginAtZero: true, title: { display: true, text: 'events / s' }, grid: { color: COLORS.grid } },
        latency: { position: 'right', beginAtZero: true, title: { display: true, text: 'p99 ms' }, grid: { drawOnChartArea: false } },
      },
      plugins: {
        legend: { position: 'top', align: 'end' },
        tooltip: { callbacks: { title: items => items.length ? fmtClock(items[0].parsed.x) : '' } },
      },
    },
  });
}

export function setRateData(chart, points, now) {
  chart.data.datasets[0].data = points.map(p => ({ x: p.t, y: p.eventsPerSecond }));
  chart.data.datasets[1].data = points.map(p => ({ x: p.t, y: p.p99 }));
  chart.options.scales.x.min = now - 120_000;
  chart.options.scales.x.max = now;
  chart.update('none');
}

const BIN_LABELS = Array.from({ length: 20 }, (_, i) => (i * 0.05).toFixed(2));

/** A score histogram: 20 bins of 0.05; bins at or above the alert threshold drawn in full colour. */
export function histogramChart(canvasId, color, { logarithmic = false } = {}) {
  return make(canvasId, {
    type: 'bar',
    data: { labels: BIN_LABELS, datasets: [{ label: 'events', data: new Array(20).fill(0), backgroundColor: alpha(color, 0.5),
      borderColor: color, borderWidth: 0, barPercentage: 1, categoryPercentage: 0.92 }] },
    options: {
      scales: {
        x: { grid: { display: false }, ticks: { maxRotation: 0, callback: (v, i) => (i % 4 === 0 ? BIN_LABELS[i] : '') } },
        y: logarithmic
          ? { type: 'logarithmic', min: 1, grid: { color: COLORS.grid }, ticks: { callback: v => (Math.log10(v) % 1 === 0 ? compact(v) : '') } }
          : { beginAtZero: true, grid: { color: COLORS.grid }, ticks: { callback: v => compact(v) } },
      },
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: {
          title: items => items.length ? `score ${BIN_LABELS[items[0].dataIndex]}–${(items[0].dataIndex * 0.05 + 0.05).toFixed(2)}` : '',
          label: item => `${item.parsed.y} events`,
        } },
      },
    },
  });
}

export function setHistogramData(chart, counts, color, threshold) {
  const data = Array.from({ length: 20 }, (_, i) => (Array.isArray(counts) && Number.isFinite(counts[i]) ? counts[i] : 0));
  chart.data.datasets[0].data = data;
  chart.data.datasets[0].backgroundColor = data.map((_, i) => alpha(color, i * 0.05 + 1e-9 >= threshold ? 0.95 : 0.45));
  chart.update('none');
}

function compact(v) {
  if (v >= 1e6) return `${v / 1e6}M`;
  if (v >= 1e3) return `${v / 1e3}k`;
  return String(v);
}

/** Draws a dashed vertical line where the model version changes between consecutive points. */
const modelSwitchPlugin = {
  id: 'pulseModelSwitch',
  afterDatasetsDraw(chart, _args, options) {
    const switches = options?.switches ?? [];
    if (!switches.length) return;
    const { ctx, chartArea, scales } = chart;
    ctx.save();
    ctx.strokeStyle = 'rgba(214, 222, 239, 0.45)';
    ctx.fillStyle = 'rgba(214, 222, 239, 0.75)';
    ctx.setLineDash([3, 3]);
    ctx.font = '10px ' + chart.options.font?.family;
    for (const s of switches) {
      const x = scales.x.getPixelForValue(s.x);
      if (x < chartArea.left || x > chartArea.right) continue;
      ctx.beginPath();
      ctx.moveTo(x, chartArea.top);
      ctx.lineTo(x, chartArea.bottom);
      ctx.stroke();
      ctx.fillText(`model → ${s.version}`, Math.min(x + 4, chartArea.right - 150), chartArea.top + 10);
    }
    ctx.restore();
  },
};

/** Churn probability and fraud score per event, x = event time. */
export function scoresChart(canvasId) {
  return make(canvasId, {
    type: 'line',
    data: { datasets: [
      { label: 'churn probability', data: [], borderColor: COLORS.amber, backgroundColor: alpha(COLORS.amber, 0.12), fill: 'origin',
        borderWidth: 2, pointRadius: 2, pointHoverRadius: 4 },
      { label: 'fraud score', data: [], borderColor: COLORS.red, backgroundColor: COLORS.red, borderWidth: 1.5, tension: 0,
        pointRadius: ctx => (ctx.raw && ctx.raw.y >= 0.5 ? 4 : 1.5), pointHoverRadius: 5 },
    ] },
    options: {
      parsing: false,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      scales: {
        x: timeAxis(),
        y: { min: 0, max: 1, grid: { color: COLORS.grid }, ticks: { stepSize: 0.2 } },
      },
      plugins: {
        legend: { position: 'top', align: 'end' },
        pulseModelSwitch: { switches: [] },
        tooltip: { callbacks: {
          title: items => items.length ? fmtDateTime(items[0].parsed.x) : '',
          afterTitle: items => (items.length && items[0].raw.event ? items[0].raw.event : ''),
          label: item => `${item.dataset.label}: ${item.parsed.y.toFixed(3)}`,
        } },
      },
    },
    plugins: [modelSwitchPlugin],
  });
}

/** Horizontal bars of the next-action distribution, most likely first. */
export function nextActionChart(canvasId) {
  return make(canvasId, {
    type: 'bar',
    data: { labels: [], datasets: [{ label: 'probability', data: [], backgroundColor: [], borderWidth: 0, barPercentage: 0.8 }] },
    options: {
      indexAxis: 'y',
      scales: {
        x: { min: 0, max: 1, grid: { color: COLORS.grid }, ticks: { callback: v => `${Math.round(v * 100)}%` } },
        y: { grid: { display: false }, ticks: { color: COLORS.text, font: { family: 'ui-monospace, "DejaVu Sans Mono", monospace', size: 11 } } },
      },
      plugins: { legend: { display: false }, tooltip: { callbacks: { label: item => `${(item.parsed.x * 100).toFixed(1)} %` } } },
    },
  });
}

export function setNextActionData(chart, distribution) {
  const entries = Object.entries(distribution ?? {}).filter(([, p]) => Number.isFinite(p)).sort((a, b) => b[1] - a[1]);
  chart.data.labels = entries.map(([type]) => type);
  chart.data.datasets[0].data = entries.map(([, p]) => p);
  chart.data.datasets[0].backgroundColor = entries.map(([type], i) => typeColor(type, i));
  const max = entries.length ? entries[0][1] : 1;
  chart.options.scales.x.max = max > 0.5 ? 1 : Math.min(1, Math.ceil(max * 10 + 0.5) / 10);
  chart.update('none');
}

/** The next-action distribution of every event, stacked to 1, x = event time. */
export function nextActionHistoryChart(canvasId) {
  return make(canvasId, {
    type: 'line',
    data: { datasets: [] },
    options: {
      parsing: false,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      elements: { point: { radius: 0 }, line: { borderWidth: 1, tension: 0.2 } },
      scales: {
        x: timeAxis(),
        y: { stacked: true, min: 0, max: 1, grid: { color: COLORS.grid }, ticks: { callback: v => `${Math.round(v * 100)}%` } },
      },
      plugins: {
        legend: { position: 'right', labels: { font: { size: 10 } } },
        tooltip: { callbacks: {
          title: items => items.length ? fmtDateTime(items[0].parsed.x) : '',
          label: item => `${item.dataset.label}: ${(item.parsed.y * 100).toFixed(1)} %`,
        } },
      },
    },
  });
}

export function setNextActionHistory(chart, points) {
  const types = [];
  for (const p of points) for (const type of Object.keys(p.nextAction ?? {})) if (!types.includes(type)) types.push(type);
  chart.data.datasets = types.map((type, i) => {
    const existing = chart.data.datasets.find(d => d.label === type);
    const dataset = existing ?? { label: type, borderColor: typeColor(type, i), backgroundColor: alpha(typeColor(type, i), 0.55), fill: i === 0 ? 'origin' : '-1' };
    dataset.data = points.map(p => ({ x: p.t, y: Number.isFinite(p.nextAction?.[type]) ? p.nextAction[type] : 0 }));
    return dataset;
  });
  chart.update('none');
}

// ------------------------------------------------------------------ interests

/** Category colours in order of prominence on the page; 'other' (probability outside the shown categories) is grey. */
const CATEGORY_COLORS = ['#4ea1ff', '#c792ea', '#3ecf8e', '#f5a524', '#ff5c7a', '#7dd3fc', '#facc15', '#fb923c'];
const OTHER_COLOR = '#5b6784';
/** Most categories the trajectory shows separately; the rest are folded into 'other'. */
export const TRAJECTORY_CATEGORIES = CATEGORY_COLORS.length;

/** Category paths as written in the catalogue ("Beauty>Skin Care") with a readable separator. */
export function fmtCategory(path) {
  return typeof path === 'string' && path ? path.split('>').map(s => s.trim()).join(' › ') : '—';
}

/** Both interest charts reserve the same room for the y axis, so their x axes line up one above the other. */
const fixedWidthY = extra => ({ afterFit: scale => { scale.width = 46; }, grid: { color: COLORS.grid }, ...extra });

/** The top next categories' probabilities per event, stacked, with the rest of the distribution as 'other'. */
export function interestTrajectoryChart(canvasId) {
  return make(canvasId, {
    type: 'line',
    data: { datasets: [] },
    options: {
      parsing: false,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      elements: { point: { radius: 0 }, line: { borderWidth: 1, tension: 0.2 } },
      scales: {
        x: timeAxis(),
        y: fixedWidthY({ stacked: true, min: 0, max: 1, ticks: { stepSize: 0.25, callback: v => `${Math.round(v * 100)}%` } }),
      },
      plugins: {
        legend: { position: 'top', align: 'end', labels: { font: { size: 10 } } },
        tooltip: { callbacks: {
          title: items => items.length ? fmtDateTime(items[0].parsed.x) : '',
          afterTitle: items => (items.length && items[0].raw.event ? items[0].raw.event : ''),
          label: item => `${item.dataset.label}: ${(item.parsed.y * 100).toFixed(1)} %`,
        } },
      },
    },
  });
}

/**
 * points: [{t, nextCategories: [{category, probability}], event}] of the events scored with interest heads, oldest
 * first. Shows the TRAJECTORY_CATEGORIES categories with the most probability over the window; a point's categories
 * outside its top-k count as 0 and 'other' holds the rest of its distribution. Returns the categories shown.
 */
export function setInterestTrajectory(chart, points) {
  const mass = new Map();
  for (const p of points) for (const c of p.nextCategories) mass.set(c.category, (mass.get(c.category) ?? 0) + c.probability);
  const shown = [...mass.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, TRAJECTORY_CATEGORIES).map(([category]) => category);
  const probability = (p, category) => p.nextCategories.find(c => c.category === category)?.probability ?? 0;
  const datasets = shown.map((category, i) => ({
    label: fmtCategory(category), borderColor: CATEGORY_COLORS[i], backgroundColor: alpha(CATEGORY_COLORS[i], 0.6),
    fill: i === 0 ? 'origin' : '-1',
    data: points.map(p => ({ x: p.t, y: probability(p, category), event: p.event })),
  }));
  datasets.push({
    label: 'other', borderColor: OTHER_COLOR, backgroundColor: alpha(OTHER_COLOR, 0.25), fill: shown.length ? '-1' : 'origin',
    data: points.map(p => ({ x: p.t, y: Math.max(0, 1 - shown.reduce((s, c) => s + probability(p, c), 0)), event: p.event })),
  });
  chart.data.datasets = datasets;
  chart.update('none');
  return shown;
}

/** The interest shift per event (Jensen–Shannon divergence in [0, 1]), x = event time. */
export function interestShiftChart(canvasId) {
  return make(canvasId, {
    type: 'line',
    data: { datasets: [{ label: 'interest shift', data: [], borderColor: COLORS.violet, backgroundColor: alpha(COLORS.violet, 0.18),
      fill: 'origin', borderWidth: 1.5, tension: 0, pointRadius: ctx => (ctx.dataset.data.length < 3 ? 3 : 1.5), pointHoverRadius: 4 }] },
    options: {
      parsing: false,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      scales: {
        x: timeAxis(),
        y: fixedWidthY({ min: 0, ticks: { maxTicksLimit: 4, callback: v => v.toFixed(2) } }),
      },
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: {
          title: items => items.length ? fmtDateTime(items[0].parsed.x) : '',
          afterTitle: items => (items.length && items[0].raw.event ? items[0].raw.event : ''),
          label: item => `interest shift: ${item.parsed.y.toFixed(3)}`,
        } },
      },
    },
  });
}

export function setInterestShift(chart, points) {
  chart.data.datasets[0].data = points.map(p => ({ x: p.t, y: p.interestShift, event: p.event }));
  const max = points.reduce((m, p) => Math.max(m, p.interestShift), 0);
  // a fixed floor keeps small wobbles small; larger shifts get the room they need
  chart.options.scales.y.max = Math.min(1, Math.max(0.2, Math.ceil(max * 10) / 10));
  chart.update('none');
}
