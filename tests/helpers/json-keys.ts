/** Every object key of a parsed JSON value, at any depth (to check the snake_case convention). */
export function allKeys(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) allKeys(v, out);
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      allKeys(v, out);
    }
  }
  return out;
}

/** Keys with a lower-to-upper case change (camelCase). */
export function camelKeys(value: unknown): string[] {
  return [...new Set(allKeys(value).filter((k) => /[a-z0-9][A-Z]/.test(k)))];
}
