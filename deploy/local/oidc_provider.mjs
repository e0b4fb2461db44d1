// The local OpenID Connect provider: auth's provider `dev` under `scripts/run`, and the
// provider of the end-to-end tests.
//
// `oidc-provider` from npm (deploy/local/install-oidc-provider installs it and prints the
// path given as --module) with one confidential client that must use PKCE S256
// (client_secret_basic, RS256 id_tokens), and the library's development interactions:
// a login form that accepts any name and any password, then a consent form. Every
// account exists: `sub` is the name typed, with a verified e-mail `<name>@<email-domain>`.
// Never expose it: it signs in anyone.
//
//   node deploy/local/oidc_provider.mjs --module <oidc-provider/lib/index.js>
//     [--host 127.0.0.1] [--port 9400] [--issuer http://<host>:<port>]
//     [--client-id eco2-local] [--client-secret eco2-local-secret]
//     [--redirect-uri <uri>]...  (default: auth's `dev` callback through the gateway,
//                                 http://127.0.0.1:8080, and direct, http://127.0.0.1:8001)
//     [--email-domain dev.example]
//
// The client defaults are auth's `AUTH_OAUTH__DEV__…` defaults. Prints "READY <issuer>"
// once it accepts connections.
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    module: { type: 'string' },
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '9400' },
    issuer: { type: 'string' },
    'client-id': { type: 'string', default: 'eco2-local' },
    'client-secret': { type: 'string', default: 'eco2-local-secret' },
    'redirect-uri': {
      type: 'string',
      multiple: true,
      default: [
        'http://127.0.0.1:8080/api/v1/auth/dev/callback',
        'http://127.0.0.1:8001/api/v1/auth/dev/callback',
      ],
    },
    'email-domain': { type: 'string', default: 'dev.example' },
  },
  strict: true,
});
if (!args.module) throw new Error('--module <path of oidc-provider/lib/index.js> is required');

const { default: Provider } = await import(pathToFileURL(args.module).href);
const port = Number(args.port);
const issuer = args.issuer ?? `http://${args.host}:${port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: args['client-id'],
      client_secret: args['client-secret'],
      redirect_uris: args['redirect-uri'],
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
          email: `${sub}@${args['email-domain']}`,
          email_verified: true,
          name: `Dev ${sub}`,
          nickname: sub,
        };
      },
    };
  },
  cookies: { keys: ['eco2-local-oidc-cookie-key'] },
});

const server = provider.listen(port, args.host, () => {
  console.log(`READY ${issuer}: sign in with any name (client ${args['client-id']})`);
});
server.on('error', (error) => {
  console.error(`cannot listen on ${args.host}:${port} (--host/--port): ${error.message}`);
  process.exit(1);
});
