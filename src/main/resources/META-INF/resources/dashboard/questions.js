// The questions inbox: open questions the signed-in agent may answer (operators: all, those to "human" first;
// orchestrators: those to "orchestrator" or to them; others: those to them), each with its task, asker, age,
// option buttons and an answer box. Answering unblocks the task; the board hears it from the event stream.

import { h, fill, age, localTime, toast, debounce } from './dom.js';

export class QuestionsInbox {
  constructor(list, counter, api, { session, onOpen, onChange }) {
    this.list = list;
    this.counter = counter;
    this.api = api;
    this.session = session;
    this.onOpen = onOpen;
    this.onChange = onChange || (() => {});
    this.questions = [];
    this.titles = new Map(); // task id -> title, read once per task shown
    this.reload = debounce(() => this.load().catch(() => {}), 300);
  }

  /** May the signed-in agent answer this question? (The server decides; this only hides what would be refused.) */
  canAnswer(q) {
    const role = this.session.role;
    if (role === 'operator' || role === 'unknown') return true;
    if (q.to === 'human') return false;
    if (q.to === 'orchestrator') return role === 'orchestrator';
    return q.to === this.session.name;
  }

  async load() {
    const found = [];
    await this.api.pages('/questions', { state: 'open' }, (items) => found.push(...items), { maxItems: 1000 });
    const rank = (q) => (this.session.role === 'operator' && q.to === 'human' ? 0 : 1);
    this.questions = found.filter((q) => this.canAnswer(q))
      .sort((a, b) => rank(a) - rank(b) || Date.parse(a.askedAt) - Date.parse(b.askedAt));
    this.render();
    const unknown = [...new Set(this.questions.map((q) => q.taskId))].filter((id) => !this.titles.has(id)).slice(0, 50);
    if (unknown.length) {
      const tasks = await Promise.all(unknown.map((id) => this.api.get(`/tasks/${id}`).catch(() => null)));
      tasks.filter(Boolean).forEach((t) => this.titles.set(t.id, t.title));
      this.render();
    }
  }

  /** Events: a question asked or answered anywhere changes the inbox. */
  onEvent(event) {
    if (event.type === 'task.question_asked' || event.type === 'task.question_answered') this.reload();
  }

  render() {
    const n = this.questions.length;
    this.counter.textContent = String(n);
    this.counter.dataset.count = String(n);
    this.onChange(n);
    if (!n) {
      fill(this.list, h('li', { class: 'muted empty' }, 'No open questions for you.'));
      return;
    }
    // Keep what someone is typing: redraw only when no answer box has focus.
    if (this.list.contains(document.activeElement) && document.activeElement.tagName === 'TEXTAREA') return;
    fill(this.list, this.questions.map((q) => this.item(q)));
  }

  item(q) {
    const text = h('textarea', { class: 'answer-text', rows: '2', maxlength: '16384', placeholder: 'Your answer',
      'aria-label': `Answer to question ${q.id}` });
    const send = (choice) => this.answer(q, choice, text.value);
    return h('li', { class: 'question-item', dataset: { questionId: String(q.id), taskId: String(q.taskId) } },
      h('div', { class: 'question-head' },
        h('span', { class: `badge to-${q.to === 'human' || q.to === 'orchestrator' ? q.to : 'agent'}` }, `to ${q.to}`),
        h('a', { href: `?task=${q.taskId}`, class: 'task-link', onclick: (e) => {
          if (e.metaKey || e.ctrlKey || e.shiftKey) return;
          e.preventDefault();
          this.onOpen(q.taskId);
        } }, this.titles.has(q.taskId) ? `#${q.taskId} ${this.titles.get(q.taskId)}` : `#${q.taskId}`),
        h('span', { class: 'muted small' }, `asked by ${q.askedBy}`),
        h('time', { datetime: q.askedAt, title: localTime(q.askedAt), class: 'since' }, `${age(q.askedAt)} ago`)),
      h('p', { class: 'question-text' }, q.question),
      q.options.length ? h('div', { class: 'question-options' }, q.options.map((option) =>
        h('button', { type: 'button', class: 'ghost option', onclick: () => send(option) }, option))) : null,
      h('div', { class: 'question-answer' }, text,
        h('button', { type: 'button', class: 'primary answer', onclick: () => send(null) }, 'Answer')));
  }

  async answer(q, choice, text) {
    const body = {};
    if (text && text.trim()) body.answer = text.trim();
    if (choice) body.choice = choice;
    if (!body.answer && !body.choice) {
      toast('Write an answer or pick an option.', 'error');
      return;
    }
    try {
      await this.api.post(`/questions/${q.id}/answer`, body);
      this.questions = this.questions.filter((other) => other.id !== q.id);
      this.render();
      toast(`Answered question #${q.id}: #${q.taskId} is unblocked`);
    } catch (e) {
      toast(`Question #${q.id}: ${e.message}`, 'error');
      this.reload();
    }
  }
}
