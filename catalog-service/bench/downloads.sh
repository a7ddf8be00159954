#!/usr/bin/env bash
# Downloads through the catalog against reading the same stored files, side by side:
#   throughput  a 1 GiB one-file download (curl to /dev/null) vs cat of its shard files to
#               /dev/null, and vs curl from a bare server that sends the same files with
#               sendfile(2) and does nothing else (the transport's ceiling: no copy through user
#               space), and vs that server read by a client that splices the socket into
#               /dev/null (no copy into user space at either end: two programs that do nothing
#               but move the bytes, what loopback TCP itself gives on this machine).
#               DOWNLOAD_RUNS (default 5) runs of each, interleaved, each kind reported by its
#               median and its spread; the ratio is the median throughputs' (goal >= 0.8).
#               Twice: warm (all from the page cache: cat then copies memory while curl crosses
#               loopback TCP, so this measures the transport) and, where /proc/sys/vm/drop_caches
#               is writable (root), cold (the page cache dropped before every run: all read the
#               disk, as a download of a version nobody read lately does).
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
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "downloads.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -n "$source_url" ] || { echo "downloads.sh: --source-url is required" >&2; exit 2; }
[ -n "$table$query" ] || { echo "downloads.sh: give --table or --query" >&2; exit 2; }
for f in "$catalog_jar" "$pipelines_jar" "$test_classes/org/amber/catalog/build/FakePipelineJar.class"; do
  [ -e "$f" ] || { echo "downloads.sh: $f is missing (mvn -B -DskipTests package)" >&2; exit 2; }
done

work="$(mktemp -d)"
service_pid="" sendfile_pid=""
stop_service() {
  if [ -n "$service_pid" ] && kill -0 "$service_pid" 2>/dev/null; then
    kill "$service_pid"; wait "$service_pid" 2>/dev/null || true
  fi
  service_pid=""
}
trap 'stop_service; [ -z "$sendfile_pid" ] || kill "$sendfile_pid" 2>/dev/null; rm -rf "$work"' EXIT

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
runs="${DOWNLOAD_RUNS:-5}"
seconds() { # seconds COMMAND…: the wall time of one run, in seconds
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null || { echo "downloads.sh: $* failed" >&2; return 1; }
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}
cold() { sync; echo 3 > /proc/sys/vm/drop_caches; seconds "$@"; }
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
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
# The bare sendfile(2) server: the most a download over loopback TCP can do, with no copy
# through user space at all. It runs beside the (idle) service so every kind of run can be
# interleaved with the others.
python3 - "${shards[@]}" > "$work/sendfile.port" <<'PY' &
import os, socket, sys
server = socket.socket()
server.bind(("127.0.0.1", 0))
server.listen(4)
print(server.getsockname()[1], flush=True)
total = sum(os.path.getsize(f) for f in sys.argv[1:])
while True:
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
# The client end of that pair: splice(2) moves the response from the socket into /dev/null
# through a pipe without copying it into this process (headers and all; only the time counts).
splice_sendfile() {
  python3 - "$(cat "$work/sendfile.port")" <<'PY'
import fcntl, os, socket, sys
client = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
client.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
sink = os.open(os.devnull, os.O_WRONLY)
read_end, write_end = os.pipe()
fcntl.fcntl(write_end, 1031, 1 << 20)  # F_SETPIPE_SZ: a 1 MiB pipe, 16 times fewer calls
while True:
    moved = os.splice(client.fileno(), write_end, 1 << 20)
    if moved == 0:
        break
    while moved > 0:
        moved -= os.splice(read_end, sink, moved)
PY
}
# Runs are interleaved (cat, service, sendfile, cat, …) and each kind reported by its median: on
# a machine other work shares, a burst of load then slows every kind alike instead of whichever
# kind happened to run during it.
cat_shards   # into the page cache
curl_download   # the service's first download loads its code
cat_w=() curl_w=() sendfile_w=() splice_w=() cat_c=() curl_c=() sendfile_c=()
for _ in $(seq "$runs"); do
  cat_w+=("$(seconds cat_shards)")
  curl_w+=("$(seconds curl_download)")
  sendfile_w+=("$(seconds curl_sendfile)")
  splice_w+=("$(seconds splice_sendfile)")
