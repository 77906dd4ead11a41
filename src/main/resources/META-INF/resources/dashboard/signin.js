// Signing in: the form takes an API key and turns it into a session; a session that ended (expired, killed)
// leaves its reason for the form shown after the reload.

import { $ } from './dom.js';
import { ApiError } from './api.js';

const MESSAGE_KEY = 'olympus.signin-message';

/** Keeps why the session ended, to be shown above the sign-in form after the reload. */
export function leaveSignInMessage(message) {
  sessionStorage.setItem(MESSAGE_KEY, message);
}

export function showSignIn() {
  $('#app').hidden = true;
  $('#signin').hidden = false;
  document.body.dataset.page = 'signin';
  const message = sessionStorage.getItem(MESSAGE_KEY);
  sessionStorage.removeItem(MESSAGE_KEY);
  $('#signin-error').textContent = message || '';
  $('#signin-key').focus();
}

/** Wires the form: {@code onSignedIn} runs once the session holds a credential. */
export function wireSignIn(session, onSignedIn) {
  $('#signin-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const key = $('#signin-key').value.trim();
    const button = $('#signin-submit');
    button.disabled = true;
    $('#signin-error').textContent = '';
    try {
      await session.signIn(key);
      $('#signin-key').value = '';
      $('#signin').hidden = true;
      onSignedIn();
    } catch (err) {
      $('#signin-error').textContent = err instanceof ApiError
        ? (err.status === 401 ? 'That key is not valid.' : err.code === 'agent-killed' ? 'This agent has been killed.' : err.message)
        : `Could not reach Olympus: ${err.message}`;
    } finally {
      button.disabled = false;
    }
  });
}
