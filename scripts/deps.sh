#!/bin/sh
# Install the Debian 12 packages that building and testing need, when missing.
# Runs as root with apt-get (CI and `make demo` on a fresh machine); as
# another user it only says what is missing.
set -eu
# Building: compilers, libsodium, zstd, X11 (capture, input, clipboard),
# SDL2 + SDL2_ttf (windows). Testing: an X server (Xvfb), xterm, xdotool,
# xwd, setxkbmap, a font, socat, python3. Transports: libcurl; their tests
# run real proxies (tinyproxy, squid) with htpasswd files. The relay's
# TLS: libssl-dev (OpenSSL 3); its tests make certificates with openssl.
# The relay's cluster directory: libhiredis-dev; its tests run a real
# redis-server, over TLS through stunnel4 too. The relay's metrics: their
# test checks the text with promtool (prometheus).
# Input on wlroots compositors: libwayland-dev, wayland-scanner
# (libwayland-bin) and wayland-protocols (xdg-output) at build time; its
# test runs a headless sway with foot (as an unprivileged user: setpriv and
# useradd are in util-linux and passwd), and a German keyboard beside the
# viewers' (tests/tools/wl_hostkbd: libxkbcommon-dev, xkb-data); the
# clipboard's test pastes and copies with wl-clipboard. Capture
# there (wlr-screencopy): its test compares with grim's copy of the output
# (xdg-shell from wayland-protocols for tests/tools/wl_paint, and
# libwayland-server, in libwayland-dev, for the fake compositor).
# Translations: gettext (xgettext, msgmerge, msgfmt at build time).
# Wayland hosts (GNOME): PipeWire (libpipewire-0.3-dev) for the picture,
# sd-bus (libsystemd-dev) for Mutter's D-Bus interfaces; their test runs a
# headless mutter with pipewire and wireplumber in a private D-Bus session
# (dbus-daemon has dbus-run-session), a Wayland client (libwayland-dev,
# wayland-protocols for xdg-shell), foot as the terminal that is typed into,
# and gdbus (libglib2.0-bin) to turn the monitor through Mutter's DisplayConfig.
# The ScreenCast portal on wlroots compositors (t_wayland_portal_env, the
# master's --source portal): xdg-desktop-portal with its wlr backend
# (xdg-desktop-portal-wlr), run on the headless sway above; the reference
# client tests/tools/portal_probe.py speaks D-Bus with python3-dbus and
# python3-gi (GLib's main loop) and takes a picture with gstreamer's
# pipewiresrc (gstreamer1.0-pipewire, gst-launch-1.0 in gstreamer1.0-tools).
# The desktop portals on GNOME: xdg-desktop-portal with its GNOME back-end
# (xdg-desktop-portal-gnome) on the same headless mutter; the test's portal
# client and the dialog's user are python3 (python3-dbus, python3-gi), and
# frames come through PipeWire into gst-launch-1.0 (gstreamer1.0-tools,
# gstreamer1.0-pipewire, gstreamer1.0-plugins-base for videoconvert).
# Packages (`make deb`, tests/deb.sh): debhelper, dpkg-dev, fakeroot,
# lintian; scdoc (man pages), librsvg2-bin (icons), desktop-file-utils,
# man-db (to find the installed pages), adduser (the relay's user).
need="build-essential pkg-config libsodium-dev libzstd-dev libturbojpeg0-dev libvpx-dev
clang libclang-rt-14-dev
libx11-dev libxext-dev libxdamage-dev libxfixes-dev libxrandr-dev libxtst-dev
libsdl2-dev libsdl2-ttf-dev fonts-dejavu-core
xvfb xauth xterm xfonts-base xdotool x11-apps x11-utils x11-xkb-utils
python3 socat procps iproute2 openssl
libcurl4-openssl-dev tinyproxy squid apache2-utils libssl-dev
libhiredis-dev redis-server stunnel4 prometheus
libwayland-dev libwayland-bin wayland-protocols sway foot grim util-linux passwd wl-clipboard
libxkbcommon-dev xkb-data
gettext
libpipewire-0.3-dev libsystemd-dev mutter pipewire wireplumber dbus-daemon libwayland-dev
wayland-protocols foot libglib2.0-bin
xdg-desktop-portal xdg-desktop-portal-wlr xdg-desktop-portal-gnome python3-dbus python3-gi
gstreamer1.0-tools gstreamer1.0-pipewire gstreamer1.0-plugins-base
debhelper dpkg-dev fakeroot lintian scdoc librsvg2-bin desktop-file-utils man-db adduser"
missing=""
for p in $need; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "deps: missing packages:$missing (run as root, or install them)" >&2
	exit 1
fi
echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq </dev/null >/dev/null
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing </dev/null >/dev/null
