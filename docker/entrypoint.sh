#!/usr/bin/env bash
# Container entrypoint: check production settings, migrate, then run the server (default), or with
# `worker` the background worker, or with `archive-worker` the chat-archive worker (会话存档, one per
# corp; it supervises the process that loads WeCom's Finance SDK). Anything else is run as given.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() {
  printf 'entrypoint: %s\n' "$*" >&2
  exit 64
}

check_production_settings() {
  [ "${NODE_ENV:-development}" = production ] || return 0
  local missing=() secret=${APP_SECRET:-}
  [ ${#secret} -ge 32 ] || missing+=("APP_SECRET (at least 32 characters; never change it once data is stored)")
  [ -n "${DB_URL:-}" ] || missing+=("DB_URL (mysql://user:pass@host:3306/db, or sqlite:/data/scrm.sqlite for a single instance)")
  if [ -z "${WECOM_CORP_ID:-}" ] && [ "${WECOM_SANDBOX:-auto}" != off ]; then
    missing+=("WECOM_CORP_ID and the WECOM_* secrets (or WECOM_SANDBOX=off to enter them in the console); production never runs the WeCom sandbox")
  fi
  local name
  for name in $(compgen -e); do
    case "${!name}" in change-me*) missing+=("$name still holds its placeholder from .env.example") ;; esac
  done
  if [ ${#missing[@]} -gt 0 ]; then
    printf 'entrypoint: NODE_ENV=production needs these settings (see .env.example):\n' >&2
    printf '  - %s\n' "${missing[@]}" >&2
    exit 64
  fi
}

# node with the tsx loader, in this process (exec): SIGTERM reaches the server itself.
run_node() {
  exec node --import tsx "$@"
}

command=${1:-server}
case "$command" in
  server | worker | archive-worker)
    check_production_settings
    npm run --silent migrate || fail "migrations failed: not starting the $command"
    case "$command" in
      worker) run_node server/src/worker-main.ts ;;
      archive-worker) run_node server/src/archive-worker-main.ts ;;
      *) run_node server/src/main.ts ;;
    esac
    ;;
  *)
    exec "$@"
    ;;
esac
