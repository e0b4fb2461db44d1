// Signed out: one button per provider auth lists (GET /api/v1/auth/providers). A button
// asks auth to start the login (authorize, with this page as the frontend origin and its
// origin's callback as the redirect URI) and sends the browser to the provider.

import { deviceId, get } from '../api.js';
import { messageFor } from '../messages.js';
import { warn } from '../notices.js';

async function startSignIn(provider, button) {
  button.disabled = true;
  const origin = window.location.origin;
  const query = new URLSearchParams({
    redirect_uri: `${origin}/api/v1/auth/${provider.name}/callback`,
    frontend_origin: origin,
  });
  const device = deviceId();
  if (device) query.set('device_id', device);
  try {
    const started = await get(`${provider.authorize_url}?${query}`);
    window.location.assign(started.authorization_url);
  } catch (error) {
    button.disabled = false;
    warn(messageFor(error.code, error.status));
  }
}

/** Fill the provider list.
 * @throws {ApiError} the list could not be loaded */
export async function renderProviders() {
  const list = document.getElementById('providers');
  const { providers } = await get('/api/v1/auth/providers');
  list.replaceChildren(
    ...providers.map((provider) => {
      const item = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.dataset.provider = provider.name;
      button.textContent = `Sign in with ${provider.display_name}`;
      button.addEventListener('click', () => startSignIn(provider, button));
      item.append(button);
      return item;
    }),
  );
  document.getElementById('providers-empty').hidden = providers.length > 0;
}
