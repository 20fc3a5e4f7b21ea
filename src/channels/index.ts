/** Entry point of the channels layer: the provider port and the registry of adapters. */

export type * from './provider.port.js';
export { mediaTooLargeErrorCode, ProviderError } from './provider.port.js';
export {
  type AnyChannelProvider,
  channelCapabilities,
  findProvider,
  listProviderIds,
} from './registry.js';
export type { SandboxEvent } from './sandbox/sandbox.events.js';
