#!/usr/bin/env bash
# Load on the catalog's two hottest reads, GET /v1/datasets/{name} and GET …/versions/{v}, from a
# second process (wrk) over loopback, with the service heap at 256 MB.
#
# Starts its own catalog (embedded store, temporary data dir), builds one small dataset from the
# source given, then for each endpoint runs wrk twice with 100 connections:
#   paced      every connection sends a request, waits PAUSE_MS, sends the next: a fixed offered
#              rate (~100 / (PAUSE_MS + latency)); p50/p99 here are the latency goal's numbers
#   saturated  every connection sends the next request at once: the most the service answers
# Every run is bounded in time; everything started is stopped on exit. Loopback only.
#
# Usage: catalog-service/bench/load.sh --source-url JDBC_URL (--table NAME | --query SQL)
#          [--duration SECONDS] [--connections N] [--pause-ms MS]
# Needs: java, curl, wrk (apt-get install -y wrk), and the jars built (mvn -B package).
# Prints a table, then one JSON line with every number as its last line.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
catalog_jar="$repo/catalog-service/target/amber-catalog.jar"
pipelines_jar="${AMBER_PIPELINES_JAR:-$repo/pipelines/target/amber-pipelines.jar}"
source_url="" table="" query=""
duration=15 connections=100 pause_ms=25

while [ $# -gt 0 ]; do
  case "$1" in
    --source-url) source_url="$2"; shift 2 ;;
    --table) table="$2"; shift 2 ;;
    --query) query="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --pause-ms) pause_ms="$2"; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "load.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -n "$source_url" ] || { echo "load.sh: --source-url is required" >&2; exit 2; }
[ -n "$table$query" ] || { echo "load.sh: give --table or --query" >&2; exit 2; }
command -v wrk >/dev/null || { echo "load.sh: wrk is missing (apt-get install -y wrk)" >&2; exit 2; }
for jar in "$catalog_jar" "$pipelines_jar"; do
  [ -f "$jar" ] || { echo "load.sh: $jar is missing (mvn -B package)" >&2; exit 2; }
done

work="$(mktemp -d)"
service_pid=""
cleanup() {
  if [ -n "$service_pid" ] && kill -0 "$service_pid" 2>/dev/null; then
    kill "$service_pid"
    wait "$service_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

java -Xmx256m -jar "$catalog_jar" serve --host 127.0.0.1 --port 0 --data-dir "$work" \
  --source "bench=$source_url" --pipelines-jar "$pipelines_jar" --demo-mode true \
  >"$work/service.log" 2>&1 &
service_pid=$!

port=""
for _ in $(seq 1 240); do
  port="$(sed -n 's/.*catalog listening on [^:]*:\([0-9]*\).*/\1/p' "$work/service.log" | head -1)"
  [ -n "$port" ] && break
  kill -0 "$service_pid" 2>/dev/null || { cat "$work/service.log" >&2; exit 1; }
  sleep 0.5
done
[ -n "$port" ] || { echo "load.sh: the catalog did not start" >&2; cat "$work/service.log" >&2; exit 1; }
base="http://127.0.0.1:$port"

json_string() { python3 -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$1"; }
if [ -n "$table" ]; then what="\"table\":$(json_string "$table")"; else what="\"query\":$(json_string "$query")"; fi
curl -sf -X PUT "$base/v1/datasets/bench" -H 'Content-Type: application/json' \
  -d "{\"source\":\"bench\",$what,\"formats\":[\"parquet\"],\"description\":\"catalog load test\"}" >/dev/null
status="$(curl -s -o "$work/version.json" -w '%{http_code}' -X POST "$base/v1/datasets/bench/versions" -H 'Prefer: wait=600')"
if [ "$status" != 201 ] || ! grep -q '"status":"COMPLETED"' "$work/version.json"; then
  echo "load.sh: the dataset build did not complete ($status): $(cat "$work/version.json")" >&2
  exit 1
fi

# wrk's latency lines in milliseconds: "50% 423.00us" → 0.423
to_ms() { awk '{v=$2; u=v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
  if (u=="us") v=v/1000; else if (u=="s") v=v*1000; else if (u=="m") v=v*60000; printf "%.3f", v}'; }
measure() { # name url mode
  local out="$work/$1-$3.txt" extra=()
  [ "$3" = paced ] && extra=(-s "$here/paced.lua")
  AMBER_BENCH_PAUSE_MS="$pause_ms" wrk -t2 -c"$connections" -d"${duration}s" --timeout 5s --latency "${extra[@]}" "$2" >"$out"
  local p50 p99 rps errors
  p50="$(grep -E '^ +50%' "$out" | to_ms)"
  p99="$(grep -E '^ +99%' "$out" | to_ms)"
  rps="$(awk '/^Requests\/sec/ {printf "%.0f", $2}' "$out")"
  errors="$(awk '/Non-2xx|Socket errors/ {print}' "$out" | tr '\n' ' ')"
  printf '%-9s %-10s %10s %10s %10s  %s\n' "$1" "$3" "$p50" "$p99" "$rps" "$errors" >&2
  results+=("\"$1_$3\":{\"p50_ms\":$p50,\"p99_ms\":$p99,\"requests_per_s\":$rps}")
}

results=()
dataset_url="$base/v1/datasets/bench"
version_url="$base/v1/datasets/bench/versions/1"
wrk -t2 -c"$connections" -d5s "$dataset_url" >/dev/null   # warm-up: JIT and caches
wrk -t2 -c"$connections" -d5s "$version_url" >/dev/null
printf '%-9s %-10s %10s %10s %10s\n' endpoint mode p50_ms p99_ms req/s >&2
for mode in paced saturated; do
  measure dataset "$dataset_url" "$mode"
  measure version "$version_url" "$mode"
done
(IFS=,; echo "{\"connections\":$connections,\"duration_s\":$duration,\"pause_ms\":$pause_ms,\"heap\":\"256m\",${results[*]}}")
