import type { FastifyPluginAsync } from 'fastify';
import type { AccessTokens } from '../platform/auth/access-tokens.js';
import type { Principal } from '../platform/auth/principal.js';
import type { DomainEvent, EventBus } from '../platform/events/event-bus.port.js';

/** Close codes the web client understands. */
export const wsCloseCodes = { unauthenticated: 4401, shuttingDown: 1001 } as const;

export function canReceive(principal: Principal, event: DomainEvent): boolean {
  if (event.tenantId === null) return principal.isSuperAdmin;
  return event.tenantId === principal.tenantId;
}

/**
 * `GET /api/v1/ws?token=<access token>`: pushes the caller's tenant events as JSON frames.
 * The token is re-checked every `recheckMs`; when it expires the socket closes with 4401 and
 * the client reconnects with a fresh one.
 */
export function websocketRoutes(deps: {
  events: EventBus;
  accessTokens: AccessTokens;
  recheckMs?: number;
}): FastifyPluginAsync {
  const recheckMs = deps.recheckMs ?? 30_000;
  return async (app) => {
    const sockets = new Set<{ close(code: number, reason: string): void }>();
    app.addHook('onClose', async () => {
      for (const socket of sockets) socket.close(wsCloseCodes.shuttingDown, 'server shutting down');
    });

    app.get(
      '/api/v1/ws',
      {
        websocket: true,
        schema: {
          tags: ['realtime'],
          summary: 'Realtime events of your tenant (WebSocket)',
          description:
            'Connect with ?token=<access token>. Frames are JSON events: { id, type, tenantId, occurredAt, payload }. Close code 4401 means the token is missing, invalid or expired.',
        },
      },
      async (socket, request) => {
        const token = new URL(request.url, 'http://localhost').searchParams.get('token') ?? '';
        let principal: Principal;
        try {
          principal = await deps.accessTokens.verify(token);
        } catch {
          socket.close(wsCloseCodes.unauthenticated, 'invalid or expired token');
          return;
        }
        sockets.add(socket);
        const unsubscribe = deps.events.subscribe((event) => {
          if (canReceive(principal, event) && socket.readyState === socket.OPEN) {
            socket.send(JSON.stringify(event));
          }
        });
        const timer = setInterval(() => {
          deps.accessTokens.verify(token).then(
            () => socket.ping(),
            () => socket.close(wsCloseCodes.unauthenticated, 'token expired'),
          );
        }, recheckMs);
        timer.unref();
        socket.on('message', () => {
          // The channel is server → client only; client frames are ignored.
        });
        socket.on('close', () => {
          clearInterval(timer);
          unsubscribe();
          sockets.delete(socket);
        });
        socket.send(JSON.stringify({ type: 'ready', tenantId: principal.tenantId }));
      },
    );
  };
}
