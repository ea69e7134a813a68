#!/usr/bin/env bash
# Prepare the database, then start the action server, the Rasa server and the gateway on
# loopback; Ctrl-C stops them all.
# `scripts/run.sh shell` chats in this terminal instead of serving the REST channel.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=.venv/bin
MODEL=models/appeal-assistant.tar.gz
ACTION_PORT=${ACTION_PORT:-5055}
RASA_PORT=${RASA_PORT:-5005}
GATEWAY_PORT=${GATEWAY_PORT:-8080}
export GATEWAY_PORT
export RASA_URL="http://127.0.0.1:$RASA_PORT" ACTION_SERVER_URL="http://127.0.0.1:$ACTION_PORT"
mkdir -p var/log

"$BIN/python" scripts/prepare_database.py
"$BIN/python" -m gateway.accounts first-run

pids=()
stop_all() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop_all EXIT INT TERM

wait_for() {  # wait_for URL NAME SECONDS
  for _ in $(seq "$3"); do
    if "$BIN/python" -c "import urllib.request, sys; urllib.request.urlopen(sys.argv[1], timeout=2)" \
      "$1" >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  echo "$2 did not start; see var/log/." >&2
  exit 1
}

SANIC_HOST=127.0.0.1 "$BIN/rasa" run actions --actions actions --port "$ACTION_PORT" \
  >var/log/actions.log 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$ACTION_PORT/health" "The action server" 60

if [ "${1:-}" = "shell" ]; then
  "$BIN/rasa" shell --model "$MODEL" --endpoints endpoints.yml --quiet
  exit 0
fi

echo "Loading the model (about a minute)..."
"$BIN/rasa" run --model "$MODEL" --endpoints endpoints.yml --credentials credentials.yml \
  --interface 127.0.0.1 --port "$RASA_PORT" >var/log/rasa.log 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$RASA_PORT/" "The Rasa server" 180

"$BIN/python" -m gateway >var/log/gateway.log 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$GATEWAY_PORT/health" "The gateway" 30

cat <<INFO

The HMO Appeal Assistant is running.
  Chat with it:        http://127.0.0.1:$GATEWAY_PORT/  (the website widget on a demo page)
  Advocate console:    http://127.0.0.1:$GATEWAY_PORT/console  (accounts: .venv/bin/python -m gateway.accounts --help)
  Put it on a website: <script src="http://127.0.0.1:$GATEWAY_PORT/widget.js" defer></script>
  Or chat in a terminal with: make shell
  Logs: var/log/   Database: var/appeal.db (or APPEAL_DATABASE_URL)
Press Ctrl-C to stop.
INFO
wait -n "${pids[@]}"
