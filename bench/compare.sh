#!/usr/bin/env bash
# Runs one bench scenario against two brokers on loopback, alternating A B A B over several rounds, and
# prints every run (with the load average when it started and how busy the whole machine was during it:
# the brokers, the generator and anything else) and the median of each figure with the ratio A/B.
#
#   bench/compare.sh [options] SCENARIO [bench options...]
#
#   -r, --rounds N       rounds of A B (default 3)
#   -m, --mode MODE      per-core: A = Estafeta, B = Mosquitto, each pinned to core 0, the generator to
#                        core 1 (taskset; the default)
#                        shared: A = Estafeta, B = Mosquitto, nothing pinned
#                        scaling: A = Estafeta on cores 0 and 1, B = Estafeta on core 0 alone; the
#                        generator on core 1 in both (so it shares that core with A): A/B is the speed-up
#   --persistence        keep Estafeta's persistence on (default off: "persistence false")
#   --mosquitto-nagle    leave Mosquitto's default (Nagle on); by default both brokers run with
#                        TCP_NODELAY ("set_tcp_nodelay true" for Mosquitto; Estafeta always sets it)
#   --broker-java-opts OPTS     Estafeta's JVM options (default: $JAVA_OPTS), e.g. '-XX:+UseZGC -Xmx1g'
#   --generator-java-opts OPTS  the generator's JVM options (default: none)
#   --wait-idle PCT      before each run, wait (up to 10 min) until the machine's cores were PCT% idle over
#                        3 s: on a machine shared with other work, runs then start in its quiet moments
#   --jfr FILE           record Estafeta (A) with JFR (profile settings: GC, safepoints, samples) into FILE
#   --out DIR            keep each run's JSON and the brokers' logs there (default: a temporary folder)
#
# Example: bench/compare.sh -r 3 fanin -P 10 -q 0 -d 10s
# The broker's PID is passed to the generator (--broker-pid): its CPU use, and its memory for 'conns'.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
rounds=3
mode=per-core
persistence=false
nodelay=true
broker_java_opts=${JAVA_OPTS:-}
generator_java_opts=
wait_idle=0
jfr=
out=

usage() {
    sed -n '2,25p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit "${1:-2}"
}

while (($# > 0)); do
    case $1 in
        -r|--rounds) rounds=$2; shift 2 ;;
        -m|--mode) mode=$2; shift 2 ;;
        --persistence) persistence=true; shift ;;
        --mosquitto-nagle) nodelay=false; shift ;;
        --broker-java-opts) broker_java_opts=$2; shift 2 ;;
        --generator-java-opts) generator_java_opts=$2; shift 2 ;;
        --wait-idle) wait_idle=$2; shift 2 ;;
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
# Each contestant: a name, how its CPUs are pinned, and which broker it is.
case $mode in
    per-core)
        names=(estafeta mosquitto); kinds=(estafeta mosquitto)
        cpus=("0" "0"); generator_cpu=(taskset -c 1) ;;
    shared)
        names=(estafeta mosquitto); kinds=(estafeta mosquitto)
        cpus=("" ""); generator_cpu=() ;;
    scaling)
        names=(estafeta-2-cores estafeta-1-core); kinds=(estafeta estafeta)
        cpus=("0,1" "0"); generator_cpu=(taskset -c 1) ;;
    *) echo "compare.sh: --mode is per-core, shared or scaling" >&2; exit 2 ;;
esac
if [[ $mode != shared ]] && (($(nproc) < 2)); then
    echo "compare.sh: $mode mode needs 2 cores; use --mode shared" >&2
    exit 2
fi

