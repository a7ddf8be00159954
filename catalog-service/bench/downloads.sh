#!/usr/bin/env bash
# Downloads through the catalog against reading the same stored files, side by side:
#   throughput  a 1 GiB one-file download (curl to /dev/null) vs cat of its shard files to
#               /dev/null, best of 3; the ratio is curl's throughput over cat's (goal >= 0.8).
#               Twice: warm (both from the page cache: cat then copies memory while curl crosses
#               loopback TCP, so this measures the transport) and, where /proc/sys/vm/drop_caches
#               is writable (root), cold (the page cache dropped before every run: both read the
#               disk, as a download of a version nobody read lately does). Also, as the
#               transport's ceiling, curl from a bare server that sends the same files with
#               sendfile(2) and does nothing else.
#   parquet     time to first byte of a real build's merged Parquet download, and its merged
#               footer's size against the file's
# The 1 GiB version is fabricated (8 incompressible NDJSON.gz shards with a correct manifest) by
# the test suite's stand-in pipeline (catalog-service/target/test-classes), so no database export
# of that size runs; the Parquet one is a real build of the source given. Service heap 256 MB.
#
# Usage: catalog-service/bench/downloads.sh --source-url JDBC_URL (--table NAME | --query SQL)
# Needs: java, curl, python3, and the jars and test classes built (mvn -B -DskipTests package).
# Prints a table, then one JSON line with every number as its last line.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
catalog_jar="$repo/catalog-service/target/amber-catalog.jar"
test_classes="$repo/catalog-service/target/test-classes"
pipelines_jar="${AMBER_PIPELINES_JAR:-$repo/pipelines/target/amber-pipelines.jar}"
source_url="" table="" query=""
while [ $# -gt 0 ]; do
  case "$1" in
    --source-url) source_url="$2"; shift 2 ;;
    --table) table="$2"; shift 2 ;;
    --query) query="$2"; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "downloads.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -n "$source_url" ] || { echo "downloads.sh: --source-url is required" >&2; exit 2; }
[ -n "$table$query" ] || { echo "downloads.sh: give --table or --query" >&2; exit 2; }
for f in "$catalog_jar" "$pipelines_jar" "$test_classes/org/amber/catalog/build/FakePipelineJar.class"; do
  [ -e "$f" ] || { echo "downloads.sh: $f is missing (mvn -B -DskipTests package)" >&2; exit 2; }
done

work="$(mktemp -d)"
service_pid=""
stop_service() {
  if [ -n "$service_pid" ] && kill -0 "$service_pid" 2>/dev/null; then
    kill "$service_pid"; wait "$service_pid" 2>/dev/null || true
  fi
  service_pid=""
}
trap 'stop_service; rm -rf "$work"' EXIT

start_service() { # start_service PIPELINES_JAR DATA_DIR: sets $base
  mkdir -p "$2"
  java -Xmx256m -jar "$catalog_jar" serve --host 127.0.0.1 --port 0 --data-dir "$2" \
    --source "bench=$source_url" --pipelines-jar "$1" --demo-mode true >"$2/service.log" 2>&1 &
  service_pid=$!
  local port=""
  for _ in $(seq 1 240); do
    port="$(sed -n 's/.*catalog listening on [^:]*:\([0-9]*\).*/\1/p' "$2/service.log" | head -1)"
    [ -n "$port" ] && break
    kill -0 "$service_pid" 2>/dev/null || { cat "$2/service.log" >&2; exit 1; }
    sleep 0.5
  done
  [ -n "$port" ] || { echo "downloads.sh: the catalog did not start" >&2; exit 1; }
  base="http://127.0.0.1:$port"
}

build() { # build DATASET DEFINITION_JSON: the finished version's JSON in $work/DATASET.json
  curl -sf -X PUT "$base/v1/datasets/$1" -H 'Content-Type: application/json' -d "$2" >/dev/null
  local status
  status="$(curl -s -o "$work/$1.json" -w '%{http_code}' -X POST "$base/v1/datasets/$1/versions" -H 'Prefer: wait=600')"
  if [ "$status" != 201 ] || ! grep -q '"status":"COMPLETED"' "$work/$1.json"; then
    echo "downloads.sh: the $1 build did not complete ($status): $(cat "$work/$1.json")" >&2
    exit 1
  fi
}
field() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."): d=d[int(k)] if isinstance(d,list) else d[k]
print(d)' "$@"; }
best_of_3() { # best_of_3 COMMAND…: the least wall time in seconds
  local best="" start end t
  for _ in 1 2 3; do
    start=$(date +%s.%N); "$@" >/dev/null; end=$(date +%s.%N)
    t=$(echo "$end - $start" | bc)
    if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" = 1 ]; then best=$t; fi
  done
  printf '%.3f' "$best"
}

