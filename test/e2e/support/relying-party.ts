import * as client from 'openid-client';
import { startLoopbackServer, type LoopbackServer } from './loopback-server.js';

/**
 * A real relying party on a loopback HTTP server, built with openid-client (panva): discovery
 * from the portal's issuer, the authorization code flow with PKCE (S256) and `state`, the code
 * exchanged at the token endpoint. `GET /login` starts a sign-in; `/cb` records the callback URL
 * (the test redeems the code itself, so it can also try a reused code or a wrong verifier);
 * `/bye` is the post-logout redirect URI.
 */
export interface RelyingParty {
  server: LoopbackServer;
  redirectUri: string;
  postLogoutUri: string;
  config: client.Configuration;
  /** The PKCE verifier and state of the last `/login`. */
  last: { verifier: string; state: string; authUrl: URL } | null;
  /** The callback URLs received, in order. */
  callbacks: URL[];
  /** Hits of the post-logout redirect URI. */
  loggedOut: URL[];
  /** `iss` of the sign-ins the portal's service menu started (OIDC Core §4). */
  initiated: string[];
  /** A sign-in URL with fresh PKCE and state (extra authorization parameters allowed). */
  authorizationUrl(extra?: Record<string, string>): Promise<URL>;
  /** Redeems a callback URL (openid-client checks state, iss, the ID token and PKCE). */
  redeem(callback: URL, checks?: { verifier?: string; state?: string }): Promise<client.TokenEndpointResponse & client.TokenEndpointResponseHelpers>;
  close(): Promise<void>;
}

export async function startRelyingParty(issuer: string, clientId: string, clientSecret: string | null, port = 0): Promise<RelyingParty> {
  // eslint-disable-next-line prefer-const -- the server's handler refers to it before it is assigned
  let rp!: RelyingParty;
  const server = await startLoopbackServer(async (req, res) => {
    const url = new URL(req.url ?? '/', rp.server.origin);
    if (url.pathname === '/login') {
      // Third-party initiated login (OIDC Core §4): only from our own issuer.
      const iss = url.searchParams.get('iss');
      url.searchParams.delete('iss');
      if (iss !== null && iss !== issuer) {
        res.writeHead(400, { 'content-type': 'text/plain' });
        return void res.end('unknown issuer');
      }
      if (iss !== null) rp.initiated.push(iss);
      const target = await rp.authorizationUrl(Object.fromEntries(url.searchParams));
      res.writeHead(302, { location: target.href });
      return void res.end();
    }
    if (url.pathname === '/cb') {
      rp.callbacks.push(url);
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      return void res.end('callback received');
    }
    if (url.pathname === '/bye') {
      rp.loggedOut.push(url);
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      return void res.end('logged out');
    }
    res.writeHead(404).end();
  }, port);
  const config = await client.discovery(new URL(issuer), clientId, {}, clientSecret ? client.ClientSecretBasic(clientSecret) : client.None(), { execute: [client.allowInsecureRequests] });
  rp = {
    server,
    redirectUri: `${server.origin}/cb`,
    postLogoutUri: `${server.origin}/bye`,
    config,
    last: null,
    callbacks: [],
    loggedOut: [],
    initiated: [],
    async authorizationUrl(extra = {}) {
      const verifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const authUrl = client.buildAuthorizationUrl(config, {
        redirect_uri: rp.redirectUri,
        scope: 'openid profile email',
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        ...extra,
      });
      rp.last = { verifier, state, authUrl };
      return authUrl;
    },
    async redeem(callback, checks = {}) {
      return client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: checks.verifier ?? rp.last!.verifier, expectedState: checks.state ?? rp.last!.state });
    },
    close: () => server.close(),
  };
  return rp;
}