if [[ ${kinds[1]} == mosquitto && ! -x /usr/sbin/mosquitto ]]; then
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
jfr_pid=
cleanup() {
    # bin/estafeta broker ends the JVM with Runtime.halt from its shutdown hook, so JFR's dumponexit never
    # runs: dump the recording while the broker is still up.
    if [[ -n $jfr && -n $jfr_pid ]]; then
        source "$root/bin/lib/find-java.sh"
        if estafeta_find_java; then
            "$ESTAFETA_JAVA_HOME/bin/jcmd" "$jfr_pid" JFR.dump filename="$jfr" >&2 || true
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

# Starts contestant $1 (its index); sets ports[$1] and broker_pids[$1].
ports=()
broker_pids=()
start_contestant() {
    local i=$1 name=${names[$1]} port
    local -a pin=()
    [[ -n ${cpus[$i]} ]] && pin=(taskset -c "${cpus[$i]}")
    port=$(free_port)
    if [[ ${kinds[$i]} == estafeta ]]; then
        cat >"$out/$name.conf" <<CONF
listener $port 127.0.0.1
allow_anonymous true
persistence $persistence
data_directory $out/$name-data
CONF
        local java_opts=$broker_java_opts
        if [[ -n $jfr && $i == 0 ]]; then
            java_opts="$java_opts -XX:StartFlightRecording=filename=$jfr,settings=profile"
        fi
        JAVA_OPTS=$java_opts "${pin[@]}" "$root/bin/estafeta" broker -c "$out/$name.conf" >"$out/$name.log" 2>&1 &
        if [[ -n $jfr && $i == 0 ]]; then
            jfr_pid=$!
        fi
    else
        {
            echo "listener $port 127.0.0.1"
            echo "allow_anonymous true"
            [[ $nodelay == true ]] && echo "set_tcp_nodelay true"
        } >"$out/$name.conf"
        "${pin[@]}" /usr/sbin/mosquitto -c "$out/$name.conf" >"$out/$name.log" 2>&1 &
    fi
    ports[i]=$port
    broker_pids[i]=$!
    pids+=("$!")
}

start_contestant 0
start_contestant 1
wait_listening "${ports[0]}" "${broker_pids[0]}"
wait_listening "${ports[1]}" "${broker_pids[1]}"

echo "compare.sh: $scenario $* | mode $mode | $rounds rounds | A ${names[0]} :${ports[0]} (pid ${broker_pids[0]}," \
    "cpus ${cpus[0]:-any}), B ${names[1]} :${ports[1]} (pid ${broker_pids[1]}, cpus ${cpus[1]:-any})" \
    "| generator cpus ${generator_cpu[*]:-any} | results in $out" >&2

# Busy and total jiffies of all cores so far (the first line of /proc/stat: user nice system idle iowait ...).
cpu_jiffies() {
    local _cpu user nice system idle iowait irq softirq steal _rest
    read -r _cpu user nice system idle iowait irq softirq steal _rest </proc/stat
    echo "$((user + nice + system + irq + softirq + steal)) $((user + nice + system + idle + iowait + irq + softirq + steal))"
}

# Percent of the machine's CPU time that was busy over $1 seconds.
busy_percent_over() {
    local busy0 total0 busy1 total1
    read -r busy0 total0 < <(cpu_jiffies)
    sleep "$1"
    read -r busy1 total1 < <(cpu_jiffies)
    echo $((100 * (busy1 - busy0) / (total1 - total0 > 0 ? total1 - total0 : 1)))
}

wait_until_idle() {
    ((wait_idle > 0)) || return 0
    local busy deadline=$((SECONDS + 600))
    while ((SECONDS < deadline)); do
        busy=$(busy_percent_over 3)
        ((100 - busy >= wait_idle)) && return 0
        echo "compare.sh: machine ${busy}% busy, waiting for ${wait_idle}% idle" >&2
        sleep 10
    done
    echo "compare.sh: the machine did not become ${wait_idle}% idle within 10 min; running anyway" >&2
}

run_one() {
    local i=$1 round=$2
    shift 2
    local name=${names[$i]} load started busy0 total0 busy1 total1
    wait_until_idle
    read -r load _ </proc/loadavg
    started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
    read -r busy0 total0 < <(cpu_jiffies)
    echo "compare.sh: round $round, $name (load average $load)" >&2
    if ! JAVA_OPTS=$generator_java_opts "${generator_cpu[@]}" "$root/bin/estafeta" bench "$scenario" \
        --port "${ports[$i]}" --json --quiet --broker-pid "${broker_pids[$i]}" "$@" \
        >"$out/$name-$round.json" 2>"$out/$name-$round.err"; then
        echo "compare.sh: the run against $name failed:" >&2
        cat "$out/$name-$round.err" >&2
        rm -f "$out/$name-$round.json"
    fi
    read -r busy1 total1 < <(cpu_jiffies)
    # The whole machine's busy share over the run (warm-up and drain included): broker + generator + others.
    printf '{"started":"%s","load_average_1m":%s,"machine_busy_percent":%s}\n' "$started" "$load" \
        "$((100 * (busy1 - busy0) / (total1 - total0 > 0 ? total1 - total0 : 1)))" >"$out/$name-$round.meta"
}

for round in $(seq 1 "$rounds"); do
    run_one 0 "$round" "$@"
    run_one 1 "$round" "$@"
done

python3 - "$out" "${names[0]}" "${names[1]}" <<'PY'
import glob, json, os, statistics, sys
out, name_a, name_b = sys.argv[1:4]
def load(name):
    runs = []
    for path in sorted(glob.glob(os.path.join(out, name + "-[0-9]*.json"))):
        with open(path) as f:
            text = f.read().strip()
        if not text:
            continue
        run = json.loads(text)
        meta = path[:-len(".json")] + ".meta"
        if os.path.exists(meta):
            with open(meta) as f:
                run["meta"] = json.load(f)
        run["meta"] = dict(run.get("meta", {}), round=path[:-len(".json")].rsplit("-", 1)[1])
        runs.append(run)
    return runs
a, b = load(name_a), load(name_b)
if not a or not b:
    sys.exit("compare.sh: no successful runs to compare")
figures = [
    ("throughput", "received_per_s"), ("throughput", "published_per_s"), ("throughput", "acknowledged_per_s"),
    ("latency_us", "p50"), ("latency_us", "p99"), ("latency_us", "p99_9"), ("latency_us", "max"),
    ("latency_from_send_us", "p50"), ("latency_from_send_us", "p99"), ("latency_from_send_us", "p99_9"),
    ("send_lateness_us", "p50"), ("send_lateness_us", "p99"), ("send_lateness_us", "p99_9"),
    ("totals", "missing"), ("bystanders", "missing"),
    ("bystander_latency_us", "p50"), ("bystander_latency_us", "p99"), ("bystander_latency_us", "p99_9"),
    ("bystander_latency_us", "max"),
    ("broker", "cpu_percent_of_one_core"), ("generator", "cpu_percent_of_cores"),
    ("generator", "spin_percent_of_cores"), ("generator", "busiest_thread_percent"), ("generator", "jit_ms"),
    ("generator", "gc_count"), ("generator", "publishers_held_back_percent"),
    ("connect", "connections_per_s"), ("broker_memory", "bytes_per_connection"),
]
def value(run, section, name):
    return run.get(section, {}).get(name)
print("runs, in the order they ran:")
columns = [(("throughput", "received_per_s"), "received/s"), (("latency_us", "p50"), "p50 us"),
           (("latency_us", "p99"), "p99 us"), (("latency_us", "p99_9"), "p99.9 us"),
           (("send_lateness_us", "p99"), "send late p99"), (("totals", "missing"), "missing"),
           (("bystander_latency_us", "p99"), "bystander p99"), (("bystanders", "missing"), "byst. missing"),
           (("broker", "cpu_percent_of_one_core"), "broker cpu %"),
           (("generator", "cpu_percent_of_cores"), "generator cpu %")]
columns = [(f, title) for f, title in columns if any(value(r, *f) is not None for r in a + b)]
keys = [f for f, _ in columns]
print(f"{'run':<22} {'started (UTC)':<21} {'load':>5} {'busy %':>6} " + " ".join(f"{title:>15}" for _, title in columns))
for run in sorted(a + b, key=lambda r: r["meta"].get("started", "")):
    label = (name_a if run in a else name_b) + "-" + run["meta"]["round"]
    cells = " ".join(f"{value(run, *f):>15,.1f}" if value(run, *f) is not None else f"{'-':>15}" for f in keys)
    print(f"{label:<22} {run['meta'].get('started', '-'):<21} {run['meta'].get('load_average_1m', float('nan')):>5.2f}"
          f" {run['meta'].get('machine_busy_percent', float('nan')):>6.0f} {cells}")
print()
print(f"{len(a)} runs against {name_a} (A), {len(b)} against {name_b} (B); medians:")
print(f"{'figure':<44} {name_a:>16} {name_b:>16} {'A/B':>8}")
for section, name in figures:
    xs = [value(r, section, name) for r in a if value(r, section, name) is not None]
    ys = [value(r, section, name) for r in b if value(r, section, name) is not None]
    if not xs or not ys:
        continue
    mx, my = statistics.median(xs), statistics.median(ys)
    ratio = f"{mx / my:8.2f}" if my else "       -"
    print(f"{section + '.' + name:<44} {mx:>16,.1f} {my:>16,.1f} {ratio}")
for label, runs in ((name_a, a), (name_b, b)):
    verdicts = sorted({r["generator"]["bottleneck"] for r in runs if "bottleneck" in r.get("generator", {})})
    for verdict in verdicts:
        print(f"pace set by ({label} runs): {verdict}")
PY
