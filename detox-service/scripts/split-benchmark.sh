#!/usr/bin/env bash
# Mixed-load benchmark of the detox split roles: monolithic, in-process split and two-process split
# (prefill and decode instance each pinned to its own core with taskset). Prints Markdown rows and
# the KV transfer cost per hand-over. The instances run the split endpoints on models/stories260K, as
# in the recorded results. Results: docs/benchmarks.md.
#
# Usage, from the repository root, after building (see docs/benchmarks.md):
#   detox-service/scripts/split-benchmark.sh [SECONDS] [STREAMS] [STREAM_TOKENS] [INTERVAL_MS] [PROMPT_CHARS]
# Environment: SPLIT_BENCH_DATABASE_URL (default jdbc:postgresql://127.0.0.1:5432/splitbench, created
# with psql when missing), SPLIT_BENCH_PORT (first of two ports, default 18090).
set -euo pipefail
cd "$(dirname "$0")/../.."

SECONDS_MEASURED=${1:-40}
STREAMS=${2:-8}
STREAM_TOKENS=${3:-200}
INTERVAL_MS=${4:-1000}
PROMPT_CHARS=${5:-900}
PORT=${SPLIT_BENCH_PORT:-18090}
DECODE_PORT=$((PORT + 1))
DATABASE_URL=${SPLIT_BENCH_DATABASE_URL:-jdbc:postgresql://127.0.0.1:5432/splitbench}
if [[ -z "${SPLIT_BENCH_DATABASE_URL:-}" ]]; then
  psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'splitbench'" | grep -q 1 \
    || psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE splitbench"
fi

JAR=$(ls detox-service/target/detox-service-*.jar | grep -v -e '-plain' -e '-sources' | head -n 1)
# The load generator needs only the JDK.
CLASSPATH=detox-service/target/test-classes
export OMP_WAIT_POLICY=PASSIVE
mkdir -p logs
PIDS=()
stop_instances() {
  for pid in "${PIDS[@]+"${PIDS[@]}"}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  PIDS=()
}
trap stop_instances EXIT

# start_instance CPUS PORT ROLE [DECODE_URL]
start_instance() {
  SERVER_PORT=$2 SPRING_DATASOURCE_URL=$DATABASE_URL SPRING_DATASOURCE_USERNAME=postgres \
  SPRING_DATASOURCE_PASSWORD= INFERENCE_INTRA_OP_THREADS=1 DETOX_SPLIT_ENABLED=true DETOX_SPLIT_ROLE=$3 \
  DETOX_SPLIT_DECODE_INSTANCES=${4:-} DETOX_SPLIT_MAX_ACTIVE_SEQUENCES=64 DETOX_SPLIT_MODEL_FOLDER=models/stories260K \
    taskset -c "$1" java -Xmx1g -jar "$JAR" >"logs/split-bench-$3-$2.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 180); do
    curl -fsS "http://127.0.0.1:$2/actuator/health/readiness" >/dev/null 2>&1 && return 0
    sleep 1
  done
  echo "Instance $3 on port $2 did not become ready; see logs/split-bench-$3-$2.log" >&2
  exit 1
}

run_load() {
  java -cp "$CLASSPATH" dev.mlsuite.detox.split.SplitLoadBenchmark "http://127.0.0.1:$PORT" "$STREAMS" \
    "$STREAM_TOKENS" "$INTERVAL_MS" "$PROMPT_CHARS" "$SECONDS_MEASURED" "$1"
}

echo "| layout | long prompts | TTFT p50, ms | TTFT p99, ms | TBT p50, ms | TBT p99, ms | tokens/s |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"

start_instance 0,1 "$PORT" MONOLITHIC
run_load "monolithic, cores 0-1"
stop_instances

start_instance 0,1 "$PORT" IN_PROCESS_SPLIT
run_load "in-process split, cores 0-1"
stop_instances

start_instance 1 "$DECODE_PORT" DECODE
start_instance 0 "$PORT" PREFILL "http://127.0.0.1:$DECODE_PORT"
run_load "two processes: prefill core 0, decode core 1"
metrics=$(curl -fsS "http://127.0.0.1:$PORT/actuator/prometheus")
stop_instances

echo
echo "KV transfer per hand-over (two processes):"
echo "$metrics" | grep -E '^detox_split_transfer_(bytes|time_seconds)_(sum|count)|^detox_split_handover' || true
