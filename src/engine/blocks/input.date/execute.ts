import { createValidatorInputExecutor } from '../validator-input.js';
import type { InputDateOptions } from './definition.js';

export const executor = createValidatorInputExecutor<InputDateOptions>('date');
