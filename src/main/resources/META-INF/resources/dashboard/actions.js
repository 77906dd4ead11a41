// Task writes from the page: which moves a role may ever take (the contract's table, mirrored so the page
// hides what can never work; the server still decides every write), the reasons those moves need, and
// version-guarded writes that turn a 412 into "this changed meanwhile" with a retry on the new version.

import { ApiError } from './api.js';
import { STATUS_LABELS } from './store.js';

// from -> [to, who]: who is 'assignee', 'planner' (orchestrators, operators) or 'either'. Operators take any.
const MOVES = {
  todo: [['in_progress', 'assignee'], ['blocked', 'assignee'], ['canceled', 'planner']],
  in_progress: [['in_review', 'assignee'], ['done', 'assignee'], ['failed', 'assignee'], ['blocked', 'assignee'], ['todo', 'assignee']],
  in_review: [['done', 'either'], ['in_progress', 'either'], ['failed', 'either']],
  blocked: [['todo', 'either'], ['in_progress', 'either']],
  done: [['todo', 'planner']],
  failed: [['todo', 'planner']],
  canceled: [['todo', 'planner']],
};

// Canceling has its own endpoint with a reason (the cancel helper adds its button); not offered as a move here.
const OFFERED_ELSEWHERE = new Set(['canceled']);

/** Words for a move's button: "Start", "Block…", "Reopen"... */
export function moveLabel(from, to) {
  if (to === 'todo') return from === 'in_progress' ? 'Release to To do' : from === 'blocked' ? 'Unblock' : 'Reopen';
  if (to === 'in_progress') return from === 'in_review' ? 'Send back to work…' : from === 'blocked' ? 'Resume' : 'Start';
  if (to === 'blocked') return 'Block…';
  if (to === 'in_review') return 'Ask for review';
  if (to === 'done') return from === 'in_review' ? 'Accept (done)' : 'Done';
  if (to === 'failed') return 'Mark failed';
  return `Move to ${STATUS_LABELS[to] || to}`;
}

/** The status moves this session may take on this task (by role and assignee; states are the server's call). */
export function movesFor(task, session) {
  const role = session.role;
  if (!session.can('work')) return [];
  const mine = task.assignee && task.assignee === session.name;
  const planner = session.can('plan');
  return (MOVES[task.status] || [])
    .filter(([to, who]) => !OFFERED_ELSEWHERE.has(to) && (role === 'operator' || role === 'unknown'
      || (who === 'assignee' && mine) || (who === 'planner' && planner) || (who === 'either' && (mine || planner))))
    .map(([to]) => to);
}

/** What a move needs from a person: a required reason (block) or an optional one sent along as a comment. */
export function reasonFor(from, to) {
  if (to === 'blocked') return { required: true, title: 'Why is it blocked?', text: 'Stored as a comment with the move (the server requires a reason).' };
  if (from === 'in_review' && (to === 'in_progress' || to === 'todo')) {
    return { required: false, title: 'What should change?', text: 'Sent to the assignee as a comment with the move.' };
  }
  return null;
}

/** A lease-expired task can be put back in the queue by an operator (a PATCH to todo that also unassigns it). */
export function canRequeue(task, session) {
  return session.can('operate') && task.status === 'in_progress';
}

export function canRetry(task, session) {
  return session.can('plan') && task.status === 'failed';
}

export const requeuePatch = { status: 'todo', assignee: null };

const FIELDS = ['title', 'status', 'priority', 'assignee', 'labels', 'dependsOn', 'description', 'result'];
const show = (v) => (v === null || v === undefined || (Array.isArray(v) && !v.length) ? '—'
  : Array.isArray(v) ? v.join(', ') : String(v).length > 120 ? `${String(v).slice(0, 117)}…` : String(v));

/** The fields that differ between what the page showed and what the server has now. */
export function diff(before, after) {
  const changes = [];
  for (const field of FIELDS) {
    if (JSON.stringify(before[field] ?? null) !== JSON.stringify(after[field] ?? null)) {
      changes.push({ field, from: show(before[field]), to: show(after[field]) });
    }
  }
  return changes;
}

/**
 * Sends a version-guarded write of `task`: send(version) must make the request. On 412 it reads the task
 * again and rejects with a VersionConflict carrying the current task and what changed.
 */
export async function guardedWrite(api, task, send) {
  try {
    return await send(task.version);
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 412) throw e;
    const current = await api.get(`/tasks/${task.id}`);
    throw new VersionConflict(task, current, e);
  }
}

export class VersionConflict extends Error {
  constructor(before, current, cause) {
    super(`Task #${current.id} changed meanwhile (now version ${current.version}).`);
    this.before = before;
    this.current = current;
    this.changes = diff(before, current);
    this.cause = cause;
  }
}
