#!/usr/bin/env bash
# Runs one bench scenario against Estafeta and against Mosquitto on loopback, alternating A B A B over
# several rounds, and prints the median of each figure and the ratio Estafeta/Mosquitto.
#
#   bench/compare.sh [options] SCENARIO [bench options...]
#
#   -r, --rounds N       rounds of A B (default 3)
#   -m, --mode MODE      per-core: broker pinned to core 0, generator to core 1 (taskset);
#                        shared: no pinning, broker and generator share every core (default per-core)
#   --persistence        keep Estafeta's persistence on (default off: "persistence false")
#   --mosquitto-nagle    leave Mosquitto's default (Nagle on); by default both brokers run with
#                        TCP_NODELAY ("set_tcp_nodelay true" for Mosquitto; Estafeta always sets it)
#   --jfr FILE           record Estafeta with JFR (profile settings) into FILE
#   --out DIR            keep each run's JSON and the brokers' logs there (default: a temporary folder)
#
# Example: bench/compare.sh -r 3 fanin -P 10 -q 0 -d 10s
# The broker's PID is passed to 'conns' (memory per connection) automatically.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
rounds=3
mode=per-core
persistence=false
nodelay=true
jfr=
out=

usage() {
    sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit "${1:-2}"
}

while (($# > 0)); do
    case $1 in
        -r|--rounds) rounds=$2; shift 2 ;;
        -m|--mode) mode=$2; shift 2 ;;
        --persistence) persistence=true; shift ;;
        --mosquitto-nagle) nodelay=false; shift ;;
        --jfr) jfr=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        -h|--help) usage 0 ;;
        -*) echo "compare.sh: unknown option $1" >&2; usage ;;
        *) break ;;
    esac
done
(($# > 0)) || { echo "compare.sh: a scenario is required (fanin, fanout, pairs, latency, conns)" >&2; usage; }
scenario=$1
shift
case $mode in
    per-core) broker_cpu=(taskset -c 0); generator_cpu=(taskset -c 1) ;;
    shared) broker_cpu=(); generator_cpu=() ;;
    *) echo "compare.sh: --mode is per-core or shared" >&2; exit 2 ;;
esac
if [[ $mode == per-core ]] && (($(nproc) < 2)); then
    echo "compare.sh: per-core mode needs 2 cores; use --mode shared" >&2
    exit 2
fi

if [[ ! -x /usr/sbin/mosquitto ]]; then
    echo "compare.sh: installing Debian's mosquitto..." >&2
    apt-get install -y mosquitto >&2 || { apt-get update >&2 && apt-get install -y mosquitto >&2; }
fi
# bin/estafeta builds the project on first use: do it now, not inside the first measured run.
"$root/bin/estafeta" --version >/dev/null

out=${out:-$(mktemp -d /tmp/estafeta-compare.XXXXXX)}
mkdir -p "$out"

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

wait_listening() {
    local port=$1 pid=$2
    for _ in $(seq 1 300); do
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "compare.sh: the broker on port $port exited; its log is in $out" >&2
            exit 1
        fi
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            return 0
        fi
        sleep 0.1
    done
    echo "compare.sh: nothing listens on $port after 30 s" >&2
    exit 1
}

pids=()
cleanup() {
    # bin/estafeta broker ends the JVM with Runtime.halt from its shutdown hook, so JFR's dumponexit never
    # runs: dump the recording while the broker is still up.
    if [[ -n $jfr && -n ${estafeta_pid:-} ]]; then
        source "$root/bin/lib/find-java.sh"
        if estafeta_find_java; then
            "$ESTAFETA_JAVA_HOME/bin/jcmd" "$estafeta_pid" JFR.dump filename="$jfr" >&2 || true
        fi
    fi
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
}
trap cleanup EXIT

estafeta_port=$(free_port)
cat >"$out/estafeta.conf" <<CONF
listener $estafeta_port 127.0.0.1
allow_anonymous true
persistence $persistence
data_directory $out/estafeta-data
CONF
java_opts=${JAVA_OPTS:-}
if [[ -n $jfr ]]; then
    java_opts="$java_opts -XX:StartFlightRecording=filename=$jfr,settings=profile,dumponexit=true"
