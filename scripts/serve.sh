#!/usr/bin/env bash
# Serves the app; with REDIS_URL set, also runs a Celery worker and beat beside it and stops them on exit.
set -euo pipefail
host="$1"
port="$2"
bin=.venv/bin
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

if [ -n "${REDIS_URL:-}" ]; then
  mkdir -p var
  "$bin/celery" -A ogp_tracker worker -l INFO -c 2 >var/celery-worker.log 2>&1 &
  pids+=($!)
  "$bin/celery" -A ogp_tracker beat -l INFO -s var/celerybeat-schedule >var/celery-beat.log 2>&1 &
  pids+=($!)
  echo "Celery worker and beat are running over Redis at ${REDIS_URL##*@} (logs in var/)"
else
  echo "No REDIS_URL: background tasks run in-process."
fi
echo "Serving on http://$host:$port/  (admin: http://$host:$port/admin/)"
"$bin/python" manage.py runserver "$host:$port" --noreload
