/** Where the page's files live: src/serve/dashboard/public in the repository, whether this module
 *  runs from src/ (tests) or from dist/ (the built CLI); both sit three levels below the root. */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PUBLIC_DIR = fileURLToPath(new URL('../../../src/serve/dashboard/public/', import.meta.url));

/** uPlot's browser build and stylesheet, from node_modules (no CDN: the page works offline). */
export const UPLOT_DIR = dirname(createRequire(import.meta.url).resolve('uplot/dist/uPlot.iife.min.js'));
