// A store reads on one connection and writes on another (a cursor stays open while batches commit); opening the
// second may fail, and then the first must not be left open.

/** Two connections from `connect`, or none: when the second fails, the first is closed before the error goes on. */
export async function connectPair<C extends { end(): Promise<unknown> }>(connect: () => Promise<C>): Promise<[reader: C, writer: C]> {
  const reader = await connect();
  try {
    return [reader, await connect()];
  } catch (error) {
    await reader.end().catch(() => undefined);
    throw error;
  }
}
