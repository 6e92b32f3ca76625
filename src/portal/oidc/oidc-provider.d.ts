/**
 * The part of oidc-provider 9's API the portal uses (the package ships no types). Kept loose on
 * purpose: the configuration object follows the library's documented shape (lib/helpers/defaults.js).
 */
declare module 'oidc-provider' {
  import type Koa from 'koa';
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface InteractionDetails {
    uid: string;
    iat: number;
    exp: number;
    returnTo: string;
    grantId?: string;
    params: Record<string, unknown> & { client_id?: string; scope?: string; max_age?: number | string; prompt?: string };
    prompt: { name: string; reasons: string[]; details: Record<string, unknown> };
    session?: { accountId?: string; uid?: string };
    lastSubmission?: Record<string, unknown>;
  }

  export interface GrantInstance {
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    addResourceScope(indicator: string, scope: string): void;
    save(): Promise<string>;
  }

  export class Provider extends Koa {
    constructor(issuer: string, configuration: Record<string, unknown>);
    issuer: string;
    Grant: { new (init: { accountId: string; clientId: string }): GrantInstance; find(id: string): Promise<GrantInstance | undefined> };
    Client: { find(id: string): Promise<(Record<string, unknown> & { clientId: string; clientName?: string; metadata(): Record<string, unknown> }) | undefined> };
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
    interactionResult(req: IncomingMessage, res: ServerResponse, result: Record<string, unknown>, opts?: { mergeWithLastSubmission?: boolean }): Promise<string>;
    urlFor(name: string, opts?: Record<string, unknown>): string;
  }

  export class CheckClass {
    constructor(reason: string, description: string, check: (ctx: never) => boolean | Promise<boolean>);
    static REQUEST_PROMPT: true;
    static NO_NEED_TO_PROMPT: false;
  }

  export const interactionPolicy: {
    Check: typeof CheckClass;
    base(): { get(name: string): { checks: { add(check: CheckClass): void } } | undefined } & unknown[];
  };

  export const errors: Record<string, new (description?: string, detail?: string) => Error> & {
    InvalidGrant: new (description?: string) => Error;
    SessionNotFound: new (description?: string) => Error;
  };

  export default Provider;
}
