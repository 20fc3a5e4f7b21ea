import { metaCloudProvider } from './meta-cloud/meta-cloud.provider.js';
import type { ChannelProvider, ProviderId } from './provider.port.js';

/** A provider seen through its stored config: callers validate with `configSchema` first. */
export type AnyChannelProvider = ChannelProvider<Record<string, unknown>>;

/**
 * The providers Recado can run. Adapters are stateless values; adding one means adding it here
 * (see README.md). Twilio, WAHA, WPPConnect and the sandbox arrive with their issues.
 */
const providers: ReadonlyMap<string, AnyChannelProvider> = new Map([
  [metaCloudProvider.id, metaCloudProvider as unknown as AnyChannelProvider],
]);

export function listProviderIds(): ProviderId[] {
  return [...providers.keys()] as ProviderId[];
}

export function findProvider(id: string): AnyChannelProvider | undefined {
  return providers.get(id);
}
