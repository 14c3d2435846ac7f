# shellcheck shell=bash
# Finds a JDK 21 or newer. Sourced by bin/estafeta, bin/with-jdk and .ci/run: the one copy of this logic.
#
#   source bin/lib/find-java.sh
#   estafeta_find_java || exit 1      # sets ESTAFETA_JAVA (the java binary) and ESTAFETA_JAVA_HOME
#
# Looks, in this order, at $JAVA_HOME, at `java` on PATH, then at the newest JDK under /usr/lib/jvm
# (ESTAFETA_JVM_DIR overrides that folder, for tests), taking the first one that is 21 or newer.
# Uses bash builtins only, apart from running the candidate java binaries themselves.

ESTAFETA_MIN_JAVA=21

# Prints the feature release of a version string as `java -version` shows it:
# "1.8.0_381" -> 8, "17.0.15" -> 17, "21.0.2" -> 21, "25" -> 25, "25-ea" -> 25.
estafeta_java_major() {
    local version=$1
    if [[ $version == 1.* ]]; then
        version=${version#1.}
    fi
    local major=${version%%[!0-9]*}
    [[ -n $major ]] || return 1
    echo $((10#$major))
}

# Succeeds when version $1 is newer than version $2, comparing numbers part by part ("21.0.10" > "21.0.2").
estafeta_version_newer() {
    local IFS=._+-
    local -a a b
    read -r -a a <<<"$1"
    read -r -a b <<<"$2"
    local i x y n=$((${#a[@]} > ${#b[@]} ? ${#a[@]} : ${#b[@]}))
    for ((i = 0; i < n; i++)); do
        x=${a[i]:-0}
        y=${b[i]:-0}
        [[ $x =~ ^[0-9]+$ ]] || x=0
        [[ $y =~ ^[0-9]+$ ]] || y=0
        if ((10#$x > 10#$y)); then
            return 0
        elif ((10#$x < 10#$y)); then
            return 1
        fi
    done
    return 1
}

# Runs a java binary once and sets _ESTAFETA_PROBE_VERSION ("21.0.2") and _ESTAFETA_PROBE_HOME (its
# java.home, which is how a `java` found through /usr/bin symlinks leads back to its JDK).
_estafeta_probe() {
    local java=$1 output line
    _ESTAFETA_PROBE_VERSION=
    _ESTAFETA_PROBE_HOME=
    [[ -f $java && -x $java ]] || return 1
    output=$("$java" -XshowSettings:properties -version 2>&1) || return 1
    while IFS= read -r line; do
        case $line in
        *' version "'*)
            # e.g. openjdk version "21.0.2" 2024-01-16 (a "Picked up JAVA_TOOL_OPTIONS" line may precede it)
            if [[ -z $_ESTAFETA_PROBE_VERSION ]]; then
                line=${line#*version \"}
                _ESTAFETA_PROBE_VERSION=${line%%\"*}
            fi
            ;;
        *'java.home = '*)
            _ESTAFETA_PROBE_HOME=${line#*java.home = }
            ;;
        esac
    done <<<"$output"
    if [[ -z $_ESTAFETA_PROBE_VERSION || -z $_ESTAFETA_PROBE_HOME ]]; then
        return 1
    fi
}

# Succeeds when the java binary $1 is recent enough; leaves its version and home in the probe variables.
_estafeta_usable() {
    local major
    _estafeta_probe "$1" || return 1
    major=$(estafeta_java_major "$_ESTAFETA_PROBE_VERSION") || return 1
    if ((major < ESTAFETA_MIN_JAVA)); then
        return 1
    fi
}

estafeta_find_java() {
    ESTAFETA_JAVA=
    ESTAFETA_JAVA_HOME=
    if [[ -n ${JAVA_HOME:-} ]] && _estafeta_usable "$JAVA_HOME/bin/java"; then
        ESTAFETA_JAVA=$JAVA_HOME/bin/java
        ESTAFETA_JAVA_HOME=$_ESTAFETA_PROBE_HOME
        return 0
    fi
    local on_path
    if on_path=$(command -v java) && _estafeta_usable "$on_path"; then
        ESTAFETA_JAVA=$on_path
        ESTAFETA_JAVA_HOME=$_ESTAFETA_PROBE_HOME
        return 0
    fi
    local jvm_dir=${ESTAFETA_JVM_DIR:-/usr/lib/jvm} candidate best_version=
    for candidate in "$jvm_dir"/*/bin/java; do
        if _estafeta_usable "$candidate" &&
            { [[ -z $best_version ]] || estafeta_version_newer "$_ESTAFETA_PROBE_VERSION" "$best_version"; }; then
            best_version=$_ESTAFETA_PROBE_VERSION
            ESTAFETA_JAVA=$candidate
            ESTAFETA_JAVA_HOME=$_ESTAFETA_PROBE_HOME
        fi
    done
    if [[ -n $ESTAFETA_JAVA ]]; then
        return 0
    fi
    echo "estafeta: needs Java $ESTAFETA_MIN_JAVA or newer, and found none in JAVA_HOME, on PATH or in $jvm_dir." >&2
    echo "estafeta: install a JDK $ESTAFETA_MIN_JAVA+ (e.g. Temurin, or 'apt-get install openjdk-21-jdk-headless')" \
        "and set JAVA_HOME to it." >&2
    return 1
}
