// The board's filter form: shows the filters of the URL, reads what a person changed (selects at once, typing
// after a pause), and offers the agents as assignees.

import { $, $$, h, fill, debounce } from './dom.js';
import { Filters, UNASSIGNED } from './store.js';

export class FilterBar {
  /** {@code onChange} runs when a person changed a filter (compare with {@link #read} to see what). */
  constructor(form, session, onChange) {
    this.form = form;
    this.session = session;
    form.addEventListener('submit', (e) => e.preventDefault());
    for (const select of $$('select', form)) select.addEventListener('change', onChange);
    const typed = debounce(onChange, 300);
    $('#f-label').addEventListener('input', typed);
    $('#f-q').addEventListener('input', typed);
    $('#filters-toggle').addEventListener('click', () => {
      const open = form.classList.toggle('open');
      $('#filters-toggle').setAttribute('aria-expanded', String(open));
    });
    $('#f-clear').addEventListener('click', () => {
      form.reset();
      onChange();
    });
  }

  /** The filters as the form has them now. */
  read() {
    return new Filters({
      assignee: $('#f-assignee').value,
      status: $('#f-status').value,
      priority: $('#f-priority').value,
      label: $('#f-label').value.trim(),
      q: $('#f-q').value.trim(),
    });
  }

  show(filters) {
    const select = (el, value) => {
      if (value && ![...el.options].some((o) => o.value === value)) el.append(h('option', { value }, value));
      el.value = value;
    };
    select($('#f-assignee'), filters.assignee);
    select($('#f-status'), filters.status);
    select($('#f-priority'), filters.priority);
    if ($('#f-label').value !== filters.label) $('#f-label').value = filters.label;
    if ($('#f-q').value !== filters.q) $('#f-q').value = filters.q;
    this.showCount(filters);
  }

  /** "Filters (n)" on the toggle: how many filters are set. */
  showCount(filters) {
    const active = Object.keys(filters.toQuery()).length;
    $('#filters-toggle').textContent = active ? `Filters (${active})` : 'Filters';
  }

  /** The assignee choices: anyone, me, unassigned, and every agent that can hold tasks. */
  showAgents(agents) {
    const select = $('#f-assignee');
    const current = select.value;
    const names = agents.filter((a) => a.role !== 'observer').map((a) => a.name);
    const key = names.join('\n');
    if (key === this.agentNames) return; // unchanged: leave the select alone (it may be open)
    this.agentNames = key;
    const me = this.session.name;
    fill(select, h('option', { value: '' }, 'Any agent'), me ? h('option', { value: 'me' }, `Me (${me})`) : null,
      h('option', { value: UNASSIGNED }, 'Unassigned'), names.map((n) => h('option', { value: n }, n)));
    if (current && ![...select.options].some((o) => o.value === current)) select.append(h('option', { value: current }, current));
    select.value = current;
  }
}
