#!/usr/bin/env bash
# Builds what is missing and starts the whole suite on this machine without Docker:
# one embedded PostgreSQL, the four model services and the gateway. Ctrl-C stops everything.
# Started in the background (./run-local.sh &), it does not get Ctrl-C. Stop it with
# kill -TERM <pid of run-local.sh>, which stops every process it started.
# Once the suite is up, the script checks every 2 seconds that each process is still running.
# When one exits (a crash, kill -9, out of memory), it prints which one, its exit status and the
# end of its log file, stops the others and exits with status 1.
#
# Options:
#   --rebuild       rebuild the jars even if they are up to date
#   --timeout SEC   how long to wait for every readiness probe (default 600)
#   --split         run the detox service as a prefill instance (on DETOX_PORT, behind the gateway)
#                   and a second instance as its decode instance (on DETOX_DECODE_PORT, default 8085);
#                   see docs/splitwise.md
# Environment:
#   GATEWAY_PORT, DETECTION_PORT, DETOX_PORT, VISION_PORT, OCR_PORT   (8080, 8081..8084)
#   SUITE_POSTGRES_PORT    port of the embedded PostgreSQL (default 54329)
#   SUITE_DATA_DIR         PostgreSQL data and job artifacts (default ./data)
#   SUITE_JAVA_OPTS        extra JVM options for every application (default -Xmx2g)
#   SPRING_DATASOURCE_URL  use this PostgreSQL instead of the embedded one
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)

REBUILD=false
SPLIT=false
TIMEOUT_SECONDS=600
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rebuild) REBUILD=true; shift ;;
    --timeout) TIMEOUT_SECONDS="$2"; shift 2 ;;
    --split) SPLIT=true; shift ;;
    -h|--help) sed -n '2,21p' "$0" | sed -E 's/^# ?//'; exit 0 ;;
    *) echo "Unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done

SERVICES=(detection-service detox-service vision-service ocr-service gateway-service)
declare -A PORTS=(
  [detection-service]=${DETECTION_PORT:-8081}
  [detox-service]=${DETOX_PORT:-8082}
  [vision-service]=${VISION_PORT:-8083}
  [ocr-service]=${OCR_PORT:-8084}
  [gateway-service]=${GATEWAY_PORT:-8080}
)
POSTGRES_PORT=${SUITE_POSTGRES_PORT:-54329}
DATA_DIR=${SUITE_DATA_DIR:-$ROOT/data}
JAVA_OPTS=${SUITE_JAVA_OPTS:--Xmx2g}
# Idle OpenMP workers of PyTorch otherwise spin and starve the other services.
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}
LOG_DIR=$ROOT/logs
mkdir -p "$LOG_DIR" "$DATA_DIR"

if ! command -v java >/dev/null; then
  echo "java not found: install JDK 17 or newer" >&2
  exit 1
