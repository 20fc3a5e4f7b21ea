import type { Channel, ChannelProvider } from '../channels/channels-api';
import type { GraphBlock } from './flow-graph';

/**
 * Which blocks a channel cannot show as WhatsApp buttons or lists: the engine sends those as
 * numbered text instead ("1. Sim  2. Não"), and the graph marks them. Mirrors the blocks'
 * `needs` in src/engine/blocks (message.buttons, message.list, input.choice).
 */

export type InteractiveKind = 'buttons' | 'list';

/** input.choice's limits: up to 3 choices as buttons, up to 10 as a list, else numbered text. */
const maxButtons = 3;
const maxListRows = 10;

/** What a block sends that needs interactive messages; undefined when plain text is enough. */
export function interactiveNeedOf(
  block: Pick<GraphBlock, 'type' | 'options'>,
): InteractiveKind | undefined {
  if (block.type === 'message.buttons') return 'buttons';
  if (block.type === 'message.list') return 'list';
  if (block.type !== 'input.choice') return undefined;
  const { display, choices } = block.options;
  if (display === 'buttons' || display === 'list') return display;
  if (display === 'text') return undefined;
  const count = Array.isArray(choices) ? choices.length : 0;
  if (count <= maxButtons) return 'buttons';
  return count <= maxListRows ? 'list' : undefined;
}

/**
 * The kinds of message a channel sends: its provider's, less buttons and lists on a sandbox
 * set to behave like a channel that cannot render them (`interactive: false`).
 */
export function channelSends(
  channel: Pick<Channel, 'provider' | 'config'>,
  providers: readonly Pick<ChannelProvider, 'id' | 'capabilities'>[],
): ReadonlySet<string> {
  const provider = providers.find((candidate) => candidate.id === channel.provider);
  const sends = new Set(provider?.capabilities.sends ?? []);
  if (channel.provider === 'sandbox' && channel.config.interactive === false) {
    sends.delete('buttons');
    sends.delete('list');
  }
  return sends;
}

/** Whether the block turns into numbered text on a channel that sends `sends`. */
export function isDegradedOn(
  block: Pick<GraphBlock, 'type' | 'options'>,
  sends: ReadonlySet<string> | undefined,
): boolean {
  const need = interactiveNeedOf(block);
  return need !== undefined && sends !== undefined && !sends.has(need);
}
