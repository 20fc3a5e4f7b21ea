/**
 * The modulo-11 check digit shared by CPF, CNPJ (numeric and alphanumeric) and the Portuguese
 * NIF: the weighted sum's remainder r gives 0 when r < 2, else 11 − r.
 */
export function computeMod11CheckDigit(
  values: readonly number[],
  weights: readonly number[],
): number {
  let sum = 0;
  for (let index = 0; index < values.length; index += 1) {
    sum += (values[index] ?? 0) * (weights[index] ?? 0);
  }
  const remainder = sum % 11;
  return remainder < 2 ? 0 : 11 - remainder;
}
