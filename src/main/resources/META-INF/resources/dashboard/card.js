// A task's card on the board: a link (open in a new tab, share) with id, priority, attempt, attention,
// title, labels, assignee, dependencies, cost, comments and its clock (time in progress, else age).

import { h, s, age, localTime, usd } from './dom.js';
import { blockReason, plural, start } from './words.js';
import { cardBadges } from './review.js';

const ICONS = {
  comment: 'M2.5 3.5h11v7h-6l-3 2.5v-2.5h-2z',
  deps: 'M4.5 2.5v6a3 3 0 0 0 3 3h4M9.5 9.5l2 2-2 2',
};

/** A small stroked icon (fonts may lack emoji). */
function icon(name) {
  return s('svg', { class: 'icon', viewBox: '0 0 16 16', 'aria-hidden': 'true', focusable: 'false' },
    s('path', { d: ICONS[name] }));
}

// The attention badge's words: short enough never to be cut; the full reason is in its tooltip.
const ATTENTION_WORDS = { 'lease-expired': 'lease expired', 'stale-blocked': 'stale', 'unanswered-question': 'question' };

/** In progress: since it started; otherwise since it was created. */
export function clockOf(task) {
  return task.status === 'in_progress' && task.startedAt ? task.startedAt : task.createdAt;
}

/** A card: a link (so it can be opened in a new tab or shared) that opens the drawer. */
export function cardContent(task, open, board) {
  const labels = task.labels || [];
  const deps = task.dependsOn || [];
  const inProgress = task.status === 'in_progress' && task.startedAt;
  const retry = task.status === 'failed' && board ? board.store.retryOf(task.id) : null;
  const link = h('a', {
    class: `card prio-${task.priority}`,
    href: `?task=${task.id}`,
    dataset: { taskId: String(task.id) },
    onclick: (e) => {
      if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
      e.preventDefault();
      open();
    },
  },
  h('span', { class: 'card-top' },
    h('span', { class: 'card-id' }, `#${task.id}`),
    h('span', { class: `prio prio-${task.priority}` }, task.priority),
    task.attempt > 1 ? h('span', { class: 'badge attempt', title: `attempt ${task.attempt}${task.retryOf ? `, retry of #${task.retryOf}` : ''}` },
      `try ${task.attempt}`) : null,
    retry ? h('span', { class: 'badge retried', title: `retried as #${retry.id}` }, `→ #${retry.id}`) : null,
    task.needsAttention ? h('span', { class: 'badge attention', title: `Needs attention: ${task.attentionReason || ''}` },
      `⚠ ${ATTENTION_WORDS[task.attentionReason] || 'attention'}`) : null,
    cardBadges(task)),
  h('span', { class: 'card-title', title: task.title }, task.title),
  h('span', { class: 'card-labels' }, labels.slice(0, 3).map((l) => h('span', { class: 'label', title: l }, l)),
    labels.length > 3 ? h('span', { class: 'label more-labels' }, `+${labels.length - 3}`) : null),
  h('span', { class: 'card-meta' },
    h('span', { class: `assignee${task.assignee ? '' : ' none'}`, title: task.assignee || 'unassigned' }, task.assignee || 'unassigned'),
    h('span', { class: 'meta-right' },
      deps.length ? h('span', {
        class: `badge deps${task.ready ? ' ready' : ''}`,
        title: task.ready ? `${plural(deps.length, 'dependency', 'dependencies')}, all done` : `waits for ${plural(deps.length, 'dependency', 'dependencies')}`,
        'aria-label': task.ready ? `${plural(deps.length, 'dependency', 'dependencies')} done` : `waits for ${plural(deps.length, 'dependency', 'dependencies')}`,
      }, icon('deps'), String(deps.length)) : null,
      Number(task.usage?.costUsd) > 0 ? h('span', { class: 'badge cost', title: `cost reported: ${usd(task.usage.costUsd)}`,
        'aria-label': `cost ${usd(task.usage.costUsd)}` }, usd(task.usage.costUsd)) : null,
      h('span', { class: 'badge comments', title: plural(task.commentCount, 'comment', 'comments'), 'aria-label': plural(task.commentCount, 'comment', 'comments') },
        icon('comment'), String(task.commentCount)),
      h('span', {
        class: `age${inProgress ? ' running' : ''}`,
        title: inProgress ? `in progress since ${localTime(task.startedAt)}` : `created ${localTime(task.createdAt)}`,
      }, age(clockOf(task))))));
  if (task.status === 'blocked' && board) {
    // The start of the reason, on hover (read once per version, when first wanted).
    const reason = () => blockReason(board.api, task).then((text) => {
      if (text) link.title = `Blocked: ${start(text)}`;
    });
    link.addEventListener('mouseenter', reason, { once: true });
    link.addEventListener('focus', reason, { once: true });
  }
  return link;
}
