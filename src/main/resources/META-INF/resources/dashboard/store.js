// Tasks as the page knows them. Pages of the list and live events may arrive in any order, so every
// write is checked against the newest version seen for that task (also for tasks that left the view).

export const STATUSES = ['todo', 'in_progress', 'in_review', 'blocked', 'done', 'failed', 'canceled'];
export const STATUS_LABELS = {
  todo: 'To do', in_progress: 'In progress', in_review: 'In review', blocked: 'Blocked',
  done: 'Done', failed: 'Failed', canceled: 'Canceled',
};
export const PRIORITIES = ['critical', 'high', 'medium', 'low'];
const RANK = Object.fromEntries(PRIORITIES.map((p, i) => [p, i]));

/** The server's order: priority (critical first), then oldest first. */
export function compareTasks(a, b) {
  return (RANK[a.priority] - RANK[b.priority])
    || (Date.parse(a.createdAt) - Date.parse(b.createdAt))
    || (a.id - b.id);
}

/** Done: the newest completion first (what just finished is what people look for). */
export function compareDone(a, b) {
  return (Date.parse(b.completedAt || b.updatedAt) - Date.parse(a.completedAt || a.updatedAt)) || (b.id - a.id);
}

/** The agent filter's value for tasks without an assignee (the API has no such filter: applied here). */
export const UNASSIGNED = '-';

const list = (value) => (value ? value.split(',').map((v) => v.trim()).filter(Boolean) : []);

/** The board's filters, as in the URL; matches() mirrors GET /tasks so live events are filtered alike. */
export class Filters {
  constructor(params = {}) {
    this.assignee = params.assignee || '';
    this.status = params.status || '';
    this.priority = params.priority || '';
    this.label = params.label || '';
    this.q = params.q || '';
  }

  static fromUrl(search = location.search) {
    const p = new URLSearchParams(search);
    return new Filters(Object.fromEntries(['assignee', 'status', 'priority', 'label', 'q'].map((k) => [k, p.get(k) || ''])));
  }

  toQuery() {
    const q = {};
    for (const key of ['assignee', 'status', 'priority', 'label', 'q']) if (this[key]) q[key] = this[key];
    return q;
  }

  /** The query for GET /tasks: "Unassigned" is not an API filter, so it is left out and matched here. */
  toApiQuery() {
    const q = this.toQuery();
    if (this.assignee === UNASSIGNED) delete q.assignee;
    return q;
  }

  equals(other) {
    return JSON.stringify(this.toQuery()) === JSON.stringify(other.toQuery());
  }

  statuses() {
    const chosen = list(this.status);
    return chosen.length ? STATUSES.filter((s) => chosen.includes(s)) : STATUSES;
  }

  matcher(me) {
    const unassigned = this.assignee === UNASSIGNED;
    const assignees = unassigned ? [] : list(this.assignee).map((a) => (a === 'me' ? me : a));
    const statuses = list(this.status);
    const priorities = list(this.priority);
    const labels = list(this.label);
    const needle = this.q.toLowerCase();
    return (task) => (!unassigned || !task.assignee)
      && (!assignees.length || assignees.includes(task.assignee))
      && (!statuses.length || statuses.includes(task.status))
      && (!priorities.length || priorities.includes(task.priority))
      && (!labels.length || (task.labels || []).some((l) => labels.includes(l)))
      && (!needle || (task.title || '').toLowerCase().includes(needle)
        || (task.description || '').toLowerCase().includes(needle));
  }
}

export class TaskStore {
  constructor() {
    this.reset(() => true);
  }

  reset(matches) {
    this.matches = matches;
    this.tasks = new Map();     // id -> task, the tasks in view
    this.seen = new Map();      // id -> newest version seen, in view or not
    this.dirty = new Set(STATUSES);
    this.changed = new Set();   // ids whose card must be redrawn
    this.sorted = new Map();
  }

  /** Applies a task snapshot; returns true when the view changed. */
  put(task) {
    const known = this.seen.get(task.id);
    if (known !== undefined && known > task.version) return false;
    const current = this.tasks.get(task.id);
    if (current && current.version === task.version && current.commentCount >= task.commentCount
      && current.needsAttention === task.needsAttention && current.ready === task.ready) {
      return false; // nothing new (an older page with the same version)
    }
    this.seen.set(task.id, task.version);
    if (current) this.dirty.add(current.status);
    if (this.matches(task)) {
      this.tasks.set(task.id, task);
      this.dirty.add(task.status);
      this.changed.add(task.id);
    } else if (current) {
      this.tasks.delete(task.id);
    } else {
      return false;
    }
    return true;
  }

  get(id) {
    return this.tasks.get(id);
  }

  /** The tasks of one status in board order (sorted again only after a change). */
  column(status) {
    if (this.dirty.has(status) || !this.sorted.has(status)) {
      const tasks = [];
      for (const task of this.tasks.values()) if (task.status === status) tasks.push(task);
      tasks.sort(status === 'done' ? compareDone : compareTasks);
      this.sorted.set(status, tasks);
      this.dirty.delete(status);
    }
    return this.sorted.get(status);
  }

  labels() {
    const labels = new Set();
    for (const task of this.tasks.values()) for (const l of task.labels || []) labels.add(l);
    return [...labels].sort();
  }

  /** The retry of a failed task, when it is on the page. */
  retryOf(id) {
    for (const task of this.tasks.values()) if (task.retryOf === id) return task;
    return null;
  }

  dependents(id) {
    const found = [];
    for (const task of this.tasks.values()) if ((task.dependsOn || []).includes(id)) found.push(task);
    return found;
  }
}
