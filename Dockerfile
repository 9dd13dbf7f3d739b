# Image for docker-compose.yml: the app against real Postgres and ClickHouse servers.
FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx next build && npm prune --omit=dev \
  # The embedded ClickHouse (chDB, ~550 MB) is only used without CLICKHOUSE_URL.
  && rm -rf node_modules/chdb node_modules/@chdb

FROM node:20-bookworm-slim
WORKDIR /app
# HOST: a container is reached through its published port, never its own loopback.
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 LLMOPS_SKIP_BUILD=1 PORT=3000 HOST=0.0.0.0
COPY --from=build /app /app
EXPOSE 3000
USER node
CMD ["node", "scripts/start.mjs"]
