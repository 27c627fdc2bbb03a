#!/bin/sh
# tests/deb.sh - the Debian packages, as an administrator meets them: `make
# deb` builds them, lintian finds no error, apt-get installs them on this
# machine, the relay starts as its system user with the shipped settings
# and serves a master, the man pages are found in English and German, the
# desktop files are valid and the viewer handles fernsicht:// links, and
# a purge leaves no file, directory or user behind. TAP on stdout (counted
# by tests/check.sh). Needs root (it installs packages); as another user,
# or when Fernsicht packages are already installed, it says so and skips.
# Cleans up on any exit: processes, packages it installed, temp files.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
PKGS="fernsicht-relay fernsicht-master fernsicht-viewer fernsicht-common"
n=0
failed=0
installed=0
relay_pid=""
T=$(mktemp -d /tmp/fernsicht-deb.XXXXXX)

ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
# check DESCRIPTION COMMAND...: one test line for the command's result.
check() {
	d=$1
	shift
	if "$@" >"$T/check.out" 2>&1; then
		ok "$d"
	else
		not_ok "$d"
		sed 's/^/#   /' "$T/check.out" | tail -15
	fi
}
finish() {
	echo "1..$n"
	[ "$failed" = 0 ]
}
cleanup() {
	[ -n "$relay_pid" ] && kill "$relay_pid" 2>/dev/null
	if [ "$installed" = 1 ]; then
		# shellcheck disable=SC2086
		DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq $PKGS >/dev/null 2>&1
	fi
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

if [ "$(id -u)" != 0 ]; then
	echo "# deb: skipped: not root (installing packages needs root; CI runs this as root)"
	finish
	exit
fi
for p in $PKGS; do
	if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q installed; then
		echo "# deb: skipped: $p is installed on this machine, and this test would purge it"
		finish
		exit
	fi
done
if getent passwd fernsicht-relay >/dev/null; then
	echo "# deb: skipped: the user fernsicht-relay exists, and this test would remove it"
	finish
	exit
fi

# 1. Build.
if make --no-print-directory deb >"$T/make-deb.log" 2>&1; then
	ok "make deb"
else
	not_ok "make deb"
	tail -30 "$T/make-deb.log" | sed 's/^/#   /'
	finish
	exit
fi
debs=""
for p in $PKGS; do
	f=$(ls build/deb/"${p}"_*.deb 2>/dev/null | head -1)
	[ -n "$f" ] && debs="$debs ./$f"
done
check "four packages in build/deb" test "$(echo $debs | wc -w)" = 4

# 2. lintian: no errors (warnings and notes are listed, not counted).
lintian --tag-display-limit 0 build-deb/*.changes >"$T/lintian.out" 2>&1
e=$(grep -c '^E: ' "$T/lintian.out")
w=$(grep -c '^W: ' "$T/lintian.out")
echo "# lintian: $e errors, $w warnings"
grep -E '^(E|W): ' "$T/lintian.out" | sed 's/^/#   /'
check "lintian: no errors" test "$e" = 0

# What of the packages' contents exists before they are installed (/usr,
# /lib, ...): after the purge, anything else of it must be gone.
for f in $debs; do
	dpkg-deb -c "$f" | awk '{ print $6 }' | sed 's|^\./|/|; s|/$||'
done | sort -u >"$T/contents"
while read -r f; do
	[ -z "$f" ] || [ -e "$f" ] || [ -L "$f" ] && echo "${f:-/}"
done <"$T/contents" >"$T/existed"

# 3. Install.
# shellcheck disable=SC2086
if DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $debs \
    >"$T/apt-install.log" 2>&1; then
	installed=1
	ok "apt-get install ./build/deb/*.deb"
else
	not_ok "apt-get install ./build/deb/*.deb"
	tail -20 "$T/apt-install.log" | sed 's/^/#   /'
	installed=1
	finish
	exit
fi
# shellcheck disable=SC2086
dpkg -L $PKGS | sort -u >"$T/files"
check "the system user fernsicht-relay" sh -c \
    'getent passwd fernsicht-relay | grep -q ":/var/lib/fernsicht-relay:/usr/sbin/nologin$"'
check "/var/lib/fernsicht-relay belongs to it" sh -c \
    'test "$(stat -c %U:%G:%a /var/lib/fernsicht-relay)" = fernsicht-relay:fernsicht-relay:750'
check "the settings files are conffiles" sh -c \
    'for f in relay master viewer; do dpkg-query -W -f="\${Conffiles}\n" fernsicht-$f |
        grep -q "/etc/fernsicht/$f.conf" || exit 1; done'

# 4. The relay as the unit runs it: its ExecStart line, RELAY_OPTS from the
# shipped /etc/default file, as its user, in a network namespace of its
# own (other tests may use port 4663). A master from the package gets a
# session number from it.
cat >"$T/relay.sh" <<'EOF'
set -u
ip link set lo up || exit 1
RELAY_OPTS=
. /etc/default/fernsicht-relay
cmd=$(sed -n 's/^ExecStart=//p' /lib/systemd/system/fernsicht-relay.service)
user=$(sed -n 's/^User=//p' /lib/systemd/system/fernsicht-relay.service)
[ -n "$cmd" ] && [ "$user" = fernsicht-relay ] || { echo "no ExecStart or User"; exit 1; }
cmd=$(echo "$cmd" | sed "s|\$RELAY_OPTS|$RELAY_OPTS|")
echo "starting: $cmd (as $user)"
cd /
# shellcheck disable=SC2086
setpriv --reuid="$user" --regid="$user" --clear-groups --no-new-privs $cmd \
    >"$1/relay.out" 2>"$1/relay.log" &
pid=$!
i=0
until grep -q '^listening=' "$1/relay.out"; do
	i=$((i + 1)); [ $i -lt 100 ] || { echo "relay did not listen"; cat "$1/relay.log"; exit 1; }
	kill -0 $pid 2>/dev/null || { echo "relay died"; cat "$1/relay.log"; exit 1; }
	sleep 0.05
done
cat "$1/relay.out"
[ "$(ps -o uid= -p $pid | tr -d ' ')" = "$(id -u "$user")" ] ||
    { echo "not running as its user"; exit 1; }
port=$(sed -n 's/^listening=.*:\([0-9]*\)$/\1/p' "$1/relay.out" | head -1)
echo "port $port"
HOME="$1" timeout 20 fernsicht-master --relay "127.0.0.1:$port" --headless \
    --source test-pattern --once --transport tcp >"$1/master.out" 2>"$1/master.log" &
mpid=$!
i=0
until grep -q '^session=' "$1/master.out"; do
	i=$((i + 1))
	[ $i -lt 200 ] || { echo "no session from the relay"; cat "$1/master.log"; exit 1; }
	sleep 0.05
done
head -1 "$1/master.out"
kill $mpid
kill -TERM $pid
wait $pid
echo "relay exit $?"
EOF
check "the relay starts as the unit would and serves a master on 4663" \
    sh -c "unshare -n sh '$T/relay.sh' '$T' && grep -q '^listening=0.0.0.0:4663\$' '$T/relay.out'"
sed 's/^/#   /' "$T/check.out" | grep -E 'starting|listening|session=' | sed 's/code=.*//'
check "the relay saved its state in /var/lib/fernsicht-relay" \
    test -f /var/lib/fernsicht-relay/numbers
if command -v systemd-analyze >/dev/null; then
	check "systemd-analyze verify fernsicht-relay.service" \
	    systemd-analyze verify /lib/systemd/system/fernsicht-relay.service
fi

# 5. Man pages in both languages.
for page in fernsicht-relay fernsicht-relayctl fernsicht-master fernsicht-viewer; do
	check "man -w $page" sh -c "man -w $page | grep -q '^/usr/share/man/man[18]/$page'"
	check "man -L de -w $page" sh -c \
	    "man -L de -w $page | grep -q '^/usr/share/man/de/man[18]/$page'"
done

# 6. Desktop files, icons, the URL handler, the catalogues.
for p in master viewer; do
	check "desktop-file-validate fernsicht-$p.desktop" \
	    desktop-file-validate /usr/share/applications/fernsicht-$p.desktop
	check "icons of fernsicht-$p" test -s /usr/share/icons/hicolor/48x48/apps/fernsicht-$p.png \
	    -a -s /usr/share/icons/hicolor/scalable/apps/fernsicht-$p.svg
done
check "fernsicht:// is handled by fernsicht-viewer.desktop (mimeinfo.cache)" grep -q \
    '^x-scheme-handler/fernsicht=.*fernsicht-viewer.desktop' /usr/share/applications/mimeinfo.cache
check "the installed viewer refuses a bad link in German (catalogue in /usr/share/locale)" \
    sh -c 'LANGUAGE=de fernsicht-viewer fernsicht://relay/4821x 2>&1 | grep -q fünfstellig'
mkdir -p "$T/home"
check "the shipped viewer.conf is read without complaint" sh -c \
    "HOME='$T/home' fernsicht-viewer --headless 12345 --code 123456 >/dev/null 2>'$T/v.log';
     test \$? = 1 && grep -q 'no relay' '$T/v.log' && ! grep -q 'viewer.conf:' '$T/v.log' ||
     { cat '$T/v.log'; exit 1; }"

# 7. Purge: nothing of the packages is left, not even new directories.
# shellcheck disable=SC2086
if DEBIAN_FRONTEND=noninteractive apt-get purge -y -q $PKGS >"$T/apt-purge.log" 2>&1; then
	installed=0
	ok "apt-get purge"
else
	not_ok "apt-get purge"
	tail -20 "$T/apt-purge.log" | sed 's/^/#   /'
fi
: >"$T/left"
sort -u "$T/files" "$T/contents" | sed 's|/\.$||; s|^$|/|' | while read -r f; do
	if { [ -e "$f" ] || [ -L "$f" ]; } && ! grep -qxF "$f" "$T/existed"; then
		echo "$f" >>"$T/left"
	fi
done
for d in /etc/fernsicht /var/lib/fernsicht-relay /etc/default/fernsicht-relay; do
	[ -e "$d" ] && echo "$d" >>"$T/left"
done
check "purge leaves no file or directory behind" sh -c "! [ -s '$T/left' ] || { cat '$T/left'; exit 1; }"
check "purge removes the user and group fernsicht-relay" sh -c \
    '! getent passwd fernsicht-relay && ! getent group fernsicht-relay'
finish
