#!/usr/bin/env bash
# Runs a command with the services Firefox and WebKitGTK need, and stops them
# afterwards, whatever way the command ends (failure, Ctrl-C, TERM):
#   - PulseAudio with a null sink, for Firefox (its AudioContext never starts
#     without a sound server); the command gets RBS_PULSE_SERVER;
#   - Xvfb and WebKitWebDriver, for WebKitGTK's MiniBrowser; the command gets
#     RBS_WEBKIT_DRIVER (the driver's URL);
#   - RBS_ENGINES_DIR: where the services' logs and PID files are.
#
#   e2e/engines/services.sh COMMAND [ARGS...]
#
# E2E_ENGINES (default "chromium firefox webkit") says which engines run, so
# which services start.  Everything is fixed by E2E_PORT (default 8181; the
# demo servers use E2E_PORT and E2E_PORT+1, the Emscripten pages E2E_PORT+3:
# e2e/servers.js): WebKitWebDriver listens on E2E_PORT+2, Xvfb is display
# :(E2E_PORT mod 1000) unless E2E_DISPLAY is set,
# and the services keep their sockets, logs and PID files in
# ${TMPDIR:-/tmp}/rbs-engines-E2E_PORT.  Each service runs in its own session
# (setsid) and is stopped as a process group by its PID, so the MiniBrowser
# processes that WebKitWebDriver started go with it; a run killed with -9
# leaves PID files that the next run on the same port uses to clean up.
set -euo pipefail

port=${E2E_PORT:-8181}
engines=${E2E_ENGINES:-chromium firefox webkit}
display=${E2E_DISPLAY:-$((port % 1000))}
wd_port=$((port + 2))
rt=${TMPDIR:-/tmp}/rbs-engines-$port
log() { echo "engines: $*" >&2; }
wants() { [[ " $engines " == *" $1 "* ]]; }

# Stops the process group led by the PID in $1's PID file, TERM then KILL.
stop_group() {
    local file=$rt/$1.pid pid
    [[ -f $file ]] || return 0
    pid=$(<"$file")
    rm -f "$file"
    [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM -- "-$pid" 2>/dev/null || true
    for _ in $(seq 30); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
    log "$1 (PID $pid) ignored TERM; killing its group"
    kill -KILL -- "-$pid" 2>/dev/null || true
}

stop_all() { stop_group webkitdriver; stop_group xvfb; stop_group pulseaudio; }

# Starts "$@" as $1's own session leader, output to $rt/$name.log, PID to $rt/$name.pid.
start() {
    local name=$1
    shift
    setsid "$@" >"$rt/$name.log" 2>&1 </dev/null &
    echo $! >"$rt/$name.pid"
}

# Runs `$2...` until it succeeds, for at most $1 tenths of a second.
poll() {
    local tries=$1
    shift
    for _ in $(seq "$tries"); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
    return 1
}

fail() {
    log "$1; its log ($rt/$2.log):"
    tail -20 "$rt/$2.log" >&2 || true
    exit 1
}

mkdir -p "$rt"
export RBS_ENGINES_DIR=$rt # the services' logs and PID files, for the drivers' error messages
stop_all # what a run killed with -9 left
child=
# Ctrl-C reaches the command with us (one process group); a TERM for us alone
# is passed on as INT.  Either way the command gets 10 s to stop gracefully:
# Playwright stops its demo servers (their own process groups) only then.
on_signal() {
    if [[ -n $child ]]; then
        [[ $1 == TERM ]] && kill -INT "$child" 2>/dev/null
        for _ in $(seq 100); do kill -0 "$child" 2>/dev/null || break; sleep 0.1; done
        kill -TERM "$child" 2>/dev/null
    fi
    exit $((128 + $(kill -l "$1")))
}
trap stop_all EXIT
trap 'on_signal INT' INT
trap 'on_signal TERM' TERM

if wants firefox; then
    mkdir -p "$rt/pulse" "$rt/home"
    rm -f "$rt/pulse/native"
    start pulseaudio env HOME="$rt/home" XDG_RUNTIME_DIR="$rt/pulse" XDG_CONFIG_HOME="$rt/home" \
        pulseaudio -n --daemonize=no --exit-idle-time=-1 --use-pid-file=no \
        -L 'module-null-sink sink_name=rbs_null' \
        -L "module-native-protocol-unix auth-anonymous=1 socket=$rt/pulse/native"
    export RBS_PULSE_SERVER=unix:$rt/pulse/native
    poll 100 env PULSE_SERVER="$RBS_PULSE_SERVER" pactl info || fail "PulseAudio did not answer on $RBS_PULSE_SERVER" pulseaudio
    log "PulseAudio null sink on $RBS_PULSE_SERVER (PID $(<"$rt/pulseaudio.pid"))"
fi

if wants webkit; then
    [[ -e /tmp/.X11-unix/X$display ]] && ! [[ -f $rt/xvfb.pid ]] && log "display :$display seems taken (set E2E_DISPLAY)"
    start xvfb Xvfb ":$display" -screen 0 1280x1024x24 -nolisten tcp
    poll 100 test -S "/tmp/.X11-unix/X$display" || fail "Xvfb did not open display :$display" xvfb
    start webkitdriver env DISPLAY=":$display" JSC_useSharedArrayBuffer=1 WebKitWebDriver --port="$wd_port"
    export RBS_WEBKIT_DRIVER=http://127.0.0.1:$wd_port
    poll 100 curl -sf "$RBS_WEBKIT_DRIVER/status" || fail "WebKitWebDriver did not answer on $RBS_WEBKIT_DRIVER" webkitdriver
    log "Xvfb :$display (PID $(<"$rt/xvfb.pid")), WebKitWebDriver on $RBS_WEBKIT_DRIVER (PID $(<"$rt/webkitdriver.pid"))"
fi

"$@" &
child=$!
status=0
wait "$child" || status=$?
child=
exit "$status"
