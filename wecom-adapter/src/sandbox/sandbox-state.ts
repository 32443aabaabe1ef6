import { createContactWayState } from './contact-way.state';
import { createCorpTagState } from './corp-tag.state';
import { createCredentialState } from './credential.state';
import { createCustomerState } from './customer.state';
import { createDirectoryState } from './directory.state';
import { fakeNames } from './fake-names';
import { createGroupChatState } from './group-chat.state';
import { createMediaState } from './media.state';
import { createMessageState } from './message.state';
import { createSeededRandom } from './seeded-random';
import { createTransferState } from './transfer.state';

/** All in-memory state of one sandbox corp, split by domain. */
export function createSandboxState(options: { corpId: string; agentId: number; clock: () => number; seed: number }) {
  const random = createSeededRandom(options.seed);
  const { clock } = options;
  const directory = createDirectoryState();
  const customers = createCustomerState();
  const tags = createCorpTagState(random);
  const chats = createGroupChatState();
  const contactWays = createContactWayState(random);
  const messages = createMessageState();
  const transfers = createTransferState();
  const credentials = createCredentialState(clock);
  const media = createMediaState(clock);

  return {
    corpId: options.corpId,
    agentId: options.agentId,
    clock,
    /** Seconds, as WeCom timestamps are. */
    now: () => Math.floor(clock() / 1000),
    random,
    names: fakeNames(random),
    directory,
    customers,
    tags,
    chats,
    contactWays,
    messages,
    transfers,
    credentials,
    media,
    summary() {
      let relations = 0;
      for (const c of customers.customers.values()) relations += c.follows.length;
      return {
        corpId: options.corpId,
        agentId: options.agentId,
        departments: directory.departments.size,
        employees: directory.activeEmployees().length,
        employeesLeft: directory.employees.size - directory.activeEmployees().length,
        customers: customers.customers.size,
        followRelations: relations,
        tagGroups: [...tags.groups.values()].filter((g) => !g.deleted).length,
        tags: tags.liveTagIds().length,
        groupChats: chats.chats.size,
        contactWays: contactWays.ways.size,
        appMessagesDelivered: messages.sentCount(),
        msgTemplates: messages.templates.length,
        welcomeCodes: messages.welcomeCodes.size,
        welcomeMessages: messages.welcomeMessages.length,
        transfers: transfers.transfers.length,
        media: media.media.size,
      };
    },
  };
}

export type SandboxState = ReturnType<typeof createSandboxState>;
