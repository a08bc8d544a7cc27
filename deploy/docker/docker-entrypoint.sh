#!/bin/sh
# The image's commands. `start` (the default) migrates the database, then serves; Kubernetes runs `migrate` in an
# init container and `server` in the main one. Anything else runs as given (`sh`, `git --version`).
set -eu
app=$(cd "$(dirname "$0")" && pwd)   # /app in the image

migrate() {
  # The migrator works from its own folder: prisma.config.ts, prisma/ and the Prisma CLI live there.
  (cd "$app/migrate" && node scripts/migrate-database.js)
}

case "${1:-start}" in
  start)
    migrate
    exec node "$app/server.js"
    ;;
  migrate)
    migrate
    ;;
  server)
    exec node "$app/server.js"
    ;;
  *)
    exec "$@"
    ;;
esac
