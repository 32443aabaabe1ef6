import type { Models } from '../../core/db/models';
import type { WecomRuntime } from '../wecom/wecom-runtime';
import type { ChatArchiveModule } from '../chat-archive/chat-archive.module';
import { createJssdkSignatureService } from './jssdk-signature.service';
import { createSidebarGroupChatService } from './sidebar-group-chat.service';
import { createSidebarSandboxService } from './sidebar-sandbox.service';
import type { SidebarRouteDeps } from './sidebar.routes';

/** The chat sidebar's services, from the shared models and WeCom connection. */
export function createSidebarModule(deps: { models: Models; wecom: { runtime: WecomRuntime }; chatArchive: Pick<ChatArchiveModule, 'conversations'> }): SidebarRouteDeps {
  const { models } = deps;
  const runtime = deps.wecom.runtime;
  return {
    runtime,
    signatures: createJssdkSignatureService({ runtime }),
    groupChats: createSidebarGroupChatService({ models }),
    sandbox: createSidebarSandboxService({ runtime, models }),
    conversations: deps.chatArchive.conversations,
  };
}
