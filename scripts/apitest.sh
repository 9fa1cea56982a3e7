#!/usr/bin/env bash
# `make apitest`: schemathesis fuzzes the running API against its own live OpenAPI schema,
# once with a read-only token and once with a read-write token (both of a demo officer).
# All of schemathesis's checks but positive_data_acceptance: the business rules of an entry
# (a year inside the plan, parts adding up to the number, ...) cannot be written in a schema,
# so a schema-valid entry may rightly be refused with 422; a read token refuses writes (403).
# Fails on any 500, any response that does not match the schema, and on any row written
# during the read-only run. Uses a throw-away SQLite database and its own port.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PORT="${APITEST_PORT:-8151}"
EXAMPLES="${APITEST_EXAMPLES:-40}"
WORK="$(mktemp -d)"
# the fuzzer checks the schema, not the per-user write rate (429 is in the schema; its own test is elsewhere)
export DATABASE_URL="sqlite:///$WORK/apitest.sqlite3" DEBUG=1 DEMO=1 API_WRITES_PER_MINUTE=1000000
trap 'kill "${SERVER:-0}" 2>/dev/null || true; rm -rf "$WORK"' EXIT

$PY manage.py migrate --no-input -v0
$PY manage.py load_plan >/dev/null
$PY manage.py seed_demo --if-demo-mode >/dev/null
READ="$($PY manage.py create_api_token demo_officer --name apitest-read)"
WRITE="$($PY manage.py create_api_token demo_officer --write --name apitest-write)"
count_rows() {
  $PY manage.py shell -v0 -c "from indicators.models import ProgressEntry as E, Evidence, Comment; \
print(E.objects.count(), E.history.count(), Evidence.objects.count(), Comment.objects.count())"
}

$PY manage.py runserver "127.0.0.1:$PORT" --noreload --skip-checks >"$WORK/server.log" 2>&1 &
SERVER=$!
SCHEMA="http://127.0.0.1:$PORT/api/v1/openapi.json"
run() {  # run NAME TOKEN [extra st options]
  local name=$1 token=$2
  shift 2
  echo "== schemathesis, $name token =="
  .venv/bin/st run "$SCHEMA" -H "Authorization: Bearer $token" --wait-for-schema 30 \
    --max-examples "$EXAMPLES" --workers 1 --checks all --seed 12 \
    --exclude-checks positive_data_acceptance "$@"
}

before="$(count_rows)"
run read "$READ"
after="$(count_rows)"
if [ "$before" != "$after" ]; then
  echo "FAIL: the read-only run wrote rows (entries, history, evidence, comments: $before → $after)"
  exit 1
fi
echo "read-only run wrote nothing (entries, history, evidence, comments: $after)"
run write "$WRITE"
