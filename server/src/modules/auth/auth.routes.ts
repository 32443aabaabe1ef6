import { publicRoute, route } from '../../core/http/define-route';
import type { AuthService } from './auth.service';
import { loginBody, loginResult, meResult, updateMeBody, userSummary } from './auth.schemas';

export const authRoutes = (auth: AuthService) => [
  publicRoute({
    public: true,
    method: 'post',
    path: '/api/auth/login',
    tag: 'auth',
    summary: 'Sign in with username and password; returns a bearer token',
    body: loginBody,
    response: loginResult,
    handler: ({ body, ctx }) => auth.login(body.username, body.password, { ip: ctx.ip, userAgent: ctx.get('user-agent') }),
  }),
  route({
    method: 'post',
    path: '/api/auth/logout',
    tag: 'auth',
    summary: 'Revoke the current token on every instance',
    handler: async ({ actor }) => auth.logout(actor),
  }),
  route({ method: 'get', path: '/api/auth/me', tag: 'auth', summary: 'The signed-in user, permissions and console menus', response: meResult, handler: ({ actor }) => auth.me(actor) }),
  route({
    method: 'patch',
    path: '/api/auth/me',
    tag: 'auth',
    summary: 'Change the signed-in user\'s language',
    body: updateMeBody,
    response: userSummary,
    handler: ({ actor, body }) => auth.setLocale(actor, body.locale),
  }),
];
