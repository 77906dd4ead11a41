// Keyboard shortcuts: / searches, c creates a task, e edits the open task. Never while typing in a field,
// never with a modifier (the browser's own shortcuts stay), and c and e only for roles that can act.

import { $ } from './dom.js';
import { setUrl } from './url.js';

export function wireKeys(app, session) {
  document.addEventListener('keydown', (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || e.target.closest('input, textarea, select, [contenteditable]')) return;
    const dialogOpen = Boolean(document.querySelector('dialog[open]'));
    if (e.key === '/' && !dialogOpen) {
      e.preventDefault();
      setUrl({ view: 'board' }, true);
      app.applyUrl();
      $('#f-q').focus();
    } else if (e.key === 'c' && !dialogOpen && session.can('plan')) {
      e.preventDefault();
      app.taskForm.open();
    } else if (e.key === 'e' && app.drawer.openId !== null && !$('#reason-dialog').open && session.can('plan')) {
      e.preventDefault();
      app.drawer.edit();
    }
  });
}
