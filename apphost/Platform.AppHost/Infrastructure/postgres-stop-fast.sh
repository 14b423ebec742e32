#!/bin/sh
# Runs a Postgres server so that the AppHost can stop and restart it while clients hold connections open.
# The orchestrator stops a process with SIGTERM, which is Postgres's smart shutdown: it waits for every client (the
# services' pooled connections) to disconnect, which they never do, and the orchestrator gives up ("Failed to stop
# resource"), leaving the server refusing connections. Here SIGTERM becomes SIGINT, the fast shutdown (sessions ended,
# a shutdown checkpoint written), and this script returns at once. The orchestrator also waits until nothing holds
# the process's output open, and the checkpoint can take longer than it waits on a loaded machine: so the server
# writes to <data>/log/server.log, which this script copies to its output (the dashboard's log) until it stops. The
# server runs in a session of its own, so nothing sent to this script's process group reaches it, and the next start
# waits for a server still stopping on the same data directory (ending it with SIGQUIT, the immediate shutdown, after
# 5 s: nothing committed is lost, the start replays the write-ahead log as after a crash).
# Usage: sh postgres-stop-fast.sh <data directory> <postgres binary> [any other server option]
data=$1
server_binary=$2
shift 2
log="$data/log/server.log"

previous() {
  [ -f "$data/postmaster.pid" ] && read -r pid < "$data/postmaster.pid" && kill -0 "$pid" 2>/dev/null && echo "$pid"
}
tenths=0
while pid=$(previous); do
  if [ "$tenths" -eq 50 ]; then
    kill -QUIT "$pid" 2>/dev/null
  elif [ "$tenths" -ge 600 ]; then
    echo "postgres-stop-fast: the server $pid on $data has not stopped in a minute" >&2
    exit 1
  fi
  sleep 0.1
  tenths=$((tenths + 1))
done

mkdir -p "$data/log"
: > "$log"
setsid "$server_binary" -D "$data" "$@" >> "$log" 2>&1 < /dev/null &
server=$!
tail -n +1 -F "$log" >&2 2>/dev/null &
copier=$!
trap 'echo "postgres-stop-fast: $(date +%T.%N) stopping: fast shutdown of $server" >&2; kill -INT "$server" 2>/dev/null; kill "$copier" 2>/dev/null; exit 143' TERM INT
wait "$server"
status=$?
sleep 0.2
kill "$copier" 2>/dev/null
exit "$status"
