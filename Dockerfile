# syntax=docker/dockerfile:1
# Slipway's production image: the Next.js standalone server, a migrator for its database, and git.
#   docker build -t slipway .
#   docker run -p 3000:3000 -v slipway-data:/var/lib/slipway -v $PWD/slipway.yaml:/etc/slipway/slipway.yaml:ro slipway
# Commands (docker-entrypoint.sh): start (default: migrate, then serve), migrate, server.

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
ENV NEXT_TELEMETRY_DISABLED=1
# Install scripts off: what postinstall does (prisma generate, the antd stylesheet) runs below once the sources are there.
COPY package.json package-lock.json .npmrc ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npx prisma generate
# antd's styles as a static stylesheet: app/antd.generated.css, imported by app/layout.tsx.
RUN npm run styles:antd
# Standalone output (next.config.js): server.js plus only the node_modules it traces.
RUN SLIPWAY_STANDALONE=1 NODE_ENV=production npx next build

# The migrator: scripts/migrate-database.ts (the embedded database in-process; PostgreSQL through
# `prisma migrate deploy`, which loads prisma.config.ts and the few lib/ files it imports), the migrations, and the
# Prisma CLI with the database drivers. The standalone server has none of these: the CLI is a devDependency.
RUN set -eu; \
    out=/out/migrate; \
    mkdir -p "$out/scripts" "$out/lib/config" "$out/lib/database"; \
    node_modules/.bin/esbuild scripts/migrate-database.ts --bundle --platform=node --format=cjs --target=node20 \
      --packages=external --outfile="$out/scripts/migrate-database.js" --log-level=warning; \
    cp -r prisma prisma.config.ts "$out/"; \
    cp lib/database-adapter.ts lib/errors.ts lib/child-requests.ts "$out/lib/"; \
    cp lib/config/environment.ts "$out/lib/config/"; \
    cp lib/database/data-dir-lock.ts lib/database/recover-data-dir.ts lib/database/database-process.ts "$out/lib/database/"; \
    echo '{ "name": "slipway-migrate", "private": true }' > "$out/package.json"; \
    node deploy/docker/copy-package-closure.mjs "$out" prisma @electric-sql/pglite @prisma/adapter-pg @prisma/driver-adapter-utils pglite-prisma-adapter zod

FROM ${NODE_IMAGE} AS runtime
# git: the local git provider shells out to it (stacks and service repositories); openssh-client for git@ URLs;
# tini: signals reach node, which closes the embedded database and releases its folder's lock on SIGTERM.
RUN apt-get update \
 && apt-get install -y --no-install-recommends git openssh-client ca-certificates tini \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 10001 slipway \
 && useradd --uid 10001 --gid 10001 --create-home --home-dir /home/slipway --shell /usr/sbin/nologin slipway \
 && mkdir -p /etc/slipway /var/lib/slipway/data /var/lib/slipway/cache \
 && chown -R 10001:10001 /var/lib/slipway

WORKDIR /app
# Code belongs to root and is read-only for the app; only /var/lib/slipway and .next/cache are the app's to write.
COPY --from=build /src/.next/standalone ./
COPY --from=build /src/.next/static ./.next/static
# (Slipway has no public/ folder; copy it here beside .next if one is added.)
COPY --from=build /out/migrate ./migrate
COPY --chmod=0755 deploy/docker/docker-entrypoint.sh ./docker-entrypoint.sh
RUN mkdir -p .next/cache && chown 10001:10001 .next/cache

ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    PORT=3000 \
    HOSTNAME=0.0.0.0 \
    SLIPWAY_CONFIG=/etc/slipway/slipway.yaml \
    SLIPWAY_DATA_DIR=/var/lib/slipway/data \
    SLIPWAY_CACHE_DIR=/var/lib/slipway/cache

USER 10001:10001
VOLUME ["/var/lib/slipway"]
EXPOSE 3000
# 200 once the database answers; the start period covers migrating and opening it.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:3000/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--", "/app/docker-entrypoint.sh"]
CMD ["start"]
