/** Errors a write may safely be retried after: the database gave up on it, it did not half-apply it. */
const transient = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT', 'SQLITE_BUSY']);

const codeOf = (error: unknown) => {
  const { code, parent } = (error ?? {}) as { code?: string; parent?: { code?: string } };
  return code ?? parent?.code;
};

/** Runs `write` again (up to `attempts` times) when the database aborted it for a deadlock or lock timeout. */
export async function retryOnConflict<T>(write: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= attempts || !transient.has(codeOf(error) ?? '')) throw error;
    }
  }
}
