# syntax=docker/dockerfile:1
# The caisse service for operators; `docker compose up` runs it with PostgreSQL and Redis (see docker-compose.yml).
# NODE_MAJOR=22 (docker build --build-arg NODE_MAJOR=22) also works: package.json asks for node >= 20.19.
ARG NODE_MAJOR=20

FROM node:${NODE_MAJOR}-bookworm-slim AS build
WORKDIR /app
# Native modules (argon2) use their prebuilt binaries; the toolchain is the fallback when none fits the platform.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
COPY migrations ./migrations
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

FROM node:${NODE_MAJOR}-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    DATA_DIR=/app/data
WORKDIR /app
# Code and dependencies stay owned by root: the service user can read them, not change them.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The web pages' stylesheet and scripts are read from src/web/assets (tsc compiles only the TypeScript).
COPY --from=build /app/src/web/assets ./src/web/assets
# DATA_DIR only matters without JWT_SECRET (a generated secret is kept there); compose sets every URL and the secret.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=5 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Exec form: node is PID 1 and receives SIGTERM itself, closes the app, and exits 0.
CMD ["node", "dist/src/main.js"]
