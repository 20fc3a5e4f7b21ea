/** Worker process of webhook-load.ts: the webhook load generator, usually pinned with taskset. */
import { serveOneRequest } from './ipc-worker.js';
import { runWebhookLoad, webhookLoadRequestSchema } from './webhook-load.js';

serveOneRequest(webhookLoadRequestSchema, runWebhookLoad);
