// The agents panel (state, heartbeat, task counts; kill and revive for operators), the freeze switch
// and banner, and the in-page reason dialog they share.

import { h, fill, relative, localTime, toast, usd } from './dom.js';

/** Asks for a reason in the page's own dialog; resolves with the reason or null when canceled. */
export function askReason({ title, text, confirm = 'Confirm', danger = true }) {
  const dialog = document.getElementById('reason-dialog');
  const input = document.getElementById('reason-input');
  const button = document.getElementById('reason-confirm');
  document.getElementById('reason-title').textContent = title;
  document.getElementById('reason-text').textContent = text;
  button.textContent = confirm;
  button.className = danger ? 'danger' : 'primary';
  input.value = '';
  return new Promise((resolve) => {
    const form = document.getElementById('reason-form');
    const cancel = document.getElementById('reason-cancel');
    const done = (value) => {
      form.removeEventListener('submit', onSubmit);
      cancel.removeEventListener('click', onCancel);
      dialog.removeEventListener('cancel', onCancel);
      if (dialog.open) dialog.close();
      resolve(value);
    };
    const onSubmit = (e) => {
      e.preventDefault();
      const reason = input.value.trim();
      if (!reason) {
        input.focus();
        return;
      }
      done(reason);
    };
    const onCancel = (e) => {
      e.preventDefault();
      done(null);
    };
    form.addEventListener('submit', onSubmit);
    cancel.addEventListener('click', onCancel);
    dialog.addEventListener('cancel', onCancel);
    dialog.showModal();
    input.focus();
  });
}

const STATE_LABEL = { active: 'active', unresponsive: 'unresponsive', paused: 'paused', killed: 'killed' };

export class AgentsPanel {
  constructor(tbody, api, session, { onChange }) {
    this.tbody = tbody;
    this.api = api;
    this.session = session;
    this.onChange = onChange;
    this.agents = [];
    this.loading = null;
  }

  async load() {
    if (this.loading) return this.loading;
    this.loading = (async () => {
      const agents = [];
      await this.api.pages('/agents', {}, (items) => agents.push(...items));
      this.agents = agents;
      this.render();
      this.onChange(agents);
    })().finally(() => { this.loading = null; });
    return this.loading;
  }

  render() {
    const operator = this.session.can('operate');
    const now = Date.now();
    fill(this.tbody, this.agents.map((a) => h('tr', { dataset: { agent: a.name, state: a.state } },
      h('th', { scope: 'row' }, h('span', { class: 'agent-name' }, a.name),
        a.description ? h('span', { class: 'muted small block' }, a.description) : null),
      h('td', {}, a.role),
      h('td', {}, h('span', { class: `state state-${a.state}`, title: a.stateReason || '' }, STATE_LABEL[a.state] || a.state),
        a.state === 'killed' && a.stateReason ? h('span', { class: 'muted small block' }, a.stateReason) : null),
      h('td', { title: a.lastHeartbeatAt ? localTime(a.lastHeartbeatAt) : '' }, relative(a.lastHeartbeatAt, now),
        a.nextHeartbeatDueAt ? h('span', { class: 'muted small block' }, `next due ${relative(a.nextHeartbeatDueAt, now)}`) : null),
      h('td', { class: 'num' }, String(a.openTasks ?? 0)),
      h('td', { class: 'num' }, String(a.inProgressTasks ?? 0)),
      budgetCell(a, operator, () => this.setBudget(a)),
      h('td', { class: 'actions' }, operator && a.name !== this.session.name ? (a.state === 'killed'
        ? h('button', { type: 'button', class: 'ghost revive', onclick: () => this.revive(a.name) }, 'Revive')
        : h('button', { type: 'button', class: 'danger kill', onclick: () => this.kill(a.name) }, 'Kill')) : null))));
  }

  async setBudget(agent) {
    const current = agent.budget ? `${agent.budget.costUsd} ${agent.budget.period}` : 'none';
    const answer = await askReason({
      title: `Budget of ${agent.name}`,
      text: `USD and period, e.g. "25 day" or "300 month"; "none" removes it (now: ${current}). At 100% the agent is paused and its tasks in progress are released.`,
      confirm: 'Set budget',
      danger: false,
    });
    if (!answer) return;
    const path = `/agents/${encodeURIComponent(agent.name)}/budget`;
    try {
      if (answer.toLowerCase() === 'none') {
        await this.api.delete(path);
        toast(`Budget of ${agent.name} removed`);
      } else {
        const [cost, period = 'day'] = answer.split(/\s+/);
        await this.api.put(path, { costUsd: Number(cost), period });
        toast(`Budget of ${agent.name} set`);
      }
    } catch (e) {
      toast(`Could not set the budget: ${e.message}`, 'error');
    }
    this.load().catch(() => {});
  }

