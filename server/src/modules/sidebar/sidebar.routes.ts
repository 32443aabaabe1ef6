import { z } from 'zod';
import { publicRoute, route } from '../../core/http/define-route';
import type { WecomRuntime } from '../wecom/wecom-runtime';
import type { JssdkSignatureService } from './jssdk-signature.service';
import type { SidebarGroupChatService } from './sidebar-group-chat.service';
import type { SidebarSandboxService } from './sidebar-sandbox.service';
import type { ChatArchiveModule } from '../chat-archive/chat-archive.module';
import { conversationQuery, recentConversation } from './sidebar-conversation.schemas';
import { idParams } from '../../core/http/pagination';
import { agentConfigCheck, chatIdParams, groupChat, sidebarConfig, signatures, signaturesQuery, standinChats, standinEmployees, useridParams } from './sidebar.schemas';

export interface SidebarRouteDeps {
  runtime: WecomRuntime;
  signatures: JssdkSignatureService;
  groupChats: SidebarGroupChatService;
  sandbox: SidebarSandboxService;
  conversations: ChatArchiveModule['conversations'];
}

/** The chat sidebar's API: its mode, JS-SDK signatures, the current group chat, and the sandbox's WeCom client stand-in. */
export const sidebarRoutes = (deps: SidebarRouteDeps) => [
  publicRoute({
    public: true,
    method: 'get',
    path: '/api/sidebar/config',
    tag: 'sidebar',
    summary: 'How the sidebar reaches WeCom: live (the JS-SDK inside the WeCom client) or the sandbox (its stand-in answers the JS-SDK calls)',
    response: sidebarConfig,
    handler: async () => ({ mode: (await deps.runtime.current()).mode }),
  }),
  route({
    method: 'get',
    path: '/api/wecom/jssdk/signatures',
    tag: 'sidebar',
    summary: 'JS-SDK signatures for a page URL: wx.config (corp ticket) and wx.agentConfig (agent_config ticket)',
    query: signaturesQuery,
    response: signatures,
    handler: ({ query }) => deps.signatures.sign(query.url),
  }),
  route({
    method: 'get',
    path: '/api/sidebar/group-chats/:chatId',
    tag: 'sidebar',
    summary: 'The group chat the sidebar is opened in (by WeCom chat ID), with its members and which of them are customers in your scope',
    permission: 'customer:read',
    params: chatIdParams,
    response: groupChat,
    handler: ({ actor, params }) => deps.groupChats.byChatId(actor, params.chatId),
  }),
  publicRoute({
    public: true,
    method: 'get',
    path: '/api/sidebar/sandbox/employees',
    tag: 'sidebar',
    summary: 'Sandbox mode only: the sandbox corp employees the WeCom client stand-in can play',
    response: standinEmployees,
    handler: () => deps.sandbox.employees(),
  }),
  publicRoute({
    public: true,
    method: 'get',
    path: '/api/sidebar/sandbox/employees/:userid/chats',
    tag: 'sidebar',
    summary: "Sandbox mode only: an employee's external contacts and customer group chats, to open the sidebar in",
    params: useridParams,
    response: standinChats,
    handler: ({ params }) => deps.sandbox.chats(params.userid),
  }),
  publicRoute({
    public: true,
    method: 'post',
    path: '/api/sidebar/sandbox/agent-config/verify',
    tag: 'sidebar',
    summary: "Sandbox mode only: checks a wx.agentConfig signature against the sandbox app's current ticket, as the WeCom client does",
    body: agentConfigCheck,
    response: z.object({ ok: z.boolean() }),
    handler: ({ body }) => deps.sandbox.verifyAgentConfig(body),
  }),
  route({
    method: 'get',
    path: '/api/sidebar/customers/:id/conversation',
    tag: 'sidebar',
    summary: "The latest archived one-to-one messages with the customer the sidebar is open for, oldest first: your own conversation, or every employee's with archive:read; empty unless they agreed when the corp requires consent",
    permission: 'customer:read',
    params: idParams,
    query: conversationQuery,
    response: recentConversation,
    handler: ({ actor, params, query }) => deps.conversations.recentWith(actor, params.id, query.limit),
  }),
];
