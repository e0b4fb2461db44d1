// The page's only door to the APIs: same-origin JSON requests through the gateway.
//
// Credentials are the HttpOnly cookies auth sets (s_access, s_refresh): the browser sends
// them, this code never sees a token. Every request carries `X-Requested-With`, a header
// a cross-site form cannot send (SameSite=Lax cookies are the CSRF defence; the header
// makes any cross-origin call a CORS preflight as well).
//
// An access token that expired (401 TOKEN_EXPIRED), or whose cookie the browser already
// dropped at its Max-Age (401 TOKEN_MISSING), is refreshed once (POST /api/v1/auth/refresh,
// shared by every request waiting for it) and the request retried once.

/** An answer other than 2xx, or none at all (status 0, code NETWORK_ERROR). */
export class ApiError extends Error {
  constructor(status, code, detail) {
    super(detail || code);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }

  /** True when the caller is not (or no longer) signed in. */
  get signedOut() {
    return this.status === 401 || this.code === 'USER_NOT_FOUND';
  }
}

const REFRESHABLE = new Set(['TOKEN_EXPIRED', 'TOKEN_MISSING']);
const REFRESH = '/api/v1/auth/refresh';
let refreshing = null;

async function send(method, path, body) {
  const headers = { Accept: 'application/json', 'X-Requested-With': 'XMLHttpRequest' };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR', 'The service could not be reached.');
  }
  if (response.status === 204) return null;
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null; // a proxy's HTML error page
  }
  if (response.ok) return data;
  const code = data && typeof data.code === 'string' ? data.code : `HTTP_${response.status}`;
  const detail = data && typeof data.detail === 'string' ? data.detail : response.statusText;
  throw new ApiError(response.status, code, detail);
}

function refreshOnce() {
  if (refreshing === null) {
    refreshing = send('POST', REFRESH).finally(() => {
      refreshing = null;
    });
  }
  return refreshing;
}

/** `method` `path` with an optional JSON `body`; the parsed answer (null for 204).
 * @throws {ApiError} */
export async function request(method, path, body) {
  try {
    return await send(method, path, body);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401 || !REFRESHABLE.has(error.code)) {
      throw error;
    }
    await refreshOnce(); // a failed refresh (401: signed out) is the caller's answer
    return send(method, path, body);
  }
}

export const get = (path) => request('GET', path);
export const post = (path, body) => request('POST', path, body);
export const patch = (path, body) => request('PATCH', path, body);
export const del = (path) => request('DELETE', path);

/** Not a credential: a random id this browser keeps, so its sessions can be told apart. */
export function deviceId() {
  const key = 'eco2.device-id';
  let id = null;
  try {
    id = localStorage.getItem(key);
    if (!id) {
      id = `web-${crypto.randomUUID()}`;
      localStorage.setItem(key, id);
    }
  } catch {
    id = null; // storage disabled: sessions simply carry no device id
  }
  return id;
}
