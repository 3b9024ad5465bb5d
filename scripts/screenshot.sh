#!/usr/bin/env bash
# screenshot.sh takes the README screenshots: it builds hum, serves the demo
# standards body on a throwaway SQLite database, photographs a few pages
# with headless Chromium, and stops the server again.
#
# Usage: scripts/screenshot.sh   (from anywhere; writes docs/screenshot-*.png)
# Needs: go, and Debian's chromium (or CHROMIUM=/path/to/chrome).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
chromium=${CHROMIUM:-chromium}
command -v "$chromium" >/dev/null || { echo "screenshot.sh: $chromium not found (apt-get install chromium)" >&2; exit 1; }

tmp=$(mktemp -d)
pid=
cleanup() {
	if [[ -n $pid ]]; then
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT

echo "building hum" >&2
(cd "$root" && go build -o "$tmp/hum" ./cmd/hum)

# A port nobody answers on. Another process could take it before hum does;
# the wait below then fails loudly rather than photographing the wrong thing.
port=
for _ in $(seq 50); do
	p=$((20000 + RANDOM % 40000))
	if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
		port=$p
		break
	fi
done
[[ -n $port ]] || { echo "screenshot.sh: no free port found" >&2; exit 1; }
base="http://127.0.0.1:$port"

"$tmp/hum" serve --demo --db "sqlite:$tmp/hum.db" --http "127.0.0.1:$port" --data "$tmp/data" 2>"$tmp/hum.log" &
pid=$!

for _ in $(seq 300); do
	if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
		break
	fi
	if ! kill -0 "$pid" 2>/dev/null; then
		echo "screenshot.sh: hum serve stopped:" >&2
		cat "$tmp/hum.log" >&2
		exit 1
	fi
	sleep 0.1
done
(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "screenshot.sh: hum did not answer on $base" >&2; exit 1; }

# shot PATH SIZE OUT photographs one page with a fresh browser profile.
shot() {
	local path=$1 size=$2 out=$3
	echo "  $base$path at $size -> $out" >&2
	"$chromium" --headless --no-sandbox --disable-gpu --hide-scrollbars \
		--no-first-run --disable-sync --disable-background-networking --disable-component-update \
		--user-data-dir="$tmp/profile-$RANDOM" \
		--window-size="$size" --screenshot="$root/$out" "$base$path" >"$tmp/chromium.log" 2>&1 ||
		{ cat "$tmp/chromium.log" >&2; exit 1; }
	[[ -s $root/$out ]] || { echo "screenshot.sh: chromium wrote no $out" >&2; cat "$tmp/chromium.log" >&2; exit 1; }
}

mkdir -p "$root/docs"
echo "taking screenshots of $base" >&2
shot /group/httpbis/about/ 1200,900 docs/screenshot-group.png
shot /wg/ 1200,900 docs/screenshot-wg.png
shot /group/httpbis/about/ 390,844 docs/screenshot-phone.png
echo "done" >&2
