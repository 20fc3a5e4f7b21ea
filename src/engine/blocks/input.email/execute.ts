import { createValidatorInputExecutor } from '../validator-input.js';
import type { InputEmailOptions } from './definition.js';

export const executor = createValidatorInputExecutor<InputEmailOptions>('email');