fi
JAVA_OPTS=$java_opts "${broker_cpu[@]}" "$root/bin/estafeta" broker -c "$out/estafeta.conf" >"$out/estafeta.log" 2>&1 &
estafeta_pid=$!
pids+=("$estafeta_pid")

mosquitto_port=$(free_port)
{
    echo "listener $mosquitto_port 127.0.0.1"
    echo "allow_anonymous true"
    [[ $nodelay == true ]] && echo "set_tcp_nodelay true"
} >"$out/mosquitto.conf"
"${broker_cpu[@]}" /usr/sbin/mosquitto -c "$out/mosquitto.conf" >"$out/mosquitto.log" 2>&1 &
mosquitto_pid=$!
pids+=("$mosquitto_pid")

wait_listening "$estafeta_port" "$estafeta_pid"
wait_listening "$mosquitto_port" "$mosquitto_pid"

echo "compare.sh: $scenario $* | mode $mode | $rounds rounds | Estafeta :$estafeta_port (pid $estafeta_pid)," \
    "Mosquitto $(/usr/sbin/mosquitto -h 2>/dev/null | head -1 | awk '{print $3}') :$mosquitto_port (pid $mosquitto_pid) | results in $out" >&2

run_one() {
    local name=$1 port=$2 pid=$3 round=$4
    shift 4
    local -a extra=()
    [[ $scenario == conns ]] && extra=(--broker-pid "$pid")
    echo "compare.sh: round $round, $name" >&2
    if ! "${generator_cpu[@]}" "$root/bin/estafeta" bench "$scenario" --port "$port" --json --quiet "${extra[@]}" "$@" \
        >"$out/$name-$round.json" 2>"$out/$name-$round.err"; then
        echo "compare.sh: the run against $name failed:" >&2
        cat "$out/$name-$round.err" >&2
        rm -f "$out/$name-$round.json"
    fi
}

for round in $(seq 1 "$rounds"); do
    run_one estafeta "$estafeta_port" "$estafeta_pid" "$round" "$@"
    run_one mosquitto "$mosquitto_port" "$mosquitto_pid" "$round" "$@"
done

python3 - "$out" <<'PY'
import glob, json, os, statistics, sys
out = sys.argv[1]
def load(name):
    runs = []
    for path in sorted(glob.glob(os.path.join(out, name + "-*.json"))):
        with open(path) as f:
            text = f.read().strip()
        if text:
            runs.append(json.loads(text))
    return runs
a, b = load("estafeta"), load("mosquitto")
if not a or not b:
    sys.exit("compare.sh: no successful runs to compare")
figures = [
    ("throughput", "received_per_s"), ("throughput", "published_per_s"), ("throughput", "acknowledged_per_s"),
    ("latency_us", "p50"), ("latency_us", "p99"), ("latency_us", "p99_9"),
    ("totals", "missing"), ("generator", "cpu_percent_of_cores"), ("generator", "publishers_held_back_percent"),
    ("connect", "connections_per_s"), ("broker_memory", "bytes_per_connection"),
]
print(f"{len(a)} runs against Estafeta, {len(b)} against Mosquitto; medians:")
print(f"{'figure':<44} {'Estafeta':>14} {'Mosquitto':>14} {'E/M':>8}")
for section, name in figures:
    xs = [r[section][name] for r in a if section in r and r[section].get(name) is not None]
    ys = [r[section][name] for r in b if section in r and r[section].get(name) is not None]
    if not xs or not ys:
        continue
    mx, my = statistics.median(xs), statistics.median(ys)
    ratio = f"{mx / my:8.2f}" if my else "       -"
    print(f"{section + '.' + name:<44} {mx:>14,.1f} {my:>14,.1f} {ratio}")
for label, runs in (("Estafeta", a), ("Mosquitto", b)):
    verdicts = sorted({r["generator"]["bottleneck"] for r in runs if "bottleneck" in r.get("generator", {})})
    for verdict in verdicts:
        print(f"pace set by ({label} runs): {verdict}")
PY
