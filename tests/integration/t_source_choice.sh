# Without --source the master takes the desktop session's kind: X11, or on
# Wayland GNOME (mutter) or a wlroots compositor (wlr); a Wayland desktop
# it cannot share stops it with a clear reason (exit 3) instead of sharing
# an X display that shows only the Xwayland windows.
. "$(dirname "$0")/lib.sh"
run() {
	env -u DISPLAY -u WAYLAND_DISPLAY -u XDG_SESSION_TYPE -u XDG_CURRENT_DESKTOP -u SWAYSOCK \
	    "$@" "$B/fernsicht-master" --headless --lan 127.0.0.1:0 >"$T/out" 2>"$T/err"
	rc=$?
}
run XDG_SESSION_TYPE=wayland XDG_CURRENT_DESKTOP=KDE
[ "$rc" = 3 ] || fail "KDE on Wayland: exit $rc: $(cat "$T/err")"
grep -q 'Wayland desktop (KDE) that Fernsicht cannot share yet' "$T/err" ||
    fail "KDE on Wayland: no reason: $(cat "$T/err")"
run WAYLAND_DISPLAY=wayland-9 XDG_CURRENT_DESKTOP=
[ "$rc" = 3 ] && grep -q 'Wayland desktop (unknown)' "$T/err" ||
    fail "an unknown Wayland desktop: exit $rc: $(cat "$T/err")"
note "a Wayland desktop without a back-end: exit 3 with the reason"
# X11 (the session type wins over a stray WAYLAND_DISPLAY): the X source
# is tried, and says the display is missing.
run XDG_SESSION_TYPE=x11 WAYLAND_DISPLAY=wayland-9 DISPLAY=:97
[ "$rc" = 3 ] && grep -q 'cannot capture the screen: .*:97' "$T/err" ||
    fail "X11 session: exit $rc: $(cat "$T/err")"
note "an X11 session picks x11"
# GNOME on Wayland picks Mutter's interfaces; sway and other wlroots
# compositors the wlr source (here without a compositor: they say so).
run XDG_SESSION_TYPE=wayland XDG_CURRENT_DESKTOP=ubuntu:GNOME DBUS_SESSION_BUS_ADDRESS=unix:path=$T/none
[ "$rc" = 3 ] && grep -q 'no D-Bus session bus' "$T/err" ||
    fail "GNOME on Wayland: exit $rc: $(cat "$T/err")"
run XDG_SESSION_TYPE=wayland XDG_CURRENT_DESKTOP=sway WAYLAND_DISPLAY=none-here
[ "$rc" = 3 ] && grep -q 'cannot connect to the Wayland display none-here' "$T/err" ||
    fail "sway: exit $rc: $(cat "$T/err")"
note "GNOME picks mutter, sway picks wlr: $(tail -1 "$T/err")"
exit 0
