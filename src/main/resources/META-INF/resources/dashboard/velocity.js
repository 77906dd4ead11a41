// The velocity view: GET /api/v1/metrics/velocity drawn as small SVG charts (no chart library), each
// with its numbers in a table for screen readers and for copying.

import { h, s, fill, duration, percent, usd } from './dom.js';

const RANGES = {
  '24h-hour': { hours: 24, bucket: 'hour' },
  '7d-hour': { hours: 24 * 7, bucket: 'hour' },
  '7d-day': { hours: 24 * 7, bucket: 'day' },
  '30d-day': { hours: 24 * 30, bucket: 'day' },
};

const W = 640;
const H = 220;
const M = { left: 62, right: 12, top: 12, bottom: 28 }; // left: room for "100%" in the larger phone text

export class Velocity {
  constructor(root, select, api) {
    this.root = root;
    this.select = select;
    this.api = api;
    this.seq = 0;
  }

  async load(range = this.select.value) {
    const { hours, bucket } = RANGES[range] || RANGES['24h-hour'];
    this.select.value = RANGES[range] ? range : '24h-hour';
    const step = bucket === 'hour' ? 3600e3 : 86400e3;
    const until = new Date(Math.ceil(Date.now() / step) * step);
    const since = new Date(until.getTime() - hours * 3600e3);
    const seq = ++this.seq;
    this.root.dataset.ready = 'false';
    let data;
    try {
      data = await this.api.get('/metrics/velocity', { since: since.toISOString(), until: until.toISOString(), bucket });
    } catch (e) {
      if (seq !== this.seq) return;
      fill(this.root, h('p', { class: e.status === 404 ? 'muted' : 'error' },
        e.status === 404 ? 'This server does not offer velocity metrics yet.' : `Could not load velocity: ${e.message}`));
      this.root.dataset.ready = 'error';
      return;
    }
    if (seq !== this.seq) return;
    this.render(data, bucket);
    this.root.dataset.ready = 'true';
  }

  render(data, bucket) {
    const buckets = data.buckets || [];
    const total = data.total || {};
    const times = buckets.map((b) => new Date(b.start));
    const label = (d) => (bucket === 'hour'
      ? d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
      : d.toLocaleDateString([], { month: 'short', day: 'numeric' }));
    const col = (key) => buckets.map((b) => (b[key] === undefined ? null : b[key]));
    fill(this.root,
      h('div', { class: 'tiles' },
        tile('Created', total.created), tile('Completed (self-declared)', total.completed),
        tile('Accepted (reviewed)', total.accepted), tile('Rejected', total.rejected),
        tile('First-pass acceptance', percent(total.firstPassAcceptance)), tile('Failed', total.failed),
        tile('Completion ratio', percent(total.completionRatio)), tile('Failure rate', percent(total.failureRate)),
        tile('Cycle time p50', duration(total.cycleTimeP50Seconds)), tile('Cycle time p90', duration(total.cycleTimeP90Seconds)),
        tile('Retry share', percent(total.retryShare)),
        tile('Effective velocity', total.effectiveVelocity === null || total.effectiveVelocity === undefined ? '—'
          : `${Number(total.effectiveVelocity).toFixed(2)}/h`,
        'completed and not reopened, per hour of the range (idle hours count)'),
        tile('Cost', usd(total.costUsd ?? 0)), tile('Cost per completed task', usd(total.costPerCompletedTask)),
        tile('Cost on failed work', percent(total.costOnFailedShare))),
      h('div', { class: 'charts' },
        chart('Created, completed (self-declared), accepted and failed', times, label, [
          { name: 'created', values: col('created'), cls: 'c1', kind: 'bar' },
          { name: 'completed', values: col('completed'), cls: 'c2', kind: 'bar' },
          { name: 'accepted', values: col('accepted'), cls: 'c4', kind: 'bar' },
          { name: 'failed', values: col('failed'), cls: 'c3', kind: 'bar' },
        ], { format: (v) => String(Math.round(v)), integer: true }),
        chart('Completion ratio, failure rate and retry share', times, label, [
          { name: 'completion ratio', values: col('completionRatio'), cls: 'c2', kind: 'line' },
          { name: 'failure rate', values: col('failureRate'), cls: 'c3', kind: 'line' },
          { name: 'retry share', values: col('retryShare'), cls: 'c4', kind: 'line' },
        ], { format: percent, min: 0, max: 1 }),
        chart('Cycle time (first start to done)', times, label, [
          { name: 'p50', values: col('cycleTimeP50Seconds'), cls: 'c1', kind: 'line' },
          { name: 'p90', values: col('cycleTimeP90Seconds'), cls: 'c4', kind: 'line' },
        ], { format: duration, nice: niceDuration }),
        chart('Cost per completed task (USD)', times, label, [
          { name: 'cost per completed task', values: col('costPerCompletedTask').map((v) => (v === null ? null : Number(v))), cls: 'c1', kind: 'line' },
        ], { format: usd }),
        chart('Cost on failed work (share of cost)', times, label, [
          { name: 'cost on failed or canceled tasks', values: col('costOnFailedShare').map((v) => (v === null ? null : Number(v))), cls: 'c3', kind: 'line' },
        ], { format: percent, min: 0, max: 1 })));
  }
}

