#!/usr/bin/env node
// Writes docs/schemas/<name>.schema.json from the zod schemas in src/config/output-schemas.ts
// (through dist/: run `npm run build` first). `npm run schemas`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jsonSchemas } from '../dist/config/output-schemas.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), '../docs/schemas');
mkdirSync(dir, { recursive: true });
for (const [name, schema] of Object.entries(jsonSchemas())) {
  writeFileSync(join(dir, `${name}.schema.json`), `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`wrote docs/schemas/${name}.schema.json`);
}
