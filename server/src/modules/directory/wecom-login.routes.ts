import { z } from 'zod';
import { publicRoute } from '../../core/http/define-route';
import { loginResult } from '../auth/auth.schemas';
import { authorizeUrlQuery, wecomLoginBody } from './directory.schemas';
import type { WecomLoginService } from './wecom-login.service';

/** Sign-in through WeCom (in-client OAuth or web QR login); the reply is that of password sign-in. */
export const wecomLoginRoutes = (login: WecomLoginService) => [
  publicRoute({
    public: true,
    method: 'get',
    path: '/api/auth/wecom/authorize-url',
    tag: 'auth',
    summary: 'The WeCom page that signs a member in (mode oauth: inside the WeCom client; qr: web QR login) and comes back to `redirect` with ?code=&state=',
    query: authorizeUrlQuery,
    response: z.object({ url: z.string() }),
    handler: async ({ query, ctx }) => ({ url: (await login.authorizeUrl(query.redirect, query.mode, `${ctx.protocol}://${ctx.host}`)).url }),
  }),
  publicRoute({
    public: true,
    method: 'post',
    path: '/api/auth/wecom/login',
    tag: 'auth',
    summary: 'Finish a WeCom sign-in with the code and state WeCom sent back; returns a bearer token',
    body: wecomLoginBody,
    response: loginResult,
    handler: ({ body, ctx }) => login.login(body.code, body.state, { ip: ctx.ip, userAgent: ctx.get('user-agent') }),
  }),
];
