# syntax=docker/dockerfile:1
# ttm, CPU image: `ttm serve` on port 8000 (the default command) or any ttm command
# (docker run IMAGE evaluate ..., predict --all --shard K/N ...). Backend: @tensorflow/tfjs-node
# (native TensorFlow), WASM when that cannot load. GPU variant: Dockerfile.gpu.
#   docker build -t ttm:0.1.0 .
#   docker run -p 8000:8000 -v ttm-data:/data -e TTM_AUTH_FILE=/data/auth.json ttm:0.1.0
# Volume /data (owned by uid 10001): registry/ (ttm models), dados/ (weekly CSV), audit/, forecasts/.

# Build stage: dev dependencies for tsc. --ignore-scripts: no native TensorFlow download here,
# the JavaScript in dist/ is the same on every platform.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npx tsc -p tsconfig.build.json

# Runtime stage: production dependencies only. The install scripts are skipped for all packages,
# then run for @tensorflow/tfjs-node alone (it downloads libtensorflow for this platform); the GPU
# package is removed, so the CPU image does not carry CUDA's libtensorflow.
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm rebuild @tensorflow/tfjs-node \
 && rm -rf node_modules/@tensorflow/tfjs-node-gpu \
 && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY bin ./bin
# the dashboard's page and scripts are served from the source tree (not compiled)
COPY src/serve/dashboard/public ./src/serve/dashboard/public
COPY docker/healthcheck.mjs ./docker/healthcheck.mjs
RUN groupadd --system --gid 10001 ttm \
 && useradd --system --uid 10001 --gid ttm --home-dir /app --no-create-home --shell /usr/sbin/nologin ttm \
 && mkdir -p /data && chown ttm:ttm /data
USER 10001:10001
EXPOSE 8000
VOLUME ["/data"]
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "/app/docker/healthcheck.mjs", "http://127.0.0.1:8000/health"]
ENTRYPOINT ["node", "/app/bin/ttm.js"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000", "--registry", "/data/registry", "--data", "/data/dados/db_tratado-w.csv", "--audit", "/data/audit/audit.jsonl"]