function tile(name, value, hint) {
  return h('div', { class: 'tile', title: hint || null }, h('span', { class: 'tile-value' }, value ?? 0), h('span', { class: 'tile-name' }, name),
    hint ? h('span', { class: 'tile-hint' }, hint) : null);
}

/** One chart: grouped bars and/or lines over the buckets; null values leave gaps. */
function chart(title, times, label, series, { format, min = 0, max, integer = false, nice }) {
  const n = times.length;
  const values = series.flatMap((x) => x.values).filter((v) => v !== null && Number.isFinite(v));
  let top = max ?? Math.max(0, ...values);
  if (max === undefined) top = nice ? nice(top) : niceCeil(top, integer);
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const band = n ? plotW / n : plotW;
  const x = (i) => M.left + i * band;
  const y = (v) => M.top + plotH - ((v - min) / ((top - min) || 1)) * plotH;
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-label': title });
  // Grid and y axis.
  for (let i = 0; i <= 4; i++) {
    const v = min + ((top - min) * i) / 4;
    svg.append(s('line', { x1: M.left, x2: W - M.right, y1: y(v), y2: y(v), class: 'grid' }),
      s('text', { x: M.left - 6, y: y(v) + 4, class: 'axis', 'text-anchor': 'end' }, format(v)));
  }
  // X labels: about six.
  const every = Math.max(1, Math.ceil(n / 6));
  // Every other label is left out on phones (x-odd), where the text is larger.
  for (let i = 0, k = 0; i < n; i += every, k++) {
    svg.append(s('text', { x: x(i) + band / 2, y: H - 8, class: `axis${k % 2 ? ' x-odd' : ''}`, 'text-anchor': 'middle' }, label(times[i])));
  }
  const bars = series.filter((x) => x.kind === 'bar');
  const barW = Math.max(1, (band * 0.8) / Math.max(1, bars.length));
  bars.forEach((serie, k) => {
    serie.values.forEach((v, i) => {
      if (v === null || !v) return;
      const top = y(v);
      svg.append(s('rect', {
        x: x(i) + band * 0.1 + k * barW, y: top, width: Math.max(1, barW - 1), height: Math.max(0, y(min) - top), class: `bar ${serie.cls}`,
      }, s('title', {}, `${label(times[i])}: ${v} ${serie.name}`)));
    });
  });
  for (const serie of series.filter((x) => x.kind === 'line')) {
    let d = '';
    let pen = false;
    serie.values.forEach((v, i) => {
      if (v === null || !Number.isFinite(v)) {
        pen = false;
        return;
      }
      d += `${pen ? 'L' : 'M'}${(x(i) + band / 2).toFixed(1)},${y(v).toFixed(1)}`;
      pen = true;
      svg.append(s('circle', { cx: x(i) + band / 2, cy: y(v), r: n > 60 ? 1.5 : 3, class: `dot ${serie.cls}` },
        s('title', {}, `${label(times[i])}: ${serie.name} ${format(v)}`)));
    });
    if (d) svg.prepend(s('path', { d, class: `line ${serie.cls}` }));
  }
  svg.append(s('line', { x1: M.left, x2: W - M.right, y1: y(min), y2: y(min), class: 'axis-line' }));
  const legend = h('ul', { class: 'legend' }, series.map((x) => h('li', {}, h('span', { class: `swatch ${x.cls} ${x.kind}`, 'aria-hidden': 'true' }), x.name)));
  const table = h('details', { class: 'chart-data' }, h('summary', {}, 'Numbers'),
    h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Bucket'), series.map((x) => h('th', { scope: 'col', class: 'num' }, x.name)))),
      h('tbody', {}, times.map((t, i) => h('tr', {}, h('th', { scope: 'row' }, label(t)),
        series.map((x) => h('td', { class: 'num' }, x.values[i] === null ? '—' : format(x.values[i])))))))));
  return h('figure', { class: 'chart-box' }, h('figcaption', {}, title), svg, legend, table);
}

function niceCeil(v, integer) {
  if (v <= 0) return integer ? 4 : 1;
  const exp = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) {
    const candidate = m * exp;
    if (candidate >= v) return integer ? Math.max(4, Math.ceil(candidate / 4) * 4) : candidate;
  }
  return v;
}

/** A round top for a duration axis (seconds): 4 s, 1 min, 10 min, 2 h, ... so the four ticks read well. */
function niceDuration(v) {
  const steps = [4, 8, 20, 40, 60, 120, 240, 600, 1200, 2400, 3600, 7200, 14400, 28800, 86400, 172800, 345600, 864000];
  return steps.find((s) => s >= v) || niceCeil(v, true);
}
