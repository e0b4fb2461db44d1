// A standards-compliant OpenID Connect provider for the end-to-end login test.
//
// `oidc-provider` (installed by the test into a cache directory, passed in
// E2E_OIDC_MODULE) with one confidential client that must use PKCE S256, and the
// library's development interactions (a login form accepting any name, then a
// consent form), which the test submits over HTTP. Listens on 127.0.0.1:E2E_OIDC_PORT
// and prints "READY" once it accepts connections.
import { pathToFileURL } from 'node:url';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

const { default: Provider } = await import(pathToFileURL(env('E2E_OIDC_MODULE')).href);
const port = Number(env('E2E_OIDC_PORT'));
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: env('E2E_CLIENT_ID'),
      client_secret: env('E2E_CLIENT_SECRET'),
      redirect_uris: env('E2E_REDIRECT_URIS').split(','),
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'RS256',
    },
  ],
  pkce: { methods: ['S256'], required: () => true },
  features: { devInteractions: { enabled: true } },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'nickname', 'picture'],
  },
  async findAccount(_ctx, sub) {
    return {
      accountId: sub,
      async claims() {
        return {
          sub,
          email: `${sub}@e2e.example`,
          email_verified: true,
          name: `E2E ${sub}`,
          nickname: sub,
        };
      },
    };
  },
  cookies: { keys: ['e2e-cookie-signing-key'] },
});

provider.listen(port, '127.0.0.1', () => {
  console.log('READY');
});
