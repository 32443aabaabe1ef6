export { createWecomClient, DEFAULT_API_BASE, type WecomClient } from './wecom-client';
export {
  type WecomApp,
  type WecomClientOptions,
  type WecomLogger,
  type RateLimitOptions,
  type ClientTuning,
  type Sleep,
} from './client-options';
export { WecomError, isAllRecipientsInvalid, redactSecrets, tokenErrcodes } from './wecom-error';
export { type CallSpec, type WecomCall, type WecomResult } from './request-runner';
export { type Page, type PageOptions } from './paginate';
export type * from './directory.types';
export type * from './external-contact.types';
export type * from './tags.types';
export type * from './group-chats.types';
export type * from './messages.types';
export type * from './contact-ways.types';
export type * from './transfers.types';
export { type UploadMediaRequest, type UploadMediaResponse, type MediaType } from './media.api';
export { type JsapiTicketResponse, type TicketKind } from './jsapi.api';
export { type UserInfoResponse } from './auth.api';
