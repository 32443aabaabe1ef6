import { z } from 'zod';
import { hit } from '../chat-archive/chat-archive.schemas';

export const conversationQuery = z.object({ limit: z.coerce.number().int().min(1).max(50).default(20) });

export const recentConversation = z.object({ items: z.array(hit), consent: z.enum(['agreed', 'disagreed', 'unknown']), visible: z.boolean() });
