// The Webhooks view (operators): list, create (the secret is shown once), pause, resume, replay, and each
// webhook's delivery log with status codes. Same rules as the API: the server validates and answers problems.

import { h, fill, relative, localTime, toast } from './dom.js';

const list = (raw) => raw.split(',').map((s) => s.trim()).filter(Boolean);

export class WebhooksPanel {
  constructor(root, api, session) {
    this.root = root;
    this.api = api;
    this.session = session;
    this.webhooks = [];
    this.open = new Set();
    this.secret = null;
  }

  async load() {
    if (!this.session.can('operate')) {
      fill(this.root, h('p', { class: 'muted' }, 'Only operators manage webhooks.'));
      return;
    }
    const webhooks = [];
    await this.api.pages('/webhooks', {}, (items) => webhooks.push(...items));
    this.webhooks = webhooks;
    const logs = await Promise.all(webhooks.filter((w) => this.open.has(w.id))
      .map((w) => this.api.get(`/webhooks/${w.id}/deliveries`, { limit: 20 }).then((page) => [w.id, page.items])));
    this.render(new Map(logs));
  }

  render(logs = new Map()) {
    const now = Date.now();
    fill(this.root,
      this.form(),
      this.secret ? h('div', { class: 'secret', role: 'status', id: 'webhook-secret' },
        h('strong', {}, 'Secret for webhook ', String(this.secret.id), ' (shown once, copy it now): '),
        h('code', { class: 'secret-value' }, this.secret.value),
        h('button', { type: 'button', class: 'ghost', onclick: () => { this.secret = null; this.render(logs); } }, 'Hide')) : null,
      h('div', { class: 'table-wrap' }, h('table', { class: 'webhooks', id: 'webhooks' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, 'URL'), h('th', { scope: 'col' }, 'Filters'), h('th', { scope: 'col' }, 'State'),
          h('th', { scope: 'col', class: 'num' }, 'Cursor'), h('th', { scope: 'col', class: 'num' }, 'Failures'),
          h('th', { scope: 'col' }, 'Last delivered'), h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, 'Actions')))),
        h('tbody', {}, this.webhooks.length ? this.webhooks.map((w) => this.rows(w, logs.get(w.id), now))
          : h('tr', {}, h('td', { colspan: 7, class: 'muted' }, 'No webhooks yet.'))))));
  }

  form() {
    const field = (name, label, attrs = {}) => h('label', {}, label, h('input', { name, type: 'text', spellcheck: 'false', autocapitalize: 'off', ...attrs }));
    return h('form', { class: 'webhook-form', id: 'webhook-form', onsubmit: (e) => this.create(e) },
      field('url', 'URL', { required: true, placeholder: 'https://…', class: 'grow' }),
      field('types', 'Types', { placeholder: 'task.ready, task.created (empty: all)' }),
      field('assignee', 'Assignee', { placeholder: 'any' }),
      field('label', 'Label', { placeholder: 'any' }),
      field('description', 'Description'),
      h('button', { type: 'submit', class: 'primary' }, 'Create webhook'));
  }

  rows(w, log, now) {
    const filters = [w.types.length ? w.types.join(', ') : 'all types', w.assignee ? `assignee ${w.assignee}` : null,
      w.label ? `label ${w.label}` : null].filter(Boolean).join(' · ');
    const action = (text, onclick, cls = 'ghost') => h('button', { type: 'button', class: cls, onclick }, text);
    const main = h('tr', { dataset: { webhook: String(w.id), state: w.state } },
      h('th', { scope: 'row' }, h('span', { class: 'webhook-url' }, w.url),
        w.description ? h('span', { class: 'muted small block' }, w.description) : null),
      h('td', {}, filters),
      h('td', {}, h('span', { class: `state state-${w.state}` }, w.state),
        w.lastError ? h('span', { class: 'muted small block', title: w.lastError }, w.lastError) : null),
      h('td', { class: 'num' }, String(w.cursor)),
      h('td', { class: 'num' }, String(w.failures)),
      h('td', { title: w.lastDeliveredAt ? localTime(w.lastDeliveredAt) : '' }, w.lastDeliveredAt ? relative(w.lastDeliveredAt, now) : '—'),
      h('td', { class: 'actions' },
        w.state === 'active' ? action('Pause', () => this.setState(w, 'paused'))
          : action('Resume', () => this.setState(w, 'active'), 'primary'),
        action('Replay…', () => this.replay(w)),
        action(this.open.has(w.id) ? 'Hide deliveries' : 'Deliveries', () => this.toggle(w))));
    if (!this.open.has(w.id)) return main;
    const items = log || [];
    return [main, h('tr', { class: 'deliveries-row' }, h('td', { colspan: 7 },
      h('table', { class: 'deliveries', dataset: { webhook: String(w.id) } },
        h('thead', {}, h('tr', {}, ['Event', 'Attempt', 'Status', 'Duration', 'Error', 'At'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, items.length ? items.map((d) => h('tr', { dataset: { status: d.status == null ? 'none' : String(d.status) } },
          h('td', {}, String(d.eventId)), h('td', {}, String(d.attempt)),
          h('td', { class: d.error ? 'bad' : 'good' }, d.status == null ? '—' : String(d.status)),
          h('td', {}, `${d.durationMs} ms`), h('td', {}, d.error || ''), h('td', { title: localTime(d.at) }, relative(d.at, now))))
          : h('tr', {}, h('td', { colspan: 6, class: 'muted' }, 'No attempts yet.'))))))];
  }

  async create(e) {
    e.preventDefault();
    const data = new FormData(e.target);
    const body = { url: data.get('url').trim() };
    if (list(data.get('types')).length) body.types = list(data.get('types'));
    for (const key of ['assignee', 'label', 'description']) if (data.get(key).trim()) body[key] = data.get(key).trim();
    try {
      const created = await this.api.post('/webhooks', body);
      this.secret = { id: created.webhook.id, value: created.secret };
      await this.load();
      toast('Webhook created');
    } catch (error) {
      toast(error.message, 'error');
    }
  }

  async setState(w, state) {
    await this.act(() => this.api.request('PATCH', `/webhooks/${w.id}`, { body: { state } }), state === 'paused' ? 'Paused' : 'Resumed');
  }

  async replay(w) {
    // An inline input rather than window.prompt: testable, and it keeps the row in view.
    const input = h('input', { type: 'number', min: '0', value: String(w.cursor), 'aria-label': 'Replay after event id', class: 'replay-input' });
    const row = this.root.querySelector(`tr[data-webhook="${w.id}"] td.actions`);
    fill(row, input,
      h('button', { type: 'button', class: 'primary', onclick: () => this.act(() => this.api.post(`/webhooks/${w.id}/replay`, { after: Number(input.value) }), 'Cursor rewound') }, 'Replay'),
      h('button', { type: 'button', class: 'ghost', onclick: () => this.load() }, 'Cancel'));
    input.focus();
  }

  async toggle(w) {
    if (this.open.has(w.id)) this.open.delete(w.id); else this.open.add(w.id);
    await this.load().catch((error) => toast(error.message, 'error'));
  }

  async act(call, message) {
    try {
      await call();
      toast(message);
      await this.load();
    } catch (error) {
      toast(error.message, 'error');
    }
  }
}
