/** Worker process of outbound-driver.ts: the API client of the outbound benchmark. */
import { serveOneRequest } from './ipc-worker.js';
import { outboundDriverRequestSchema, runOutboundDriver } from './outbound-driver.js';

serveOneRequest(outboundDriverRequestSchema, runOutboundDriver);
