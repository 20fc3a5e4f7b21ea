import { createValidatorInputExecutor } from '../validator-input.js';
import type { InputAmountOptions } from './definition.js';

export const executor = createValidatorInputExecutor<InputAmountOptions>('amount');
