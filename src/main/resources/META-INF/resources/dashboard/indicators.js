// What the page says about itself: the session's notice under the header, the live feed's state in the header,
// and the tab's title, where what needs a person (attention, questions, a freeze) shows even in the background.

import { $, fill } from './dom.js';

export function showSessionNotice(session) {
  const lines = [];
  if (session.mode === 'key') lines.push('This server has no token endpoint: your API key is used as the credential for this tab.');
  if (session.role === 'worker') lines.push('Live updates cover your own tasks only; reload to see others\' changes.');
  $('#notice').hidden = !lines.length;
  fill($('#notice'), lines.join(' '));
}

/** The live feed's state ({@link LiveFeed}'s onState) in the header and on the body (for styles and tests). */
export function showLiveState({ state, detail, mode }, session) {
  const texts = {
    connecting: 'Connecting…',
    live: session.role === 'worker' ? 'Live (your tasks)' : 'Live',
    reconnecting: `Disconnected — reconnecting${detail ? ` (${detail})` : ''}`,
    polling: session.role === 'worker' ? 'Live (your tasks, polling)' : 'Live (polling)',
    refresh: 'Refreshing every 10 s',
    offline: `Offline${detail ? ` — ${detail}` : ''}`,
  };
  $('#live').dataset.state = state;
  $('#live-text').textContent = texts[state] || state;
  document.body.dataset.live = state;
  document.body.dataset.liveMode = mode;
}

export function showTitle() {
  const parts = [];
  const attention = Number($('#attention-count').dataset.count || 0);
  if (attention) parts.push(`${attention} attention`);
  const questions = Number($('#questions-count').dataset.count || 0);
  if (questions) parts.push(`${questions} ${questions === 1 ? 'question' : 'questions'}`);
  if (document.body.dataset.frozen === 'true') parts.push('frozen');
  document.title = parts.length ? `(${parts.join(' · ')}) Olympus` : 'Olympus';
}
