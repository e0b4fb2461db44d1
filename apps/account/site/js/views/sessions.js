// The sessions card: every session of the caller (GET /api/v1/auth/sessions), the
// current one marked; "End" ends one (DELETE /api/v1/auth/sessions/{id}), "Sign out
// everywhere" ends them all (POST /api/v1/auth/revoke). Ending the current session signs
// this browser out.

import { del, get, post } from '../api.js';
import { sessionBrowser, sessionDevice, timeElement } from '../format.js';
import { messageFor } from '../messages.js';
import { announce, warn } from '../notices.js';

function cell(...children) {
  const td = document.createElement('td');
  td.append(...children);
  return td;
}

function describe(session) {
  const browser = sessionBrowser(session);
  const device = sessionDevice(session);
  const parsed = [browser, device].filter((part) => part).join(' on ');
  if (parsed) return parsed;
  return session.device_id ? `device ${session.device_id}` : 'an unknown browser';
}

function row(session, handlers) {
  const tr = document.createElement('tr');
  tr.dataset.sessionId = session.session_id;
  if (session.current) tr.className = 'current';

  const device = document.createElement('span');
  device.textContent = sessionDevice(session) || session.device_id || 'Unknown device';
  const deviceCell = cell(device);
  if (session.current) {
    const badge = document.createElement('span');
    badge.className = 'badge';
    badge.textContent = 'This browser';
    deviceCell.append(badge);
  }
  if (session.ip_address) {
    const ip = document.createElement('div');
    ip.className = 'user-agent';
    ip.textContent = session.ip_address;
    deviceCell.append(ip);
  }

  const browserName = sessionBrowser(session);
  const browser = document.createElement(browserName ? 'span' : 'div');
  browser.className = browserName ? '' : 'user-agent';
  browser.textContent = browserName || session.user_agent || 'Unknown browser';
  const provider = document.createElement('div');
  provider.className = 'user-agent';
  provider.textContent = `via ${session.provider}`;

  const end = document.createElement('button');
  end.type = 'button';
  end.className = 'secondary';
  end.textContent = 'End';
  end.setAttribute(
    'aria-label',
    session.current
      ? 'End this session (signs this browser out)'
      : `End the session of ${describe(session)}, last used ${timeElement(session.last_used_at).textContent}`,
  );
  end.addEventListener('click', () => handlers.end(session, end));

  tr.append(
    deviceCell,
    cell(browser, provider),
    cell(timeElement(session.created_at)),
    cell(timeElement(session.last_used_at)),
    cell(end),
  );
  return tr;
}

/** Load and show the sessions; `handlers.end(session, button)` ends one.
 * @throws {ApiError} */
async function loadSessions(handlers) {
  const { sessions } = await get('/api/v1/auth/sessions');
  document
    .querySelector('#sessions tbody')
    .replaceChildren(...sessions.map((session) => row(session, handlers)));
}

/** Wire the card. `onSignedOut(code, message)` when this browser's session ended;
 * `onFailure(error)` for anything else. Returns a function that (re)loads the list. */
export function bindSessions({ onSignedOut, onFailure }) {
  const errorLine = document.getElementById('sessions-error');
  const handlers = {
    async end(session, button) {
      button.disabled = true;
      let endedHere = true;
      try {
        await del(`/api/v1/auth/sessions/${encodeURIComponent(session.session_id)}`);
      } catch (error) {
        button.disabled = false;
        if (error.code !== 'SESSION_NOT_FOUND') {
          onFailure(error);
          return;
        }
        endedHere = false; // it ended elsewhere meanwhile: say so, show the list as it is
        warn(messageFor(error.code));
      }
      if (session.current) {
        onSignedOut(null, 'You ended this session and are signed out.');
        return;
      }
      try {
        await reload();
      } catch (error) {
        onFailure(error);
        return;
      }
      if (endedHere) announce(`Session ended: ${describe(session)}.`);
    },
  };
  async function reload() {
    errorLine.hidden = true;
    try {
      await loadSessions(handlers);
    } catch (error) {
      if (error.signedOut) throw error;
      errorLine.textContent = `Your sessions could not be loaded. ${messageFor(error.code, error.status)}`;
      errorLine.hidden = false;
    }
  }
  document.getElementById('revoke-all').addEventListener('click', async (event) => {
    const button = event.currentTarget;
    button.disabled = true;
    try {
      const { ended_sessions: ended } = await post('/api/v1/auth/revoke');
      onSignedOut(null, `You are signed out everywhere (${ended} session${ended === 1 ? '' : 's'} ended).`);
    } catch (error) {
      onFailure(error);
    } finally {
      button.disabled = false;
    }
  });
  return reload;
}
