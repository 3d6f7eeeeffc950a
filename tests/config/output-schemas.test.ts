import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jsonSchemas, OUTPUT_SCHEMAS } from '../../src/config/output-schemas.js';

describe('JSON Schema of the documents (docs/schemas)', () => {
  it('docs/schemas holds what the zod schemas generate (npm run schemas)', () => {
    for (const [name, schema] of Object.entries(jsonSchemas())) {
      const file = new URL(`../../docs/schemas/${name}.schema.json`, import.meta.url);
      expect(JSON.parse(readFileSync(file, 'utf8')), `${name}: run npm run schemas`).toEqual(JSON.parse(JSON.stringify(schema)));
    }
  });

  it('describes snake_case keys only, with schema_version on the documents', () => {
    const text = JSON.stringify(jsonSchemas());
    const keys = [...text.matchAll(/"properties":\{"([^"]+)"/g)].map((m) => m[1]);
    expect(keys.length).toBeGreaterThan(5);
    for (const [name, s] of Object.entries(jsonSchemas()) as [string, { properties?: Record<string, unknown> }][]) {
      for (const k of Object.keys(s.properties ?? {})) expect(k, `${name}.${k}`).toMatch(/^[a-z0-9_]+$/);
      if (!['thresholds', 'csv-dialect', 'train-event'].includes(name)) expect(Object.keys(s.properties ?? {}), name).toContain('schema_version');
    }
    expect(Object.keys(OUTPUT_SCHEMAS)).toContain('backtest-summary');
  });
});
