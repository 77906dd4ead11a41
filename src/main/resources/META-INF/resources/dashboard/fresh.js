// Cards that arrived in a board column out of view: "N new" in the column's head until they are scrolled into
// view; a click on it scrolls to the first of them.

export class FreshCards {
  /**
   * @param body    the column's scrolling body
   * @param list    the column's list of cards
   * @param marker  the "N new" button in the column's head
   * @param cardOf  id -> the task's card element, if it has one
   */
  constructor(body, list, marker, cardOf) {
    this.body = body;
    this.list = list;
    this.marker = marker;
    this.cardOf = cardOf;
    this.ids = new Set();
    body.addEventListener('scroll', () => this.seen(), { passive: true });
    marker.addEventListener('click', () => this.scrollToFirst());
  }

  /** These cards just arrived: the ones out of view count as new. */
  note(ids) {
    const view = this.body.getBoundingClientRect();
    for (const id of ids) {
      const el = this.cardOf(id);
      if (!el || !view.height) continue;
      const r = el.getBoundingClientRect();
      if (r.bottom > view.bottom + 2 || r.top < view.top - 2) this.ids.add(id);
    }
    this.show();
  }

  /** Forgets the new cards now in view (or gone). */
  seen() {
    if (!this.ids.size) return;
    const view = this.body.getBoundingClientRect();
    for (const id of this.ids) {
      const el = this.cardOf(id);
      const r = el?.getBoundingClientRect();
      if (!el || !el.isConnected || (r.top >= view.top - 2 && r.bottom <= view.bottom + 2)) this.ids.delete(id);
    }
    this.show();
  }

  clear() {
    this.ids.clear();
    this.show();
  }

  scrollToFirst() {
    const first = [...this.list.children].find((li) => this.ids.has(Number(li.dataset.taskId)));
    first?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
    this.clear();
  }

  show() {
    this.marker.hidden = !this.ids.size;
    this.marker.textContent = `${this.ids.size} new`;
  }
}
