import { z } from 'zod';
import { findProvider, listProviderIds } from '../../channels/index.js';
import type { ChannelProvider } from '../../shared/contracts/channels.contract.js';

/**
 * The providers as the API describes them: capabilities, secret fields and the JSON Schema of
 * their config (input side: fields with defaults are optional). Computed once; adapters are
 * static values.
 */
export function listChannelProviders(): ChannelProvider[] {
  return listProviderIds().flatMap((id) => {
    const provider = findProvider(id);
    if (!provider) return [];
    const { $schema: _ignored, ...configSchema } = z.toJSONSchema(provider.configSchema, {
      io: 'input',
      unrepresentable: 'any',
    }) as Record<string, unknown>;
    return [
      {
        id: provider.id,
        capabilities: { ...provider.capabilities, sends: [...provider.capabilities.sends] },
        secretFields: [...provider.secretFields],
        configSchema,
        hasWebhook: !provider.internalOnly,
      },
    ];
  });
}
