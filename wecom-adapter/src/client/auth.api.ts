import { type WecomCall } from './request-runner';

/** auth/getuserinfo: a member gets `userid` (+ `user_ticket` for snsapi_privateinfo), others `openid`. */
export interface UserInfoResponse {
  userid?: string;
  user_ticket?: string;
  openid?: string;
  external_userid?: string;
}

/** OAuth / web-login code exchange, with the agent app's token (PROTOCOL §6). */
export function createAuthApi(call: WecomCall) {
  return {
    /** Single-use code, valid 5 minutes; 40029 when invalid. */
    getUserInfo(code: string) {
      return call<UserInfoResponse>({ app: 'agent', api: 'auth/getuserinfo', method: 'GET', query: { code } });
    },
  };
}

export type AuthApi = ReturnType<typeof createAuthApi>;
