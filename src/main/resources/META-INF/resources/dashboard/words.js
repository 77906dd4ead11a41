// Words for people: history lines, who wrote a comment, counts with their noun, a blocked task's reason.

import { STATUS_LABELS } from './store.js';

export const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

/** System comments and events are credited to Olympus, the same way in the comment list and the history. */
export function credit(name, system) {
  return system || name === 'system' ? 'Olympus' : name;
}

const FIELD_WORDS = {
  title: 'renamed it', description: 'edited the description', result: 'wrote the result', labels: 'changed the labels',
  priority: 'changed the priority', dependsOn: 'changed the dependencies', depends_on: 'changed the dependencies',
  dependencies: 'changed the dependencies', maxAttempts: 'changed the attempts allowed', max_attempts: 'changed the attempts allowed',
};
const status = (s) => STATUS_LABELS[s] || s;

/** One line for a history event. */
export function describe(event) {
  const d = event.data || {};
  const task = d.task || {};
  switch (event.type) {
    case 'task.created': return task.retryOf ? `created it as attempt ${task.attempt} (retry of #${task.retryOf})` : 'created the task';
    case 'task.status_changed': return `moved it from ${status(d.from)} to ${status(d.to)}${d.reason ? `: ${d.reason}` : ''}`;
    case 'task.assigned': return d.to ? `assigned it to ${d.to}` : `unassigned it${d.from ? ` (was ${d.from})` : ''}`;
    case 'task.updated': {
      const words = (d.fields || []).map((f) => (f === 'priority' && task.priority ? `changed the priority to ${task.priority}`
        : FIELD_WORDS[f] || `changed the ${f}`));
      return words.length ? join(words) : 'changed the task';
    }
    case 'task.commented': return d.system ? 'added a note' : 'commented';
    case 'task.ready': return 'all dependencies are done: ready to start';
    case 'task.question_asked': return `asked ${d.question?.to || 'orchestrator'}: “${start(d.question?.question || '', 120)}”`;
    case 'task.question_answered': return `answered question #${d.question?.id}: “${start(d.question?.answer || '', 120)}”`;
    case 'task.attention': return `flagged it: ${d.reason || task.attentionReason || 'needs attention'}`;
    default: return event.type.replace(/^task\./, '').replace(/_/g, ' ');
  }
}

function join(words) {
  return words.length < 2 ? words[0] : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

const reasons = new Map(); // "id/version" -> reason text

/**
 * Why a blocked task is blocked: the newest comment written no later than the task's last change (a move
 * to blocked carries its reason as a comment, or follows one). Cached per task version.
 */
export async function blockReason(api, task) {
  const key = `${task.id}/${task.version}`;
  if (reasons.has(key)) return reasons.get(key);
  const until = Date.parse(task.updatedAt) + 1000;
  let found = null;
  try {
    await api.pages(`/tasks/${task.id}/comments`, {}, (items) => {
      for (const c of items) if (Date.parse(c.createdAt) <= until) found = c;
    }, { maxItems: 1000 });
  } catch {
    return null;
  }
  const text = found ? found.body : null;
  reasons.set(key, text);
  return text;
}

/** The first words of a text, for a tooltip. */
export function start(text, max = 140) {
  if (!text) return '';
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
