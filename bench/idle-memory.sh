#!/usr/bin/env bash
# Memory per idle connection, Estafeta and Mosquitto side by side: starts each broker on a free loopback
# port, opens connections in steps (one `estafeta bench conns` process per step, each holding its
# connections open, so that no process needs more open files than `ulimit -n` allows), and after each step
# reads the broker's VmRSS and, for Estafeta, its live heap (`jcmd PID GC.class_histogram`, which runs a
# full GC first). Brokers alternate over the rounds. The kernel's memory per socket is not in VmRSS (see
# docs/PERFORMANCE.md).
#
#   bench/idle-memory.sh [options] [-- bench conns options...]
#
#   -c, --connections N    connections per step (default 9500)
#   -s, --steps N          steps, i.e. generator processes (default 2)
#   -r, --rounds N         rounds; each round measures every broker once (default 1)
#   -b, --brokers LIST     which brokers, in order, e.g. "estafeta mosquitto" (default), or "estafeta"
#   --estafeta-build DIR   a build with classes/ and lib/ (default estafeta-cli/target of this checkout);
#                          may be given twice with --label to compare two builds
#   --label NAME           name for the build given just before (default estafeta)
#   --no-heap              skip the heap histograms (each forces a full GC in the broker)
#   --warm-up              open and close all the connections once before measuring: what stays is then
#                          memory per connection, not the first connections' one-off costs (code compiled,
#                          classes loaded, buffer pools); meant for a broker whose heap is pre-touched
#                          (Mosquitto, and a JVM's default heap, reuse what the warm-up freed)
#   --out DIR              keep logs, histograms and the results there (default: a temporary folder)
#
# The broker JVM gets ESTAFETA_JAVA_OPTS (e.g. "-Xms128m -Xmx128m -XX:+AlwaysPreTouch").
# Example: bench/idle-memory.sh -r 3 -- --subscribe --keep-alive 60
# Prints one line per broker, round and step: connections, VmRSS, RSS growth per connection in that step,
# live heap per connection (Estafeta); then the same from no connections to all of them. The generator is
# the first build's.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
per_step=9500
steps=2
rounds=1
brokers="estafeta mosquitto"
builds=()
labels=()
heap=true
warm_up=false
out=

usage() {
    sed -n '2,29p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit "${1:-2}"
}

while (($# > 0)); do
    case $1 in
        -c|--connections) per_step=$2; shift 2 ;;
        -s|--steps) steps=$2; shift 2 ;;
        -r|--rounds) rounds=$2; shift 2 ;;
        -b|--brokers) brokers=$2; shift 2 ;;
        --estafeta-build) builds+=("$2"); labels+=("estafeta${#builds[@]}"); shift 2 ;;
        --label) ((${#labels[@]} > 0)) || { echo "idle-memory.sh: --label follows --estafeta-build" >&2; exit 2; }
                 labels[-1]=$2; shift 2 ;;
        --no-heap) heap=false; shift ;;
        --warm-up) warm_up=true; shift ;;
        --out) out=$2; shift 2 ;;
        -h|--help) usage 0 ;;
        --) shift; break ;;
        *) echo "idle-memory.sh: unknown option $1" >&2; usage ;;
    esac
done
bench_options=("$@")

