#!/usr/bin/env node
// HEALTHCHECK of the ttm images (Dockerfile, Dockerfile.gpu): exit 0 when GET URL answers 200
// within 3 s, else 1 with the reason on stderr. Node's own fetch: the slim and CUDA bases have
// no curl. Usage: node docker/healthcheck.mjs [http://127.0.0.1:8000/health]
const url = process.argv[2] ?? 'http://127.0.0.1:8000/health';
try {
  const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
  if (res.status !== 200) {
    process.stderr.write(`unhealthy: ${url} answered ${res.status}\n`);
    process.exit(1);
  }
} catch (err) {
  const why = err.cause ? (err.cause.code ?? err.cause.errors?.[0]?.code ?? err.cause.message) : err.message;
  process.stderr.write(`unhealthy: ${url}: ${why}\n`);
  process.exit(1);
}
