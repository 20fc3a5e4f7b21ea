import type { z } from 'zod';
import {
  type AnyChannelProvider,
  findProvider,
  listProviderIds,
  type SessionState,
} from '../../channels/index.js';
import { assertRole, type Principal } from '../../platform/auth/principal.js';
import type { SecretBox } from '../../platform/crypto/secret-box.js';
import { generateToken } from '../../platform/crypto/tokens.js';
import type { Database } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors/app-error.js';
import type { Logger } from '../../platform/observability/logger.js';
import type {
  Channel,
  ChannelPacing,
  createChannelRequestSchema,
  updateChannelRequestSchema,
} from '../../shared/contracts/channels.contract.js';
import * as repository from './channels.repository.js';

export type ChannelsDeps = {
  db: Database;
  secretBox: SecretBox;
  logger: Logger;
  /** The public base URL, for the webhook URL shown to admins. */
  publicUrl: string;
};
export type ChannelsService = ReturnType<typeof createChannelsService>;

/**
 * Channels: one WhatsApp number on one provider. The config is validated by the provider's own
 * schema; its secret fields are sealed with the secret box and never leave the server.
 */
export function createChannelsService(deps: ChannelsDeps) {
  const { db, secretBox } = deps;
  const logger = deps.logger.child({ module: 'channels' });

  function getProvider(id: string): AnyChannelProvider {
    const provider = findProvider(id);
    if (!provider) {
      throw new AppError('VALIDATION_FAILED', `Unknown provider "${id}".`, [
        { path: 'provider', message: `must be one of: ${listProviderIds().join(', ')}` },
      ]);
    }
    return provider;
  }

  /** Validates a full config and splits it into stored settings and sealed secrets. */
  function sealConfig(provider: AnyChannelProvider, input: Record<string, unknown>) {
    const parsed = provider.configSchema.safeParse(input);
    if (!parsed.success) {
      const details = parsed.error.issues.map((issue) => ({
        path: ['config', ...issue.path.map(String)].join('.'),
        message: issue.message,
      }));
      throw new AppError(
        'VALIDATION_FAILED',
        `The ${provider.id} settings are invalid: ${details.map((d) => `${d.path} ${d.message}`).join('; ')}.`,
        details,
      );
    }
    const config: Record<string, unknown> = {};
    const secrets: Record<string, string> = {};
    const secretNames = new Set<string>(provider.secretFields);
    for (const [key, value] of Object.entries(parsed.data)) {
      if (secretNames.has(key) && typeof value === 'string')
        secrets[key] = secretBox.encrypt(value);
      else config[key] = value;
    }
    return { config, secrets };
  }

  function openSecrets(row: repository.ChannelRow): Record<string, string> {
    return Object.fromEntries(
      Object.entries(row.secrets).map(([key, sealed]) => [key, secretBox.decrypt(sealed)]),
    );
  }

  async function getRow(principal: Principal, id: string) {
    const row = await repository.findChannel(db, principal.tenantId, id);
    if (!row) throw new AppError('NOT_FOUND', `Channel ${id} does not exist in this tenant.`);
    return row;
  }

  return {
    async listChannels(principal: Principal): Promise<Channel[]> {
      return (await repository.listChannels(db, principal.tenantId)).map((row) =>
        toChannel(row, deps.publicUrl),
      );
    },

    async getChannel(principal: Principal, id: string): Promise<Channel> {
      return toChannel(await getRow(principal, id), deps.publicUrl);
    },

    async createChannel(
      principal: Principal,
      input: z.infer<typeof createChannelRequestSchema>,
    ): Promise<Channel> {
      assertRole(principal, 'admin');
      const provider = getProvider(input.provider);
      const { config, secrets } = sealConfig(provider, input.config);
      const row = await repository.insertChannel(db, {
        tenantId: principal.tenantId,
        provider: provider.id,
        name: input.name,
        config,
        secrets,
        webhookToken: generateToken(24),
        ratePerSecond: input.ratePerSecond ?? null,
        pacing: input.pacing ?? null,
      });
      logger.info(
        { tenantId: principal.tenantId, channelId: row.id, provider: provider.id },
        'channel created',
      );
      return toChannel(row, deps.publicUrl);
    },

    async updateChannel(
      principal: Principal,
      id: string,
      patch: z.infer<typeof updateChannelRequestSchema>,
    ): Promise<Channel> {
      assertRole(principal, 'admin');
      const row = await getRow(principal, id);
      const changes: Parameters<typeof repository.updateChannel>[3] = {};
      if (patch.name !== undefined) changes.name = patch.name;
      if (patch.ratePerSecond !== undefined) changes.ratePerSecond = patch.ratePerSecond;
      if (patch.pacing !== undefined) changes.pacing = patch.pacing;
      if (patch.status !== undefined) changes.status = patch.status;
      if (patch.config) {
        // Secrets left out of the patch keep their stored values.
        const merged = { ...row.config, ...openSecrets(row), ...patch.config };
        Object.assign(changes, sealConfig(getProvider(row.provider), merged));
      }
      const updated = await repository.updateChannel(db, principal.tenantId, id, changes);
      if (!updated) throw new AppError('NOT_FOUND', `Channel ${id} does not exist in this tenant.`);
      return toChannel(updated, deps.publicUrl);
    },

    async deleteChannel(principal: Principal, id: string): Promise<void> {
      assertRole(principal, 'admin');
      if (!(await repository.deleteChannel(db, principal.tenantId, id))) {
        throw new AppError('NOT_FOUND', `Channel ${id} does not exist in this tenant.`);
      }
      logger.info({ tenantId: principal.tenantId, channelId: id }, 'channel deleted');
    },

    /**
     * A QR session reported its state: the channel's status follows it (connected → active,
     * starting/qr → connecting, stopped/failed → disconnected). Returns the transition when
     * the status changed, so the caller can announce it.
     */
    async recordSessionState(channelId: string, state: SessionState) {
      const status =
        state.status === 'connected'
          ? 'active'
          : state.status === 'starting' || state.status === 'qr'
            ? 'connecting'
            : 'disconnected';
      const result = await repository.recordSessionStatus(db, channelId, {
        status,
        displayNumber: state.phone,
      });
      if (!result || result.before === result.after.status) return undefined;
      logger.info(
        { channelId, from: result.before, to: result.after.status, detail: state.detail },
        'channel session status changed',
      );
      return { channel: toChannel(result.after, deps.publicUrl), previous: result.before };
    },

    /**
     * First boot: the default tenant gets a sandbox channel, so a new install can talk to its
     * bots at once (the dashboard's sandbox page) without any WhatsApp account.
     */
    async createFirstBootSandbox(tenantId: string): Promise<Channel> {
      const provider = getProvider('sandbox');
      const row = await repository.insertChannel(db, {
        tenantId,
        provider: provider.id,
        name: 'Sandbox',
        ...sealConfig(provider, {}),
        webhookToken: generateToken(24),
        ratePerSecond: null,
        isDefault: true,
      });
      logger.info({ tenantId, channelId: row.id }, 'sandbox channel created');
      return toChannel(row, deps.publicUrl);
    },

    /**
     * A channel ready for its adapter: the provider and the full config, secrets opened and
     * validated. Server-side only. Without `tenantId` it finds any tenant's channel (webhooks
     * are addressed by channel id and authenticated by signature).
     */
    async openChannel(id: string, tenantId?: string) {
      const row = tenantId
        ? await repository.findChannel(db, tenantId, id)
        : await repository.findChannelById(db, id);
      const provider = row ? findProvider(row.provider) : undefined;
      if (!row || !provider) return undefined;
      const config = provider.configSchema.parse({ ...row.config, ...openSecrets(row) });
      return { row, provider, config, webhookUrl: webhookUrlOf(row, deps.publicUrl) ?? undefined };
    },
  };
}

