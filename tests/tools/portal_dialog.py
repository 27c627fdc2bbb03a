#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""portal_dialog.py - the user in front of a headless GNOME desktop: sends
pointer and keyboard input through Mutter's own RemoteDesktop interface
(org.gnome.Mutter.RemoteDesktop, with a screen cast of the monitor so that
absolute pointer positions have a stream to refer to), to answer the
dialog xdg-desktop-portal-gnome shows.

  portal_dialog.py STEP...

Steps, done in order:
  accept-remote      wait for the "Remote desktop" dialog, turn on "Allow
                     remote interaction" (off by default: without it no
                     input device is granted), press Share (the monitor is
                     chosen already)
  accept-view        wait for the "Remote desktop" dialog, press Share with
                     remote interaction left off (no input granted)
  accept-screencast  wait for the "Screen Share" dialog, choose the
                     monitor (none is chosen: Share is insensitive until
                     then), press Share
  cancel             wait for either dialog, press Cancel (Escape does
                     nothing there)
  wait               wait until a dialog is on the screen (every step that
                     waits prints "dialog share=sensitive" when its Share
                     can be pressed, a source being chosen already, else
                     "dialog share=insensitive")
  move X,Y           move the pointer to X,Y of the (primary) monitor
  click X,Y          move the pointer to X,Y of the monitor, press and
                     release the left button
  key HEX            press and release a keysym (ff09 Tab, 20 space)
  sleep SECONDS
  shot FILE          save the monitor's picture now as FILE (P6 PPM)
The dialog (xdg-desktop-portal-gnome 43: 520x300, in the middle of the
monitor) is found by its Share button's blue in a frame of the monitor
(gst-launch-1.0 with pipewiresrc); places in it are offsets from the
monitor's middle. Prints "dialog share=..." when it saw one, "done" at the end.
Exit 1 on a D-Bus error or when no dialog appeared in 10 s.
"""
import subprocess
import tempfile
import sys
import time

import dbus
from dbus.mainloop.glib import DBusGMainLoop
from gi.repository import GLib

RD_NAME = "org.gnome.Mutter.RemoteDesktop"
SC_NAME = "org.gnome.Mutter.ScreenCast"
BTN_LEFT = 0x110
SHIFT_L = 0xffe1

# Offsets from the monitor's middle to the dialog's parts.
SHARE = (212, -128)
CANCEL = (-210, -128)
REMOTE_SWITCH = (190, 72)
SCREENCAST_MONITOR_ROW = (0, 26)


def grab(node, w, h):
	"""One frame of the monitor as RGB bytes, or None."""
	with tempfile.NamedTemporaryFile(suffix=".rgb") as f:
		try:
			r = subprocess.run(["gst-launch-1.0", "-q", "pipewiresrc", "path=%d" % node,
			    "num-buffers=1", "!", "videoconvert", "!", "video/x-raw,format=RGB",
			    "!", "filesink", "location=" + f.name], capture_output=True, timeout=5)
		except subprocess.TimeoutExpired:
			return None
		data = f.read()
	return data if r.returncode == 0 and len(data) == w * h * 3 else None


def share_blue(frame, w, x, y):
	"""The Share button's blue (sensitive or not) at x,y: the desktop's
	background there is a dark blue, the dialog's body light grey."""
	i = (y * w + x) * 3
	r, g, b = frame[i], frame[i + 1], frame[i + 2]
	return b >= 200 and b > r + 60


def share_sensitive(frame, w, x, y):
	"""Share's blue is full (#3584e4) when it can be pressed, pale (about
	150,187,232: half transparent) when nothing is chosen."""
	i = (y * w + x) * 3
	return frame[i] < 100