# shellcheck source=../bin/lib/find-java.sh
source "$root/bin/lib/find-java.sh"
estafeta_find_java || exit 1
if ((${#builds[@]} == 0)); then
    "$root/bin/estafeta" --version >/dev/null   # builds on first use
    builds=("$root/estafeta-cli/target")
    labels=(estafeta)
fi
generator=${builds[0]}
files=$(ulimit -n)
# A JVM keeps about a hundred files open besides its sockets.
if ((per_step + 200 > files || per_step * steps + 200 > files)); then
    echo "idle-memory.sh: ulimit -n is $files: at most $((files - 200)) connections per process" >&2
    exit 2
fi
if [[ $brokers == *mosquitto* && ! -x /usr/sbin/mosquitto ]]; then
    echo "idle-memory.sh: /usr/sbin/mosquitto is missing (apt-get install mosquitto)" >&2
    exit 2
fi
out=${out:-$(mktemp -d /tmp/estafeta-idle-memory.XXXXXX)}
mkdir -p "$out"

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

rss() {
    awk '/^VmRSS/ { print $2 * 1024 }' "/proc/$1/status"
}

live_heap() {
    "$ESTAFETA_JAVA_HOME/bin/jcmd" "$1" GC.class_histogram >"$2"
    awk '/^Total/ { print $3 }' "$2"
}

pids=()
stop_all() {
    local started
    for started in "${pids[@]}"; do
        kill "$started" 2>/dev/null || true
    done
    for started in "${pids[@]}"; do
        wait "$started" 2>/dev/null || true
    done
    pids=()
    generators=()
}
trap stop_all EXIT

wait_listening() {
    local port=$1 pid=$2
    for _ in $(seq 1 300); do
        kill -0 "$pid" 2>/dev/null || { echo "idle-memory.sh: the broker exited; see $out" >&2; exit 1; }
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            return 0
        fi
        sleep 0.1
    done
    echo "idle-memory.sh: nothing listens on $port after 30 s" >&2
    exit 1
}

# open_step FILE_PREFIX PORT: one generator process holding --connections connections, once all are up
generators=()
open_step() {
    local prefix=$1 port=$2 expected
    expected=$(python3 -c "print(f'{$per_step:,}')")
    "$ESTAFETA_JAVA" -cp "$generator/classes:$generator/lib/*" io.estafeta.cli.Main bench conns \
        --port "$port" --connections "$per_step" --hold 1h --json "${bench_options[@]}" \
        >"$prefix.json" 2>"$prefix.err" &
    local generator_pid=$!
    pids+=("$generator_pid")
    generators+=("$generator_pid")
    until grep -q "connected $expected of" "$prefix.err" 2>/dev/null; do
        kill -0 "$generator_pid" 2>/dev/null || {
            echo "idle-memory.sh: the generator failed:" >&2
            cat "$prefix.err" >&2
            exit 1
        }
        sleep 0.5
    done
}

open_steps() {
    for step in $(seq 1 "$steps"); do
        open_step "$1-$step" "$2"
    done
}

stop_generators() {
    local generator_pid
    for generator_pid in "${generators[@]}"; do
        kill "$generator_pid" 2>/dev/null || true
        wait "$generator_pid" 2>/dev/null || true
    done
    generators=()
}

# measure NAME BUILD ROUND: one broker, all steps; appends result lines to $out/results.txt
measure() {
    local name=$1 build=$2 round=$3
    local dir=$out/$name-$round port pid
    mkdir -p "$dir"
    port=$(free_port)
    if [[ $name == mosquitto ]]; then
        printf 'listener %s 127.0.0.1\nallow_anonymous true\nset_tcp_nodelay true\n' "$port" >"$dir/broker.conf"
        /usr/sbin/mosquitto -c "$dir/broker.conf" >"$dir/broker.log" 2>&1 &
    else
        printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\n' "$port" >"$dir/broker.conf"
        local -a opts
        read -r -a opts <<<"${ESTAFETA_JAVA_OPTS:-}"
        "$ESTAFETA_JAVA" "${opts[@]}" --enable-native-access=ALL-UNNAMED -cp "$build/classes:$build/lib/*" \
            io.estafeta.cli.Main broker -c "$dir/broker.conf" >"$dir/broker.log" 2>&1 &
    fi
    pid=$!
    pids+=("$pid")
    wait_listening "$port" "$pid"
    sleep 5   # start-up threads and JIT settle
    if [[ $warm_up == true ]]; then
        open_steps "$dir/warm-up" "$port"
        stop_generators
        sleep 5   # the broker handles the closes
    fi
    local heap_before=0 heap_now rss_before rss_now
    if [[ $name != mosquitto && $heap == true ]]; then
        heap_before=$(live_heap "$pid" "$dir/histogram-0.txt")
        sleep 2
    fi
    rss_before=$(rss "$pid")
    local rss_start=$rss_before heap_start=$heap_before
    for step in $(seq 1 "$steps"); do
        open_step "$dir/generator-$step" "$port"
        sleep 8   # the broker's last CONNACKs, and its allocation after them, settle
        rss_now=$(rss "$pid")
        heap_now=
        if [[ $name != mosquitto && $heap == true ]]; then
            heap_now=$(live_heap "$pid" "$dir/histogram-$step.txt")
        fi
        python3 - "$name" "$round" "$step" "$((step * per_step))" "$per_step" "$rss_before" "$rss_now" \
            "$heap_before" "${heap_now:-}" <<'PY' | tee -a "$out/results.txt"
import sys
name, rnd, step, total, per, rss0, rss1, h0, h1 = sys.argv[1:]
per = int(per)
line = (f"{name:<12} round {rnd} step {step}: {int(total):>6,} connections, VmRSS {int(rss1) / 2**20:7.1f} MiB, "
        f"RSS growth {(int(rss1) - int(rss0)) / per:7,.0f} B/connection")
if h1:
    line += f", live heap {(int(h1) - int(h0)) / per:6,.0f} B/connection"
print(line)
PY
        rss_before=$rss_now
        [[ -n $heap_now ]] && heap_before=$heap_now
    done
    grep -h '^VmRSS\|^RssAnon\|^RssFile\|^Threads' "/proc/$pid/status" >"$dir/status.txt"
    python3 - "$name" "$round" "$((steps * per_step))" "$rss_start" "$rss_now" \
        "$heap_start" "${heap_now:-}" <<'PY' | tee -a "$out/results.txt"
import sys
name, rnd, total, rss0, rss1, h0, h1 = sys.argv[1:]
total = int(total)
line = (f"{name:<12} round {rnd} all:    {total:>6,} connections, VmRSS {int(rss0) / 2**20:.1f} -> "
        f"{int(rss1) / 2**20:.1f} MiB, RSS growth {(int(rss1) - int(rss0)) / total:7,.0f} B/connection")
if h1:
    line += f", live heap {(int(h1) - int(h0)) / total:6,.0f} B/connection"
print(line)
PY
    stop_all
}

echo "idle-memory.sh: $steps x $per_step connections$([[ $warm_up == true ]] && echo ", after a warm-up")," \
    "bench options: ${bench_options[*]:-(none)}," \
    "ESTAFETA_JAVA_OPTS: ${ESTAFETA_JAVA_OPTS:-(none)}; results in $out" >&2
for round in $(seq 1 "$rounds"); do
    for broker in $brokers; do
        if [[ $broker == mosquitto ]]; then
            measure mosquitto "" "$round"
        else
            for i in "${!builds[@]}"; do
                measure "${labels[$i]}" "${builds[$i]}" "$round"
            done
        fi
    done
done
