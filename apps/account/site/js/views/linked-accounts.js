// The linked-accounts card: the provider accounts the caller signs in with (GET
// /api/v1/users/me/social-accounts), each with "Unlink" (DELETE
// /api/v1/users/me/social-accounts/{provider}), and a "Link" button for every provider auth
// offers (GET /api/v1/auth/providers) that is not linked yet. A link starts at auth
// (authorize?intent=link) and comes back to /account?linked=<provider> or ?error=<code>.

import { del, get } from '../api.js';
import { timeElement } from '../format.js';
import { messageFor } from '../messages.js';
import { announce, warn } from '../notices.js';

const errorLine = () => document.getElementById('linked-error');
let labels = {};

/** A provider's label on buttons ("Dev (local)"); its name when auth does not list it. */
export function providerLabel(name) {
  return labels[name] || name;
}

function showError(message) {
  const line = errorLine();
  line.textContent = message || '';
  line.hidden = !message;
}

function fact(term, ...value) {
  const item = document.createElement('span');
  item.className = 'meta';
  item.append(`${term} `, ...value);
  return item;
}

function accountItem(account, handlers) {
  const item = document.createElement('li');
  item.dataset.provider = account.provider;
  const name = document.createElement('p');
  name.className = 'name';
  name.textContent = providerLabel(account.provider);
  const email = document.createElement('p');
  email.className = 'meta';
  email.textContent = account.email
    ? `${account.email}${account.email_verified ? ' (verified)' : ' (not verified)'}`
    : 'No e-mail shared';
  const facts = document.createElement('p');
  facts.className = 'facts-line';
  facts.append(
    fact('Linked', timeElement(account.linked_at)),
    fact('Last sign-in', account.last_login_at ? timeElement(account.last_login_at) : 'never'),
  );
  const unlink = document.createElement('button');
  unlink.type = 'button';
  unlink.className = 'secondary';
  unlink.textContent = 'Unlink';
  unlink.setAttribute('aria-label', `Unlink ${providerLabel(account.provider)}`);
  unlink.addEventListener('click', () => handlers.unlink(account, unlink));
  item.append(name, email, facts, unlink);
  return item;
}

function linkItem(provider, handlers) {
  const item = document.createElement('li');
  const button = document.createElement('button');
  button.type = 'button';
  button.dataset.provider = provider.name;
  button.textContent = `Link ${provider.display_name}`;
  button.addEventListener('click', () => handlers.link(provider, button));
  item.append(button);
  return item;
}

async function render(handlers) {
  const [{ social_accounts: accounts }, { providers }] = await Promise.all([
    get('/api/v1/users/me/social-accounts'),
    get('/api/v1/auth/providers'),
  ]);
  labels = Object.fromEntries(providers.map((provider) => [provider.name, provider.display_name]));
  const linked = new Set(accounts.map((account) => account.provider));
  document
    .getElementById('linked-accounts')
    .replaceChildren(...accounts.map((account) => accountItem(account, handlers)));
  const linkable = providers.filter((provider) => !linked.has(provider.name));
  const list = document.getElementById('link-providers');
  list.replaceChildren(...linkable.map((provider) => linkItem(provider, handlers)));
  list.hidden = linkable.length === 0;
  document.getElementById('link-none').hidden = linkable.length > 0;
}

/** Wire the card. `onFailure(error)` gets a signed-out caller (the card says the rest).
 * Returns a function that (re)loads it. */
export function bindLinkedAccounts({ onFailure }) {
  const heading = () => document.getElementById('linked-title');
  const handlers = {
    async unlink(account, button) {
      const label = providerLabel(account.provider);
      button.disabled = true;
      showError(null);
      let unlinkedHere = true;
      try {
        await del(`/api/v1/users/me/social-accounts/${encodeURIComponent(account.provider)}`);
      } catch (error) {
        button.disabled = false;
        if (error.signedOut) {
          onFailure(error);
          return;
        }
        const message = `${label} was not unlinked. ${messageFor(error.code, error.status)}`;
        showError(message);
        warn(message);
        if (error.code !== 'SOCIAL_ACCOUNT_NOT_FOUND') {
          button.focus(); // disabling it may have dropped the focus: give it back
          return;
        }
        unlinkedHere = false; // unlinked elsewhere meanwhile: show the list as it is
      }
      try {
        await reload();
      } catch (error) {
        onFailure(error);
        return;
      }
      heading().focus(); // the button is gone: go on from the card's heading
      if (unlinkedHere) announce(`${label} is unlinked: it no longer signs you in.`);
    },
    async link(provider, button) {
      button.disabled = true;
      showError(null);
      const origin = window.location.origin;
      const query = new URLSearchParams({
        intent: 'link',
        redirect_uri: `${origin}/api/v1/auth/${provider.name}/callback`,
        frontend_origin: origin,
      });
      try {
        const started = await get(`${provider.authorize_url}?${query}`);
        window.location.assign(started.authorization_url);
      } catch (error) {
        button.disabled = false;
        if (error.signedOut) {
          onFailure(error);
          return;
        }
        const message = `${provider.display_name} could not be linked. ${messageFor(error.code, error.status)}`;
        showError(message);
        warn(message);
        button.focus();
      }
    },
  };
  async function reload() {
    showError(null);
    try {
      await render(handlers);
    } catch (error) {
      if (error.signedOut) throw error;
      showError(`Your sign-in methods could not be loaded. ${messageFor(error.code, error.status)}`);
    }
  }
  return reload;
}
