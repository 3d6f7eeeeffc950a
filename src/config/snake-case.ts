/**
 * The JSON convention of every document the tool prints or writes: snake_case keys (the lead's
 * decision for all commands). Library objects keep TypeScript's camelCase; this turns them into
 * the written form at the boundary. Keys without a lower-to-upper case change (`vendas_lo_90`,
 * `1:2`, `WAPE`) stay as they are; typed arrays become plain arrays.
 */
const snake = (key: string) => (/[a-z0-9][A-Z]/.test(key) ? key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase() : key);

export function snakeCaseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeCaseKeys);
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as unknown as ArrayLike<number>);
  if (value !== null && typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (proto === Object.prototype || proto === null) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [snake(k), snakeCaseKeys(v)]));
    }
  }
  return value;
}

/** JSON text of a value in the tool's convention (snake_case keys). */
export function toJsonText(value: unknown, indent?: number): string {
  return JSON.stringify(snakeCaseKeys(value), null, indent);
}
