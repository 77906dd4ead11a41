// One task's comments in the drawer: the list, oldest first, and (for those who may comment) the form to add one.

import { h, fill, localTime, age } from './dom.js';
import { credit } from './words.js';

export class CommentThread {
  constructor(api, taskId, { canComment }) {
    this.api = api;
    this.taskId = taskId;
    this.list = h('ol', { class: 'comment-list', 'aria-label': 'Comments' });
    this.form = canComment ? this.commentForm() : null;
  }

  async load() {
    const items = [];
    try {
      await this.api.pages(`/tasks/${this.taskId}/comments`, {}, (page) => items.push(...page), { maxItems: 1000 });
    } catch (e) {
      fill(this.list, h('li', { class: 'error' }, e.message));
      return;
    }
    fill(this.list, items.length ? items.map((c) => h('li', { class: `comment${c.system ? ' system' : ''}`, dataset: { commentId: String(c.id) } },
      h('div', { class: 'comment-head' }, h('strong', {}, credit(c.author, c.system)), ' ',
        h('time', { datetime: c.createdAt, title: localTime(c.createdAt) }, `${age(c.createdAt)} ago`)),
      h('div', { class: 'prose' }, c.body))) : h('li', { class: 'muted' }, 'No comments yet.'));
  }

  commentForm() {
    const text = h('textarea', { id: 'comment-body', rows: 3, maxlength: 16384, required: true, 'aria-label': 'New comment' });
    const error = h('p', { class: 'error', role: 'alert' });
    const submit = h('button', { type: 'submit', class: 'primary', id: 'comment-submit' }, 'Add comment');
    const form = h('form', { class: 'comment-form', onsubmit: async (e) => {
      e.preventDefault();
      const body = text.value.trim();
      if (!body) return;
      submit.disabled = true;
      error.textContent = '';
      try {
        await this.api.post(`/tasks/${this.taskId}/comments`, { body });
        text.value = '';
        this.load();
      } catch (err) {
        error.textContent = err.message;
      } finally {
        submit.disabled = false;
      }
    } }, text, error, submit);
    text.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) form.requestSubmit();
    });
    return form;
  }
}
