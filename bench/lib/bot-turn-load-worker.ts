/** Worker process of bot-turn-load.ts: the flows benchmark's simulated users, usually pinned. */
import { botTurnLoadRequestSchema, runBotTurnLoad } from './bot-turn-load.js';
import { serveOneRequest } from './ipc-worker.js';

serveOneRequest(botTurnLoadRequestSchema, runBotTurnLoad);
