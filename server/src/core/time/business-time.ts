/** Business time is Asia/Shanghai: UTC+8 all year (no daylight saving). */
const SHANGHAI_OFFSET_MS = 8 * 3600_000;

/** The Asia/Shanghai calendar date (YYYY-MM-DD) of an instant. */
export const shanghaiDate = (at: Date): string => new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);

/** The instant a Shanghai calendar day starts. */
export const shanghaiDayStart = (date: string): Date => new Date(Date.parse(`${date}T00:00:00.000Z`) - SHANGHAI_OFFSET_MS);

/** `YYYY-MM-DD HH:mm` in Asia/Shanghai, for messages people read. */
export const shanghaiMinute = (at: Date): string => new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().replace('T', ' ').slice(0, 16);