fi
JAVA_MAJOR=$(java -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ {print $2}')
if (( ${JAVA_MAJOR%%.*} < 17 )); then
  echo "Java $JAVA_MAJOR found, but the suite needs Java 17 or newer" >&2
  exit 1
fi

jar_of() {
  ls "$ROOT/$1"/target/"$1"-*.jar 2>/dev/null | grep -v -e '-plain' -e '-sources' | head -n 1 || true
}

# Rebuild when a jar is missing or any source, resource, model or POM is newer than it.
stale=false
for service in "${SERVICES[@]}"; do
  jar=$(jar_of "$service")
  if [[ -z "$jar" ]] || [[ -n "$(find pom.xml */pom.xml */src models -newer "$jar" -type f -print -quit 2>/dev/null)" ]]; then
    stale=true
  fi
done
if $REBUILD || $stale; then
  echo "Building the applications (./mvnw package -DskipTests)..."
  ./mvnw -B -q package -DskipTests
fi

PIDS=()
stop_all() {
  trap - INT TERM EXIT
  echo
  echo "Stopping the suite..."
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  echo "Stopped."
}
# A signal ends the script through the EXIT trap, so that no loop goes on after stop_all.
trap 'exit 130' INT
trap 'exit 143' TERM
trap stop_all EXIT

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

for service in "${SERVICES[@]}"; do
  if port_in_use "${PORTS[$service]}"; then
    echo "Port ${PORTS[$service]} for $service is already in use; stop what uses it or set its *_PORT variable" >&2
    exit 1
  fi
done

if [[ -z "${SPRING_DATASOURCE_URL:-}" ]]; then
  if port_in_use "$POSTGRES_PORT"; then
    echo "Port $POSTGRES_PORT for the embedded PostgreSQL is in use; set SUITE_POSTGRES_PORT" >&2
    exit 1
  fi
  echo "Starting the embedded PostgreSQL on port $POSTGRES_PORT (log: logs/postgres.log)..."
  java -cp "$(jar_of detection-service)" -Dloader.main=dev.mlsuite.platform.database.EmbeddedPostgresServer \
    org.springframework.boot.loader.launch.PropertiesLauncher "$POSTGRES_PORT" "$DATA_DIR/postgres" \
    >"$LOG_DIR/postgres.log" 2>&1 &
  PIDS+=($!)
  POSTGRES_PID=$!
  for _ in $(seq 1 120); do
    port_in_use "$POSTGRES_PORT" && break
    if ! kill -0 "${PIDS[-1]}" 2>/dev/null; then
      echo "The embedded PostgreSQL failed to start; see logs/postgres.log:" >&2
      tail -n 20 "$LOG_DIR/postgres.log" >&2
      exit 1
    fi
    sleep 1
  done
  export SPRING_DATASOURCE_URL="jdbc:postgresql://127.0.0.1:$POSTGRES_PORT/postgres"
  export SPRING_DATASOURCE_USERNAME=postgres
  export SPRING_DATASOURCE_PASSWORD=
fi

DECODE_PORT=${DETOX_DECODE_PORT:-8085}
if $SPLIT && port_in_use "$DECODE_PORT"; then
  echo "Port $DECODE_PORT for the detox decode instance is in use; set DETOX_DECODE_PORT" >&2
  exit 1
fi

declare -A SERVICE_PIDS
for service in "${SERVICES[@]}"; do
  name=${service%-service}
  SPLIT_ENV=()
  if $SPLIT && [[ $service == detox-service ]]; then
    SPLIT_ENV=(DETOX_SPLIT_ENABLED=true DETOX_SPLIT_ROLE=PREFILL
      DETOX_SPLIT_DECODE_INSTANCES="http://127.0.0.1:$DECODE_PORT")
  fi
  echo "Starting $service on port ${PORTS[$service]} (log: logs/$service.log)..."
  # shellcheck disable=SC2086
  SERVER_PORT=${PORTS[$service]} \
  SUITE_JOBS_ARTIFACT_DIRECTORY="$DATA_DIR/jobs/$name" \
  DETECTION_URL="http://127.0.0.1:${PORTS[detection-service]}" \
  DETOX_URL="http://127.0.0.1:${PORTS[detox-service]}" \
  VISION_URL="http://127.0.0.1:${PORTS[vision-service]}" \
  OCR_URL="http://127.0.0.1:${PORTS[ocr-service]}" \
    env "${SPLIT_ENV[@]+"${SPLIT_ENV[@]}"}" \
    java $JAVA_OPTS -jar "$(jar_of "$service")" >"$LOG_DIR/$service.log" 2>&1 &
  PIDS+=($!)
  SERVICE_PIDS[$service]=$!
done

if $SPLIT; then
  echo "Starting the detox decode instance on port $DECODE_PORT (log: logs/detox-decode.log)..."
  # shellcheck disable=SC2086
  SERVER_PORT=$DECODE_PORT SUITE_JOBS_ARTIFACT_DIRECTORY="$DATA_DIR/jobs/detox-decode" \
  DETOX_SPLIT_ENABLED=true DETOX_SPLIT_ROLE=DECODE \
    java $JAVA_OPTS -jar "$(jar_of detox-service)" >"$LOG_DIR/detox-decode.log" 2>&1 &
  PIDS+=($!)
  SERVICE_PIDS[detox-decode]=$!
  PORTS[detox-decode]=$DECODE_PORT
fi

echo "Waiting up to ${TIMEOUT_SECONDS}s for every readiness probe..."
deadline=$((SECONDS + TIMEOUT_SECONDS))
pending=("${!SERVICE_PIDS[@]}")
while ((${#pending[@]} > 0)); do
  still=()
  for service in "${pending[@]}"; do
    if ! kill -0 "${SERVICE_PIDS[$service]}" 2>/dev/null; then
      echo "$service exited during start-up; see logs/$service.log:" >&2
      tail -n 30 "$LOG_DIR/$service.log" >&2
      exit 1
    fi
    if curl -fsS "http://127.0.0.1:${PORTS[$service]}/actuator/health/readiness" >/dev/null 2>&1; then
      echo "  $service is UP"
    else
      still+=("$service")
    fi
  done
  pending=("${still[@]+"${still[@]}"}")
  if ((${#pending[@]} > 0)); then
    if ((SECONDS >= deadline)); then
      for service in "${pending[@]}"; do
        echo "$service did not become ready within ${TIMEOUT_SECONDS}s; see logs/$service.log" >&2
      done
      exit 1
    fi
    sleep 2
  fi
done

GATEWAY="http://localhost:${PORTS[gateway-service]}"
echo
echo "The suite is running."
echo "  Gateway:    $GATEWAY"
echo "  Swagger UI: $GATEWAY/swagger-ui.html"
echo "  Logs:       $LOG_DIR"
if $SPLIT; then
  echo "  Split detox: prefill on port ${PORTS[detox-service]}, decode on port $DECODE_PORT;"
  echo "               POST $GATEWAY/api/detox/v1/generations runs through both (see docs/splitwise.md)"
fi
echo "Press Ctrl-C to stop."

# Reports the first process that exits after start-up; the EXIT trap then stops the others.
declare -A LOG_FILES
for service in "${!SERVICE_PIDS[@]}"; do
  LOG_FILES[$service]="logs/$service.log"
done
if [[ -n "${POSTGRES_PID:-}" ]]; then
  SERVICE_PIDS[embedded-postgresql]=$POSTGRES_PID
  LOG_FILES[embedded-postgresql]="logs/postgres.log"
fi
while true; do
  for service in "${!SERVICE_PIDS[@]}"; do
    if ! kill -0 "${SERVICE_PIDS[$service]}" 2>/dev/null; then
      status=0
      wait "${SERVICE_PIDS[$service]}" 2>/dev/null || status=$?
      echo >&2
      echo "$service (pid ${SERVICE_PIDS[$service]}) exited with status $status; see ${LOG_FILES[$service]}:" >&2
      tail -n 20 "$ROOT/${LOG_FILES[$service]}" >&2 || true
      echo "Stopping the other processes, because the suite cannot serve requests without $service." >&2
      exit 1
    fi
  done
  sleep 2
done