done
cold_measured=""
if [ -w /proc/sys/vm/drop_caches ]; then
  # Cold, each run starts with the page cache dropped, so each reads the shards from the disk;
  # the service also rereads its catalog row and curl its own binary, as a real download does.
  cold_measured=yes
  for _ in $(seq "$runs"); do
    cat_c+=("$(cold cat_shards)")
    curl_c+=("$(cold curl_download)")
    sendfile_c+=("$(cold curl_sendfile)")
  done
fi
stop_service
kill "$sendfile_pid"; wait "$sendfile_pid" 2>/dev/null || true; sendfile_pid=""
mib() { printf '%.0f' "$(echo "$bytes / 1048576 / $1" | bc -l)"; }
spread() { # spread SECONDS…: "median MiB/s (slowest-fastest)"
  local slow fast
  slow="$(printf '%s\n' "$@" | sort -g | tail -1)"; fast="$(printf '%s\n' "$@" | sort -g | head -1)"
  echo "$(mib "$(median "$@")") MiB/s ($(mib "$slow")-$(mib "$fast"))"
}
ratio() { printf '%.2f' "$(echo "$1 / $(median "${@:2}")" | bc -l)"; } # ratio CAT_MEDIAN CURL_SECONDS…
t_cat="$(median "${cat_w[@]}")"
ratio="$(ratio "$t_cat" "${curl_w[@]}")"
echo "one-file download of $((bytes / 1048576)) MiB, warm page cache, medians of $runs interleaved runs (slowest-fastest): service $(spread "${curl_w[@]}"), cat $(spread "${cat_w[@]}"), ratio $ratio (goal >= 0.8); a bare sendfile server $(spread "${sendfile_w[@]}"), ratio $(ratio "$t_cat" "${sendfile_w[@]}"); that server into a splicing client (loopback TCP with nothing else) $(spread "${splice_w[@]}"), ratio $(ratio "$t_cat" "${splice_w[@]}")" >&2
cold_json=""
if [ -n "$cold_measured" ]; then
  t_cat_cold="$(median "${cat_c[@]}")"
  cold_ratio="$(ratio "$t_cat_cold" "${curl_c[@]}")"
  sendfile_cold_ratio="$(ratio "$t_cat_cold" "${sendfile_c[@]}")"
  echo "one-file download of $((bytes / 1048576)) MiB, cold page cache, medians of $runs interleaved runs (slowest-fastest): service $(spread "${curl_c[@]}"), cat $(spread "${cat_c[@]}"), ratio $cold_ratio (goal >= 0.8); a bare sendfile server $(spread "${sendfile_c[@]}"), ratio $sendfile_cold_ratio" >&2
  cold_json=",\"cold_download_mib_per_s\":$(mib "$(median "${curl_c[@]}")"),\"cold_cat_mib_per_s\":$(mib "$t_cat_cold"),\"cold_sendfile_mib_per_s\":$(mib "$(median "${sendfile_c[@]}")"),\"cold_download_vs_cat\":$cold_ratio,\"cold_sendfile_vs_cat\":$sendfile_cold_ratio"
else
  echo "cold page cache: not measured (/proc/sys/vm/drop_caches is not writable)" >&2
fi
t_curl="$(median "${curl_w[@]}")"
t_sendfile="$(median "${sendfile_w[@]}")"
t_splice="$(median "${splice_w[@]}")"
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
echo "{\"download_mib_per_s\":$(mib "$t_curl"),\"cat_mib_per_s\":$(mib "$t_cat"),\"sendfile_mib_per_s\":$(mib "$t_sendfile"),\"splice_mib_per_s\":$(mib "$t_splice"),\"splice_vs_cat\":$(ratio "$t_cat" "$t_splice"),\"download_vs_cat\":$ratio,\"parquet_ttfb_ms\":$(ms "$ttfb_whole"),\"parquet_suffix_ttfb_ms\":$(ms "$ttfb_footer"),\"parquet_bytes\":$parquet_bytes,\"footer_bytes\":$footer_bytes$cold_json}"
