import { createValidatorInputExecutor } from '../validator-input.js';
import type { InputPhoneOptions } from './definition.js';

export const executor = createValidatorInputExecutor<InputPhoneOptions>('phone');
