import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/api-error';
import { readFlowConflict, readTakenKeyword } from './flow-errors';

function conflict(details: unknown, code = 'CONFLICT') {
  return new ApiError({ code, status: 409, message: 'in English', details });
}

describe('readFlowConflict (409s of the flows API, for pt-BR sentences)', () => {
  it.each<[string, unknown, unknown]>([
    [
      'a flow name already used',
      conflict([
        { path: 'body.document.name', message: 'is taken by another flow of this tenant' },
      ]),
      { kind: 'name-taken' },
    ],
    [
      'binding a flow never published',
      conflict([{ path: 'body.flowId', message: 'has no published version' }]),
      { kind: 'not-published' },
    ],
    [
      'keywords taken by a command and by another flow',
      conflict({
        taken: [
          `"menu" is the channel's menu command`,
          `"sair" is the channel's optOut command`,
          '"pedido" already starts the flow "Vendas "2026""',
          'something newer',
        ],
      }),
      {
        kind: 'keywords-taken',
        taken: [
          { kind: 'command', word: 'menu', command: 'menu' },
          { kind: 'command', word: 'sair', command: 'optOut' },
          { kind: 'flow', word: 'pedido', flowName: 'Vendas "2026"' },
          { kind: 'other', text: 'something newer' },
        ],
      },
    ],
    ['a conflict without details', conflict(undefined), { kind: 'other' }],
    ['another error code', conflict(undefined, 'VALIDATION_FAILED'), undefined],
    ['not an API error', new Error('boom'), undefined],
  ])('reads %s', (_name, error, expected) => {
    expect(readFlowConflict(error)).toEqual(expected);
  });

  it('keeps a command name it does not know as the server wrote it', () => {
    expect(readTakenKeyword(`"x" is the channel's teleport command`)).toEqual({
      kind: 'other',
      text: `"x" is the channel's teleport command`,
    });
  });
});
