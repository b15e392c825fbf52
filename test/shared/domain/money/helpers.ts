import type { ConversionResult, CnyConversionError } from '#shared/domain/money/cnyRates';

/** An exact decimal string from a bigint and a scale: property tests never go through floats. */
export function decimalString(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const integerPart = digits.slice(0, digits.length - scale);
  const fractionPart = digits.slice(digits.length - scale);
  return `${negative ? '-' : ''}${integerPart}${scale > 0 ? `.${fractionPart}` : ''}`;
}

export function expectOk<T>(result: ConversionResult<T>): T {
  if (!result.ok) {
    throw new Error(`expected a conversion, got ${result.error.code}`);
  }
  return result.value;
}

export function expectError<T>(result: ConversionResult<T>): CnyConversionError {
  if (result.ok) {
    throw new Error('expected a conversion error');
  }
  return result.error;
}
