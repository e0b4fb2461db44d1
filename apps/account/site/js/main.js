// The account page: which view shows (loading, failure, signed out, signed in), and the
// way back from a login (auth's callback redirects to /login/success or
// /login/error?error=<code>, both served as this page).

import { get, post } from './api.js';
import { messageFor } from './messages.js';
import { announce, clearNotices, warn } from './notices.js';
import { loadCharacters } from './views/characters.js';
import { bindDeletion } from './views/deletion.js';
import { bindProfileForm, renderProfile } from './views/profile.js';
import { bindSessions } from './views/sessions.js';
import { renderProviders } from './views/sign-in.js';

const VIEWS = ['view-loading', 'view-failure', 'view-signed-out', 'view-signed-in'];
let reloadSessions = async () => {};

/** Show one view; move the focus to its heading so screen readers start there. */
function show(view, { focus = true } = {}) {
  for (const id of VIEWS) document.getElementById(id).hidden = id !== view;
  document.getElementById('sign-out').hidden = view !== 'view-signed-in';
  const heading = document.querySelector(`#${view} h1`);
  if (focus && heading) heading.focus();
}

/** A failure that is not about a form field: signed out, or a message and a way to retry. */
function failed(error) {
  if (error.signedOut) {
    signedOut(error.code);
    return;
  }
  if (!document.getElementById('view-signed-in').hidden) {
    warn(messageFor(error.code, error.status)); // keep what is on screen, say what failed
    return;
  }
  show('view-failure');
  warn(messageFor(error.code, error.status));
}

/** Show the sign-in view; `code` says why (none: never signed in), or `message` does. */
async function signedOut(code, message) {
  show('view-signed-out');
  const reason = message || (code && code !== 'TOKEN_MISSING' ? messageFor(code) : null);
  if (reason) (message ? announce : warn)(reason);
  try {
    await renderProviders();
  } catch (error) {
    warn(`The sign-in methods could not be loaded. ${messageFor(error.code, error.status)}`);
  }
}

async function loadAccount() {
  show('view-loading', { focus: false });
  let profile;
  try {
    profile = await get('/api/v1/users/me');
  } catch (error) {
    failed(error);
    return false;
  }
  renderProfile(profile);
  show('view-signed-in');
  document.getElementById('characters-error').hidden = true;
  const characters = loadCharacters().catch((error) => {
    if (error.signedOut) throw error;
    const line = document.getElementById('characters-error');
    line.textContent = `Your characters could not be loaded. ${messageFor(error.code, error.status)}`;
    line.hidden = false;
  });
  try {
    await Promise.all([characters, reloadSessions()]);
  } catch (error) {
    failed(error);
    return false;
  }
  return true;
}

/** Where a login came back to: /login/success, or /login/error?error=<code>. */
function loginOutcome() {
  const path = window.location.pathname;
  if (!path.startsWith('/login/')) return null;
  const error = new URLSearchParams(window.location.search).get('error');
  window.history.replaceState(null, '', '/');
  return { error };
}

async function start() {
  bindProfileForm(failed);
  reloadSessions = bindSessions({ onSignedOut: signedOut, onFailure: failed });
  bindDeletion({
    onDeleted: () => signedOut(null, 'Your account was deleted and you are signed out.'),
    onFailure: failed,
  });
  document.getElementById('retry').addEventListener('click', () => {
    clearNotices();
    loadAccount();
  });
  document.getElementById('sign-out').addEventListener('click', async () => {
    try {
      await post('/api/v1/auth/logout');
      signedOut(null, 'You are signed out.');
    } catch (error) {
      failed(error);
    }
  });

  const outcome = loginOutcome();
  if (outcome?.error) {
    await signedOut(null);
    warn(`Sign-in failed: ${messageFor(outcome.error)}`);
    return;
  }
  if (await loadAccount() && outcome) announce('You are signed in.');
}

start();
