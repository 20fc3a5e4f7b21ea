import type { BlockModule } from '../types.js';
import { definition as actionCall } from './action.call/definition.js';
import { executor as actionCallExecutor } from './action.call/execute.js';
import { definition as actionEnd } from './action.end/definition.js';
import { executor as actionEndExecutor } from './action.end/execute.js';
import { definition as actionHandoff } from './action.handoff/definition.js';
import { executor as actionHandoffExecutor } from './action.handoff/execute.js';
import { definition as actionHttp } from './action.http/definition.js';
import { executor as actionHttpExecutor } from './action.http/execute.js';
import { definition as inputAmount } from './input.amount/definition.js';
import { executor as inputAmountExecutor } from './input.amount/execute.js';
import { definition as inputChoice } from './input.choice/definition.js';
import { executor as inputChoiceExecutor } from './input.choice/execute.js';
import { definition as inputDate } from './input.date/definition.js';
import { executor as inputDateExecutor } from './input.date/execute.js';
import { definition as inputEmail } from './input.email/definition.js';
import { executor as inputEmailExecutor } from './input.email/execute.js';
import { definition as inputFile } from './input.file/definition.js';
import { executor as inputFileExecutor } from './input.file/execute.js';
import { definition as inputNumber } from './input.number/definition.js';
import { executor as inputNumberExecutor } from './input.number/execute.js';
import { definition as inputPhone } from './input.phone/definition.js';
import { executor as inputPhoneExecutor } from './input.phone/execute.js';
import { definition as inputText } from './input.text/definition.js';
import { executor as inputTextExecutor } from './input.text/execute.js';
import { definition as inputValidated } from './input.validated/definition.js';
import { executor as inputValidatedExecutor } from './input.validated/execute.js';
import { definition as logicCondition } from './logic.condition/definition.js';
import { executor as logicConditionExecutor } from './logic.condition/execute.js';
import { definition as logicJump } from './logic.jump/definition.js';
import { executor as logicJumpExecutor } from './logic.jump/execute.js';
import { definition as logicSet } from './logic.set/definition.js';
import { executor as logicSetExecutor } from './logic.set/execute.js';
import { definition as logicSwitchIntent } from './logic.switch-intent/definition.js';
import { executor as logicSwitchIntentExecutor } from './logic.switch-intent/execute.js';
import { definition as logicWait } from './logic.wait/definition.js';
import { executor as logicWaitExecutor } from './logic.wait/execute.js';
import { definition as messageButtons } from './message.buttons/definition.js';
import { executor as messageButtonsExecutor } from './message.buttons/execute.js';
import { definition as messageList } from './message.list/definition.js';
import { executor as messageListExecutor } from './message.list/execute.js';
import { definition as messageMedia } from './message.media/definition.js';
import { executor as messageMediaExecutor } from './message.media/execute.js';
import { definition as messageText } from './message.text/definition.js';
import { executor as messageTextExecutor } from './message.text/execute.js';

/**
 * Every block type the engine runs, by `type`. Adding a block: a folder
 * `<category>.<name>/` with `definition.ts` and `execute.ts`, a table-driven test beside them,
 * and one line here (see README.md).
 */
// biome-ignore lint/suspicious/noExplicitAny: each module pairs its own options type.
const modules: BlockModule<any>[] = [
  { definition: messageText, executor: messageTextExecutor },
  { definition: inputText, executor: inputTextExecutor },
  { definition: inputValidated, executor: inputValidatedExecutor },
  { definition: messageMedia, executor: messageMediaExecutor },
  { definition: messageButtons, executor: messageButtonsExecutor },
  { definition: messageList, executor: messageListExecutor },
  { definition: inputChoice, executor: inputChoiceExecutor },
  { definition: inputEmail, executor: inputEmailExecutor },
  { definition: inputPhone, executor: inputPhoneExecutor },
  { definition: inputDate, executor: inputDateExecutor },
  { definition: inputAmount, executor: inputAmountExecutor },
  { definition: inputNumber, executor: inputNumberExecutor },
  { definition: inputFile, executor: inputFileExecutor },
  { definition: logicSet, executor: logicSetExecutor },
  { definition: logicCondition, executor: logicConditionExecutor },
  { definition: logicJump, executor: logicJumpExecutor },
  { definition: logicWait, executor: logicWaitExecutor },
  { definition: logicSwitchIntent, executor: logicSwitchIntentExecutor },
  { definition: actionHttp, executor: actionHttpExecutor },
  { definition: actionCall, executor: actionCallExecutor },
  { definition: actionHandoff, executor: actionHandoffExecutor },
  { definition: actionEnd, executor: actionEndExecutor },
];

// biome-ignore lint/suspicious/noExplicitAny: see above.
export const blockModules: ReadonlyMap<string, BlockModule<any>> = new Map(
  modules.map((module) => [module.definition.type, module]),
);

export const blockTypes = [...blockModules.keys()];
