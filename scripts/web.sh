#!/usr/bin/env bash
# Builds the web app into web/dist: npm ci when the lockfile changed, then vite build.
set -euo pipefail
cd "$(dirname "$0")/../web"
stamp=node_modules/.sx-lock
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi
if [ -f dist/.sx-built ] && [ -z "$(find src m admin public vite.config.ts tsconfig.json package.json scripts -newer dist/.sx-built -print -quit 2>/dev/null)" ]; then
  exit 0
fi
npm run build --silent
touch dist/.sx-built