def main(steps):
	DBusGMainLoop(set_as_default=True)
	bus = dbus.SessionBus()
	rd = dbus.Interface(bus.get_object(RD_NAME, "/org/gnome/Mutter/RemoteDesktop"), RD_NAME)
	rd_path = rd.CreateSession()
	rd_obj = bus.get_object(RD_NAME, rd_path)
	session = dbus.Interface(rd_obj, RD_NAME + ".Session")
	session_id = dbus.Interface(rd_obj, "org.freedesktop.DBus.Properties").Get(
	    RD_NAME + ".Session", "SessionId")
	sc = dbus.Interface(bus.get_object(SC_NAME, "/org/gnome/Mutter/ScreenCast"), SC_NAME)
	sc_path = sc.CreateSession({"remote-desktop-session-id": session_id})
	sc_session = dbus.Interface(bus.get_object(SC_NAME, sc_path), SC_NAME + ".Session")
	# The monitor's cast: the stream that absolute pointer positions
	# name, and where the dialog is looked for (the pointer is not in it).
	stream_path = sc_session.RecordMonitor("", {})
	loop = GLib.MainLoop()
	node = []

	def on_stream(n):
		node.append(int(n))
		loop.quit()

	bus.add_signal_receiver(on_stream, "PipeWireStreamAdded",
	    SC_NAME + ".Stream", SC_NAME, stream_path)
	GLib.timeout_add(5000, loop.quit)
	session.Start()
	loop.run()
	if not node:
		raise RuntimeError("Mutter's screen cast of the monitor did not start")
	params = dbus.Interface(bus.get_object(SC_NAME, stream_path),
	    "org.freedesktop.DBus.Properties").Get(SC_NAME + ".Stream", "Parameters")
	w, h = int(params["size"][0]), int(params["size"][1])
	mid_x, mid_y = w // 2, h // 2

	def at(offset):
		return "%d,%d" % (mid_x + offset[0], mid_y + offset[1])

	def wait_dialog():
		sx, sy = mid_x + SHARE[0], mid_y + SHARE[1]
		deadline = time.monotonic() + 10
		while time.monotonic() < deadline:
			frame = grab(node[0], w, h)
			if frame and share_blue(frame, w, sx, sy):
				print("dialog share=%s" % ("sensitive" if share_sensitive(frame, w, sx, sy)
				    else "insensitive"), flush=True)
				# The frame may be the dialog's first: let it settle.
				time.sleep(0.3)
				return
			time.sleep(0.2)
		raise RuntimeError("no portal dialog on the %dx%d monitor in 10 s "
		    "(no Share button at %d,%d)" % (w, h, sx, sy))

	macros = {
		"accept-remote": ["wait", "", "click", at(REMOTE_SWITCH), "sleep", "0.3",
		    "click", at(SHARE)],
		"accept-screencast": ["wait", "", "click", at(SCREENCAST_MONITOR_ROW),
		    "sleep", "0.3", "click", at(SHARE)],
		"accept-view": ["wait", "", "click", at(SHARE)],
		"cancel": ["wait", "", "click", at(CANCEL)],
	}
	expanded = []
	for step in steps:
		if step in macros:
			expanded += macros[step]
		elif step == "wait":
			expanded += ["wait", ""]
		else:
			expanded.append(step)
	steps = expanded

	if "key" in steps:
		# Mutter 43 makes the session's virtual keyboard with its first
		# key event, which reaches no client: a Shift tap first.
		session.NotifyKeyboardKeysym(dbus.UInt32(SHIFT_L), True)
		session.NotifyKeyboardKeysym(dbus.UInt32(SHIFT_L), False)
		time.sleep(0.1)
	i = 0
	while i < len(steps):
		what, arg = steps[i], steps[i + 1]
		i += 2
		if what in ("click", "move"):
			x, y = (float(v) for v in arg.split(","))
			session.NotifyPointerMotionAbsolute(stream_path, x, y)
			if what == "click":
				time.sleep(0.05)
				session.NotifyPointerButton(BTN_LEFT, True)
				session.NotifyPointerButton(BTN_LEFT, False)
		elif what == "key":
			session.NotifyKeyboardKeysym(dbus.UInt32(int(arg, 16)), True)
			session.NotifyKeyboardKeysym(dbus.UInt32(int(arg, 16)), False)
		elif what == "sleep":
			time.sleep(float(arg))
			continue
		elif what == "wait":
			wait_dialog()
			continue
		elif what == "shot":
			frame = grab(node[0], w, h)
			if frame is None:
				raise RuntimeError("no picture of the monitor for %s" % arg)
			with open(arg, "wb") as f:
				f.write(b"P6\n%d %d\n255\n" % (w, h) + frame)
			continue
		else:
			raise SystemExit("portal_dialog: unknown step %s" % what)
		time.sleep(0.1)
	# The last event is delivered before the session ends with it.
	time.sleep(0.2)
	session.Stop()
	print("done", flush=True)


if __name__ == "__main__":
	if len(sys.argv) < 2:
		print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
		sys.exit(2)
	try:
		main(sys.argv[1:])
	except (dbus.DBusException, RuntimeError) as e:
		print("portal_dialog: %s" % e, file=sys.stderr)
		sys.exit(1)
