// Desktop notifications, when the person asks for them (the permission is requested on their click, never
// on load): new attention items, agent kills and budget events. Only while the tab is in the background.

const KEY = 'olympus.notify';

export class Notices {
  constructor(toggle) {
    this.toggle = toggle;
    this.seen = null; // attention item keys already known (null: not loaded yet, so nothing is "new")
    if (!('Notification' in window)) return;
    toggle.hidden = false;
    this.on = Notification.permission === 'granted' && localStorage.getItem(KEY) === 'on';
    this.showToggle();
    toggle.addEventListener('click', async () => {
      if (!this.on && Notification.permission !== 'granted') {
        const answer = await Notification.requestPermission();
        if (answer !== 'granted') {
          this.toggle.title = 'Notifications are blocked for this site in the browser settings.';
          return;
        }
      }
      this.on = !this.on;
      localStorage.setItem(KEY, this.on ? 'on' : 'off');
      this.showToggle();
    });
  }

  showToggle() {
    this.toggle.textContent = this.on ? 'Notifying' : 'Notify me';
    this.toggle.setAttribute('aria-pressed', String(this.on));
    this.toggle.title = this.on ? 'Desktop notifications for attention items, kills and budgets (click to stop)'
      : 'Desktop notifications for attention items, kills and budgets';
  }

  /** The attention queue changed: notify about items not seen before. */
  attention(items) {
    const keys = items.map((i) => (i.kind === 'task' ? `task:${i.task.id}:${i.task.attentionReason}` : `agent:${i.agent.name}`));
    if (this.seen) {
      items.forEach((item, n) => {
        if (this.seen.has(keys[n])) return;
        if (item.kind === 'task') this.show(`#${item.task.id} needs attention: ${item.task.attentionReason}`, item.task.title, `?task=${item.task.id}`);
        else this.show(`${item.agent.name} is unresponsive`, `${item.agent.inProgressTasks ?? 0} task(s) in progress`, '?view=attention');
      });
    }
    this.seen = new Set(keys);
  }

  event(event) {
    if (event.type === 'agent.killed') {
      this.show(`${event.agent} was killed`, `by ${event.actor}${event.data?.reason ? `: ${event.data.reason}` : ''}`, '?view=agents');
    } else if (event.type.startsWith('budget.')) {
      this.show(event.type === 'budget.exhausted' ? 'Budget exhausted' : 'Budget warning', event.agent || 'system budget', '?view=agents');
    }
  }

  show(title, body, url) {
    if (!this.on || !document.hidden || Notification.permission !== 'granted') return;
    const n = new Notification(title, { body, tag: title });
    n.onclick = () => {
      window.focus();
      if (url) location.search = url.slice(1);
    };
  }
}