# 1. Throughput of a 1 GiB one-file download against cat of its shards.
java -cp "$test_classes:$catalog_jar" org.amber.catalog.build.FakePipelineJar "$work/fake.jar"
export AMBER_FAKE_SHARDS=8 AMBER_FAKE_SHARD_BYTES=$((128 * 1024 * 1024))
start_service "$work/fake.jar" "$work/large"
build large '{"source":"bench","table":"fake.large","formats":["ndjson.gz"]}'
version="$(field "$work/large.json" url)"
address="$(field "$work/large.json" address)"
mapfile -t shards < <(find "$work/large" -path "*/$address/ndjson/*" -name '*.ndjson.gz' | sort)
[ "${#shards[@]}" -gt 0 ] || { echo "downloads.sh: no shard files of $address" >&2; exit 1; }
bytes="$(cat "${shards[@]}" | wc -c)"
cat_shards() { cat "${shards[@]}" > /dev/null; }
curl_download() { curl -sf -o /dev/null "$base$version/download/large.ndjson.gz"; }
cat_shards   # into the page cache
t_cat="$(best_of_3 cat_shards)"
t_curl="$(best_of_3 curl_download)"
t_cat_cold="" t_curl_cold=""
if [ -w /proc/sys/vm/drop_caches ]; then
  cold_best_of_3() { # cold_best_of_3 COMMAND…: like best_of_3, the page cache dropped before each run
    local best="" start end t
    for _ in 1 2 3; do
      sync; echo 3 > /proc/sys/vm/drop_caches
      start=$(date +%s.%N); "$@" >/dev/null; end=$(date +%s.%N)
      t=$(echo "$end - $start" | bc)
      if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" = 1 ]; then best=$t; fi
    done
    printf '%.3f' "$best"
  }
  t_cat_cold="$(cold_best_of_3 cat_shards)"
  t_curl_cold="$(cold_best_of_3 curl_download)"
fi
stop_service
python3 - "${shards[@]}" > "$work/sendfile.port" <<'PY' &
import os, socket, sys
server = socket.socket()
server.bind(("127.0.0.1", 0))
server.listen(4)
print(server.getsockname()[1], flush=True)
total = sum(os.path.getsize(f) for f in sys.argv[1:])
for _ in range(3):
    client, _ = server.accept()
    client.recv(65536)
    client.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % total)
    for name in sys.argv[1:]:
        with open(name, "rb") as f:
            client.sendfile(f)
    client.close()
PY
sendfile_pid=$!
for _ in $(seq 1 50); do [ -s "$work/sendfile.port" ] && break; sleep 0.1; done
curl_sendfile() { curl -sf -o /dev/null "http://127.0.0.1:$(cat "$work/sendfile.port")/"; }
t_sendfile="$(best_of_3 curl_sendfile)"
wait "$sendfile_pid" 2>/dev/null || true
mib() { printf '%.0f' "$(echo "$bytes / 1048576 / $1" | bc -l)"; }
ratio="$(printf '%.2f' "$(echo "$t_cat / $t_curl" | bc -l)")"
echo "one-file download of $((bytes / 1048576)) MiB, warm page cache: curl $(mib "$t_curl") MiB/s, cat $(mib "$t_cat") MiB/s, ratio $ratio (goal >= 0.8); curl from a bare sendfile server $(mib "$t_sendfile") MiB/s" >&2
cold_json=""
if [ -n "$t_cat_cold" ]; then
  cold_ratio="$(printf '%.2f' "$(echo "$t_cat_cold / $t_curl_cold" | bc -l)")"
  echo "one-file download of $((bytes / 1048576)) MiB, cold page cache: curl $(mib "$t_curl_cold") MiB/s, cat $(mib "$t_cat_cold") MiB/s, ratio $cold_ratio (goal >= 0.8)" >&2
  cold_json=",\"cold_download_mib_per_s\":$(mib "$t_curl_cold"),\"cold_cat_mib_per_s\":$(mib "$t_cat_cold"),\"cold_download_vs_cat\":$cold_ratio"
else
  echo "cold page cache: not measured (/proc/sys/vm/drop_caches is not writable)" >&2
fi
rm -rf "$work/large"

# 2. The merged Parquet of a real build: time to first byte, footer against data.
start_service "$pipelines_jar" "$work/real"
json_string() { python3 -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$1"; }
if [ -n "$table" ]; then what="\"table\":$(json_string "$table")"; else what="\"query\":$(json_string "$query")"; fi
build real "{\"source\":\"bench\",$what,\"formats\":[\"parquet\"],\"partitions\":4}"
version="$(field "$work/real.json" url)"
curl -sf -o "$work/manifest.json" "$base$version/manifest.json"
parquet_bytes="$(field "$work/manifest.json" formats.parquet.download.bytes)"
footer_bytes="$(field "$work/manifest.json" formats.parquet.download.footer.bytes)"
ttfb() { curl -sf -o /dev/null -w '%{time_starttransfer}' "$@"; }
ttfb "$base$version/download/real.parquet" >/dev/null   # warm-up: JIT and caches
ttfb_whole="$(ttfb "$base$version/download/real.parquet")"
ttfb_footer="$(ttfb -r -8 "$base$version/download/real.parquet")"
stop_service
footer_share="$(printf '%.5f' "$(echo "$footer_bytes / $parquet_bytes" | bc -l)")"
ms() { printf '%.1f' "$(echo "$1 * 1000" | bc -l)"; }
echo "merged parquet of $parquet_bytes bytes: first byte after $(ms "$ttfb_whole") ms (suffix range: $(ms "$ttfb_footer") ms); footer $footer_bytes bytes = $footer_share of the file" >&2
echo "{\"download_mib_per_s\":$(mib "$t_curl"),\"cat_mib_per_s\":$(mib "$t_cat"),\"sendfile_mib_per_s\":$(mib "$t_sendfile"),\"download_vs_cat\":$ratio,\"parquet_ttfb_ms\":$(ms "$ttfb_whole"),\"parquet_suffix_ttfb_ms\":$(ms "$ttfb_footer"),\"parquet_bytes\":$parquet_bytes,\"footer_bytes\":$footer_bytes$cold_json}"
