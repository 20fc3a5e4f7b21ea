import WebSocket from 'ws';

export type EventFrame = {
  type: string;
  tenantId: string | null;
  payload?: Record<string, unknown>;
};

/** A WebSocket client that records frames and can wait for one matching a predicate. */
export async function connectEvents(baseUrl: string, token: string) {
  const socket = new WebSocket(
    `${baseUrl.replace(/^http/, 'ws')}/api/v1/ws?token=${encodeURIComponent(token)}`,
  );
  const frames: EventFrame[] = [];
  const waiters = new Set<{
    match: (frame: EventFrame) => boolean;
    resolve: (frame: EventFrame) => void;
  }>();
  let closeCode: number | undefined;
  socket.on('message', (data) => {
    const frame = JSON.parse(String(data)) as EventFrame;
    frames.push(frame);
    for (const waiter of waiters) {
      if (waiter.match(frame)) {
        waiters.delete(waiter);
        waiter.resolve(frame);
      }
    }
  });
  const closed = new Promise<number>((resolve) => {
    socket.on('close', (code) => {
      closeCode = code;
      resolve(code);
    });
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return {
    frames,
    closed,
    get closeCode() {
      return closeCode;
    },
    waitFor(match: (frame: EventFrame) => boolean, timeoutMs = 10_000): Promise<EventFrame> {
      const existing = frames.find(match);
      if (existing) return Promise.resolve(existing);
      return new Promise((resolve, reject) => {
        const waiter = { match, resolve };
        waiters.add(waiter);
        setTimeout(() => {
          if (waiters.delete(waiter))
            reject(
              new Error(`no matching event within ${timeoutMs} ms; got ${JSON.stringify(frames)}`),
            );
        }, timeoutMs).unref();
      });
    },
    close() {
      socket.close();
    },
  };
}
