/** Worker process of post-loop.ts: one POST loop per process, usually pinned with taskset. */
import { serveOneRequest } from './ipc-worker.js';
import { postLoopRequestSchema, runPostLoop } from './post-loop.js';

serveOneRequest(postLoopRequestSchema, runPostLoop);
