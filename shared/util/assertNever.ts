/** Exhaustiveness guard for discriminated unions: the compiler proves this is never reached. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unexpected ${what}: ${JSON.stringify(value)}`);
}
