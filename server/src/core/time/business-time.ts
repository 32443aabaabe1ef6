/** Business time is Asia/Shanghai: UTC+8 all year (no daylight saving). */
const SHANGHAI_OFFSET_MS = 8 * 3600_000;

/** `YYYY-MM-DD HH:mm` in Asia/Shanghai, for messages people read. */
export const shanghaiMinute = (at: Date): string => new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().replace('T', ' ').slice(0, 16);