function toChannel(row: repository.ChannelRow, publicUrl: string): Channel {
  return {
    id: row.id,
    provider: row.provider,
    name: row.name,
    displayNumber: row.displayNumber,
    status: row.status,
    ratePerSecond: row.ratePerSecond,
    pacing: effectivePacing(row),
    config: row.config,
    secretsSet: Object.keys(row.secrets).sort(),
    webhookUrl: webhookUrlOf(row, publicUrl),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Where the provider must post this channel's webhooks; null for the sandbox. */
export function webhookUrlOf(
  row: Pick<repository.ChannelRow, 'id' | 'provider' | 'webhookToken'>,
  publicUrl: string,
): string | null {
  const provider = findProvider(row.provider);
  if (!provider || provider.internalOnly) return null;
  const url = `${publicUrl}/webhooks/${row.provider}/${row.id}`;
  return provider.webhookUrlToken ? `${url}?token=${encodeURIComponent(row.webhookToken)}` : url;
}

/** Unofficial providers pace bulk sends unless told otherwise. */
export const defaultQrPacing: ChannelPacing = {
  minGapSeconds: 30,
  maxGapSeconds: 60,
  maxPerHour: 60,
  typing: true,
};

/** The pacing in force for a channel: its own, or its provider's default (QR providers). */
export function effectivePacing(
  row: Pick<repository.ChannelRow, 'provider' | 'pacing'>,
): ChannelPacing | null {
  if (row.pacing) return row.pacing;
  return findProvider(row.provider)?.capabilities.hasQrSession ? defaultQrPacing : null;
}
