// An agent's spend against its budget on its card (a progress bar when it has one), and the operator's
// dialog that sets or removes it (PUT/DELETE /agents/{name}/budget).

import { h, toast, usd } from './dom.js';
import { askReason } from './agents.js';

/** Spent / budget with a progress bar (the period's usage when there is no budget); onSet adds the button. */
export function budgetLine(agent, onSet) {
  const b = agent.budget;
  const spent = b ? Number(b.spentUsd) : Number(agent.periodUsage?.costUsd ?? 0);
  const status = b ? (b.exhausted ? ' exhausted' : b.warned ? ' warned' : '') : '';
  return h('p', { class: `small agent-budget${status}`, dataset: { budget: b ? String(b.costUsd) : '' } },
    b ? h('progress', {
      max: String(b.costUsd), value: String(Math.min(spent, Number(b.costUsd))),
      'aria-label': `${agent.name}: budget used`,
      title: `${usd(spent)} of ${usd(b.costUsd)} this ${b.period}${b.exhausted ? ' (exhausted)' : b.warned ? ' (over 80%)' : ''}`,
    }) : null,
    h('span', { class: 'spent' }, b ? `${usd(spent)} / ${usd(b.costUsd)} per ${b.period}`
      : `${usd(spent)} this ${agent.periodUsage?.period || 'day'}, no budget`),
    onSet ? h('button', { type: 'button', class: 'ghost set-budget', onclick: onSet }, 'Budget') : null);
}

/** Asks for "USD period" ("25 day", "300 month") or "none", and writes it. */
export async function setBudget(api, agent) {
  const current = agent.budget ? `${agent.budget.costUsd} ${agent.budget.period}` : 'none';
  const answer = await askReason({
    title: `Budget of ${agent.name}`,
    text: `USD and period, e.g. "25 day" or "300 month"; "none" removes it (now: ${current}). At 100% the agent is paused and its tasks in progress are released.`,
    confirm: 'Set budget',
    danger: false,
    maxLength: 40,
  });
  if (!answer) return;
  const path = `/agents/${encodeURIComponent(agent.name)}/budget`;
  try {
    if (answer.toLowerCase() === 'none') {
      await api.delete(path);
      toast(`Budget of ${agent.name} removed`);
    } else {
      const [cost, period = 'day'] = answer.split(/\s+/);
      await api.put(path, { costUsd: Number(cost), period });
      toast(`Budget of ${agent.name} set`);
    }
  } catch (e) {
    toast(`Could not set the budget: ${e.message}`, 'error');
  }
}
