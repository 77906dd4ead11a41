// Tasks whose events carry no snapshot (a comment changes the count) are read again, at most BATCH a second,
// so that a burst of comments cannot run the signed-in agent into its rate limit.

import { debounce } from './dom.js';

const BATCH = 8;

export class Refetcher {
  /** {@code onTasks} receives the tasks read again. */
  constructor(api, onTasks) {
    this.api = api;
    this.onTasks = onTasks;
    this.ids = new Set();
    this.flush = debounce(() => this.run(), 150);
  }

  /** Reads this task again soon. */
  add(id) {
    this.ids.add(id);
    this.flush();
  }

  async run() {
    if (this.running) return;
    this.running = true;
    try {
      const ids = [...this.ids].slice(0, BATCH);
      ids.forEach((id) => this.ids.delete(id));
      const found = await Promise.all(ids.map((id) => this.api.get(`/tasks/${id}`).catch(() => null)));
      const tasks = found.filter(Boolean);
      if (tasks.length) this.onTasks(tasks);
    } finally {
      setTimeout(() => {
        this.running = false;
        if (this.ids.size) this.run();
      }, 1000);
    }
  }
}
