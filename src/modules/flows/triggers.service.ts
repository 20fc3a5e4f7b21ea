import type { z } from 'zod';
import { assertRole, type Principal } from '../../platform/auth/principal.js';
import type { Database } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors/app-error.js';
import type { Logger } from '../../platform/observability/logger.js';
import type {
  channelFlowSettingsSchema,
  createTriggerRequestSchema,
  FlowCommands,
  FlowTrigger,
} from '../../shared/contracts/flows.contract.js';
import type { ChannelsService } from '../messaging/index.js';
import { findFlow } from './definitions.repository.js';
import { normalizeKeyword } from './keywords.js';
import * as repository from './triggers.repository.js';

export type FlowTriggersDeps = {
  db: Database;
  channels: Pick<ChannelsService, 'getChannel'>;
  logger: Logger;
  now: () => Date;
};

type ChannelFlowSettings = z.infer<typeof channelFlowSettingsSchema>;
type CreateTrigger = z.infer<typeof createTriggerRequestSchema>;

const commandKeys = [
  'menu',
  'cancel',
  'human',
  'optOut',
] as const satisfies readonly (keyof FlowCommands)[];

/**
 * Keywords as stored: normalized (see keywords.ts), each once. A keyword with nothing left
 * after normalizing ("!!!") cannot match any message: refused, with where it was.
 */
function normalizeWords(words: readonly string[], path: string): string[] {
  const normalized: string[] = [];
  words.forEach((word, index) => {
    const value = normalizeKeyword(word);
    if (value === '') {
      throw new AppError(
        'VALIDATION_FAILED',
        `"${word}" has no letters or digits, so no message could ever match it.`,
        [{ path: `${path}.${index}`, message: 'needs at least one letter or digit' }],
      );
    }
    if (!normalized.includes(value)) normalized.push(value);
  });
  return normalized;
}

/** Which command uses each word of the channel's commands. */
function commandWords(commands: FlowCommands): Map<string, keyof FlowCommands> {
  const words = new Map<string, keyof FlowCommands>();
  for (const key of commandKeys) for (const word of commands[key]) words.set(word, key);
  return words;
}

/**
 * What starts a flow on a channel and the words that act anywhere in a flow: the default flow
 * (any message from a person with no live session), keyword flows (a message naming one of the
 * keywords), and the global commands ("menu", "cancelar", "atendente", "sair"/"parar").
 */
