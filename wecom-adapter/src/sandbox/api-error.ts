/** WeCom global error codes the sandbox answers with (PROTOCOL §4.2 and the endpoint docs). */
export const wecomErrors = {
  SYSTEM_BUSY: [-1, 'system busy'],
  INVALID_SECRET: [40001, 'invalid credential, access_token is invalid or not latest'],
  INVALID_MEDIA_TYPE: [40004, 'invalid media type'],
  INVALID_FILE_TYPE: [40005, 'invalid file type'],
  INVALID_FILE_SIZE: [40006, 'invalid file size'],
  INVALID_MEDIA_ID: [40007, 'invalid media_id'],
  INVALID_CORPID: [40013, 'invalid corpid'],
  INVALID_TOKEN: [40014, 'invalid access_token'],
  INVALID_OAUTH_CODE: [40029, 'invalid code'],
  INVALID_AGENTID: [40056, 'invalid agentid'],
  INVALID_PARAMETER: [40058, 'invalid parameter'],
  INVALID_TAG_ID: [40068, 'invalid tagid'],
  TAG_NAME_EXISTS: [40071, 'tag name already exists'],
  INVALID_EXTERNAL_USERID: [40096, 'invalid external userid'],
  MISSING_TOKEN: [41001, 'access_token missing'],
  WELCOME_CODE_USED: [41051, 'customer already has a welcome message, or the welcome_code is used or expired'],
  TOKEN_EXPIRED: [42001, 'access_token expired'],
  INVALID_JSON: [47001, 'data format error'],
  API_UNKNOWN: [48001, 'api forbidden'],
  API_FORBIDDEN: [48002, 'api forbidden'],
  FREQUENCY_LIMIT: [45009, 'reach max api daily quota limit'],
  NO_PRIVILEGE: [60011, 'no privilege to access/modify contact/party/agent'],
  USER_NOT_FOUND: [60111, 'userid not found'],
  DEPARTMENT_NOT_FOUND: [60123, 'invalid party id'],
  ALL_RECIPIENTS_INVALID: [81013, 'user & party & tag all invalid'],
  CONTACT_WAY_NOT_FOUND: [41044, 'invalid config_id'],
  CHAT_NOT_FOUND: [701008, 'invalid chat_id'],
  NO_RELATION: [84061, 'not external contact'],
} as const;

export type WecomErrorName = keyof typeof wecomErrors;

/** A WeCom API failure: answered as HTTP 200 with { errcode, errmsg }. */
export class WecomApiError extends Error {
  readonly errcode: number;

  constructor(
    readonly reason: WecomErrorName,
    detail?: string,
  ) {
    const [errcode, text] = wecomErrors[reason];
    super(detail ? `${text}: ${detail}` : text);
    this.name = 'WecomApiError';
    this.errcode = errcode;
  }

  toBody() {
    return { errcode: this.errcode, errmsg: `${this.message}, more info at https://open.work.weixin.qq.com/devtool/query?e=${this.errcode}` };
  }
}

export const fail = (reason: WecomErrorName, detail?: string): never => {
  throw new WecomApiError(reason, detail);
};
