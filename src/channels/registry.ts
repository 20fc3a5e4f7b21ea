import { metaCloudProvider } from './meta-cloud/meta-cloud.provider.js';
import type { ChannelProvider, ProviderCapabilities, ProviderId } from './provider.port.js';
import { sandboxProvider } from './sandbox/sandbox.provider.js';
import { twilioProvider } from './twilio/twilio.provider.js';
import { wahaProvider } from './waha/waha.provider.js';
import { wppconnectProvider } from './wppconnect/wppconnect.provider.js';

/** A provider seen through its stored config: callers validate with `configSchema` first. */
export type AnyChannelProvider = ChannelProvider<Record<string, unknown>>;

/**
 * The providers Recado can run. Adapters are stateless values; adding one means adding it here
 * (see README.md). Twilio, WAHA and WPPConnect arrive with their issue.
 */
const providers: ReadonlyMap<string, AnyChannelProvider> = new Map([
  [metaCloudProvider.id, metaCloudProvider as unknown as AnyChannelProvider],
  [sandboxProvider.id, sandboxProvider as unknown as AnyChannelProvider],
  [twilioProvider.id, twilioProvider as unknown as AnyChannelProvider],
  [wahaProvider.id, wahaProvider as unknown as AnyChannelProvider],
  [wppconnectProvider.id, wppconnectProvider as unknown as AnyChannelProvider],
]);

export function listProviderIds(): ProviderId[] {
  return [...providers.keys()] as ProviderId[];
}

export function findProvider(id: string): AnyChannelProvider | undefined {
  return providers.get(id);
}

/** What a channel of `provider` with these (non-secret) settings can render and must respect. */
export function channelCapabilities(
  provider: AnyChannelProvider,
  config: Record<string, unknown>,
): ProviderCapabilities {
  return provider.capabilitiesFor?.(config) ?? provider.capabilities;
}
