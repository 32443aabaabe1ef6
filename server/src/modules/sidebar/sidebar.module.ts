import type { Models } from '../../core/db/models';
import type { WecomRuntime } from '../wecom/wecom-runtime';
import { createJssdkSignatureService } from './jssdk-signature.service';
import { createSidebarGroupChatService } from './sidebar-group-chat.service';
import { createSidebarSandboxService } from './sidebar-sandbox.service';
import type { SidebarRouteDeps } from './sidebar.routes';

/** The chat sidebar's services, from the shared models and WeCom connection. */
export function createSidebarModule(deps: { models: Models; wecom: { runtime: WecomRuntime } }): SidebarRouteDeps {
  const { models } = deps;
  const runtime = deps.wecom.runtime;
  return {
    runtime,
    signatures: createJssdkSignatureService({ runtime }),
    groupChats: createSidebarGroupChatService({ models }),
    sandbox: createSidebarSandboxService({ runtime, models }),
  };
}
