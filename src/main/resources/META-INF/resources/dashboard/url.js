// The address bar holds the view, the board's filters and the open task, so that every view can be shared and
// survives a reload.

import { $$ } from './dom.js';

const VIEWS = ['board', 'attention', 'questions', 'agents', 'velocity', 'webhooks'];

/** The view the URL names (the board when it names none or an unknown one). */
export function viewOfUrl(params) {
  return VIEWS.includes(params.get('view')) ? params.get('view') : 'board';
}

/** Changes these URL parameters (null or '' removes one); push: a new history entry. Updates the tabs' links. */
export function setUrl(changes, push = false) {
  const params = new URLSearchParams(location.search);
  for (const [key, value] of Object.entries(changes)) {
    if (value === null || value === undefined || value === '' || (key === 'view' && value === 'board')) params.delete(key);
    else params.set(key, value);
  }
  const query = params.toString();
  const url = `${location.pathname}${query ? `?${query}` : ''}`;
  if (url !== `${location.pathname}${location.search}`) history[push ? 'pushState' : 'replaceState'](null, '', url);
  // Tabs keep the filters when opened in a new tab.
  for (const tab of $$('.tab')) {
    const p = new URLSearchParams(params);
    p.delete('task');
    if (tab.dataset.view === 'board') p.delete('view'); else p.set('view', tab.dataset.view);
    tab.href = `?${p.toString()}`;
  }
}