  async kill(name) {
    const reason = await askReason({
      title: `Kill ${name}?`,
      text: 'Its keys and tokens stop working at once, its sessions close and its tasks in progress go back to the queue.',
      confirm: 'Kill agent',
    });
    if (!reason) return;
    await this.act(name, 'kill', reason, `${name} killed`);
  }

  async revive(name) {
    const reason = await askReason({ title: `Revive ${name}?`, text: 'Its API keys work again; old tokens stay invalid.', confirm: 'Revive', danger: false });
    if (!reason) return;
    await this.act(name, 'revive', reason, `${name} revived`);
  }

  async act(name, action, reason, message) {
    try {
      const agent = await this.api.post(`/agents/${encodeURIComponent(name)}/${action}`, { reason });
      const i = this.agents.findIndex((a) => a.name === name);
      if (agent && agent.name && i >= 0) this.agents[i] = agent;
      this.render();
      this.onChange(this.agents);
      toast(message);
    } catch (e) {
      toast(`Could not ${action} ${name}: ${e.message}`, 'error');
    }
    this.load().catch(() => {});
  }
}

/** Spent / budget with a progress bar (period usage when there is no budget); operators get a button to set it. */
function budgetCell(agent, operator, onSet) {
  const b = agent.budget;
  const spent = b ? Number(b.spentUsd) : Number(agent.periodUsage?.costUsd ?? 0);
  return h('td', { class: 'budget' },
    b ? h('progress', { max: String(b.costUsd), value: String(Math.min(spent, Number(b.costUsd))),
      title: `${usd(spent)} of ${usd(b.costUsd)} this ${b.period}${b.exhausted ? ' (exhausted)' : b.warned ? ' (over 80%)' : ''}` }) : null,
    h('span', { class: 'small block' }, b ? `${usd(spent)} / ${usd(b.costUsd)} per ${b.period}` : `${usd(spent)} this ${agent.periodUsage?.period || 'day'}`),
    operator ? h('button', { type: 'button', class: 'ghost set-budget', onclick: onSet }, 'Budget') : null);
}

/** The freeze banner for everyone; the switch for operators. */
export class Freeze {
  constructor(api, session, banner, toggle) {
    this.api = api;
    this.session = session;
    this.banner = banner;
    this.toggle = toggle;
    this.system = { frozen: false };
    toggle.addEventListener('click', () => this.flip());
  }

  async load() {
    try {
      this.show(await this.api.get('/system'));
    } catch (e) {
      if (e.status !== 404) throw e;
      this.toggle.hidden = true; // no freeze on this server (yet)
    }
  }

  show(system) {
    this.system = system || { frozen: false };
    const frozen = Boolean(this.system.frozen);
    document.body.dataset.frozen = String(frozen);
    this.banner.hidden = !frozen;
    if (frozen) {
      const by = this.system.frozenBy ? ` by ${this.system.frozenBy}` : '';
      const at = this.system.frozenAt ? ` at ${localTime(this.system.frozenAt)}` : '';
      fill(this.banner, h('strong', {}, 'System frozen'), `${by}${at}: `, this.system.reason || 'no reason given',
        ' — writes by agents are refused until an operator unfreezes.');
    }
    this.toggle.hidden = !this.session.can('operate');
    this.toggle.textContent = frozen ? 'Unfreeze' : 'Freeze';
    this.toggle.setAttribute('aria-pressed', String(frozen));
    this.toggle.classList.toggle('danger', !frozen);
  }

  async flip() {
    try {
      if (this.system.frozen) {
        this.show(await this.api.post('/system/unfreeze', {}));
        toast('System unfrozen');
      } else {
        const reason = await askReason({
          title: 'Freeze the system?',
          text: 'Every write by a non-operator is refused (423) until you unfreeze. Reads and heartbeats go on.',
          confirm: 'Freeze',
        });
        if (!reason) return;
        this.show(await this.api.post('/system/freeze', { reason }));
        toast('System frozen');
      }
    } catch (e) {
      toast(`Could not change the freeze: ${e.message}`, 'error');
    }
  }
}
