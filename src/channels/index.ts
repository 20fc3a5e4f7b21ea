/** Entry point of the channels layer: the provider port and the registry of adapters. */

export type * from './provider.port.js';
export { ProviderError } from './provider.port.js';
export { type AnyChannelProvider, findProvider, listProviderIds } from './registry.js';
