import type { GroupChat } from './sandbox.types';

/** Customer group chats (客户群) in creation order. */
export function createGroupChatState() {
  const chats = new Map<string, GroupChat>();
  return {
    chats,
    get: (chatId: string) => chats.get(chatId),
    add(chat: GroupChat) {
      chats.set(chat.chatId, chat);
      return chat;
    },
    list: () => [...chats.values()],
  };
}

export type GroupChatState = ReturnType<typeof createGroupChatState>;