export function createFlowTriggersService(deps: FlowTriggersDeps) {
  const { db, now } = deps;
  const logger = deps.logger.child({ module: 'flows.triggers' });

  async function getSettings(
    principal: Principal,
    channelId: string,
  ): Promise<ChannelFlowSettings> {
    const [commands, triggers] = await Promise.all([
      repository.commandsOf(db, channelId),
      repository.listTriggers(db, principal.tenantId, channelId),
    ]);
    return { channelId, commands, triggers: triggers.map(toFlowTrigger) };
  }

  return {
    async getChannelFlows(principal: Principal, channelId: string): Promise<ChannelFlowSettings> {
      assertRole(principal, 'operator');
      await deps.channels.getChannel(principal, channelId);
      return getSettings(principal, channelId);
    },

    async addTrigger(
      principal: Principal,
      channelId: string,
      input: CreateTrigger,
    ): Promise<FlowTrigger> {
      assertRole(principal, 'admin');
      await deps.channels.getChannel(principal, channelId);
      const flow = await findFlow(db, principal.tenantId, input.flowId);
      if (!flow) {
        throw new AppError('NOT_FOUND', `Flow ${input.flowId} does not exist in this tenant.`, [
          { path: 'body.flowId', message: 'is not a flow of this tenant' },
        ]);
      }
      if (flow.latestVersion === 0) {
        throw new AppError(
          'CONFLICT',
          `The flow "${flow.name}" has never been published, so there is nothing to run yet: publish it first (POST /api/v1/flows/${flow.id}/publish).`,
          [{ path: 'body.flowId', message: 'has no published version' }],
        );
      }
      const keywords =
        input.kind === 'keyword' ? normalizeWords(input.keywords, 'body.keywords') : [];
      const row = await db.transaction(async (tx) => {
        await repository.lockChannelTriggers(tx, channelId);
        if (input.kind === 'default') {
          await repository.deleteDefaultTrigger(tx, channelId);
        } else {
          const commands = commandWords(await repository.commandsOf(tx, channelId));
          const taken = keywords.flatMap((keyword) => {
            const command = commands.get(keyword);
            return command ? [`"${keyword}" is the channel's ${command} command`] : [];
          });
          for (const trigger of await repository.listTriggers(tx, principal.tenantId, channelId)) {
            for (const keyword of trigger.keywords) {
              if (keywords.includes(keyword)) {
                taken.push(`"${keyword}" already starts the flow "${trigger.flowName}"`);
              }
            }
          }
          if (taken.length > 0) {
            throw new AppError(
              'CONFLICT',
              `Each keyword can start one flow only, and not be a command: ${taken.join('; ')}. Remove that trigger or change the commands first, or choose other keywords.`,
              { taken },
            );
          }
        }
        return repository.insertTrigger(tx, {
          tenantId: principal.tenantId,
          channelId,
          flowId: flow.id,
          kind: input.kind,
          keywords,
        });
      });
      logger.info(
        { tenantId: principal.tenantId, channelId, flowId: flow.id, kind: input.kind },
        'flow trigger added',
      );
      return toFlowTrigger({ ...row, flowName: flow.name });
    },

    async deleteTrigger(principal: Principal, channelId: string, triggerId: string) {
      assertRole(principal, 'admin');
      await deps.channels.getChannel(principal, channelId);
      if (!(await repository.deleteTrigger(db, principal.tenantId, channelId, triggerId))) {
        throw new AppError(
          'NOT_FOUND',
          `Trigger ${triggerId} does not exist in channel ${channelId}.`,
        );
      }
      logger.info({ tenantId: principal.tenantId, channelId, triggerId }, 'flow trigger removed');
    },

    /**
     * Replaces the channel's global commands. Words are stored normalized; a word may belong to
     * one command only and may not be a keyword of a trigger (the command would hide it).
     */
    async updateCommands(
      principal: Principal,
      channelId: string,
      input: FlowCommands,
    ): Promise<ChannelFlowSettings> {
      assertRole(principal, 'admin');
      await deps.channels.getChannel(principal, channelId);
      const commands = {} as FlowCommands;
      const owner = new Map<string, keyof FlowCommands>();
      for (const key of commandKeys) {
        commands[key] = normalizeWords(input[key], `body.commands.${key}`);
        for (const word of commands[key]) {
          const other = owner.get(word);
          if (other) {
            throw new AppError(
              'VALIDATION_FAILED',
              `"${word}" is in both the ${other} and the ${key} commands; a word can do one thing only.`,
              [{ path: `body.commands.${key}`, message: `repeats "${word}" of ${other}` }],
            );
          }
          owner.set(word, key);
        }
      }
      await db.transaction(async (tx) => {
        await repository.lockChannelTriggers(tx, channelId);
        const taken: string[] = [];
        for (const trigger of await repository.listTriggers(tx, principal.tenantId, channelId)) {
          for (const keyword of trigger.keywords) {
            const command = owner.get(keyword);
            if (command) {
              taken.push(
                `"${keyword}" (${command}) is a keyword of the flow "${trigger.flowName}"`,
              );
            }
          }
        }
        if (taken.length > 0) {
          throw new AppError(
            'CONFLICT',
            `A command cannot use a trigger's keyword (the trigger would never start): ${taken.join('; ')}.`,
            { taken },
          );
        }
        await repository.upsertChannelCommands(tx, {
          tenantId: principal.tenantId,
          channelId,
          commands,
          at: now(),
        });
      });
      logger.info({ tenantId: principal.tenantId, channelId }, 'channel commands changed');
      return getSettings(principal, channelId);
    },
  };
}

function toFlowTrigger(row: repository.FlowTriggerRow): FlowTrigger {
  return {
    id: row.id,
    channelId: row.channelId,
    flowId: row.flowId,
    flowName: row.flowName,
    kind: row.kind,
    keywords: row.keywords,
    createdAt: row.createdAt.toISOString(),
  };
}
