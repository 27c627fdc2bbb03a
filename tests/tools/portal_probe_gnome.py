#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""portal_probe.py - a client of xdg-desktop-portal's ScreenCast and
RemoteDesktop portals (python3-dbus), for the tests of the portal
environment and as the reference of what a C client goes through.

  portal_probe.py remote|screencast [--restore TOKEN] [--persist N]
      [--pointer X,Y] [--click] [--keysym HEX]... [--settle SECONDS]
      [--frame] [--hold SECONDS]

remote: RemoteDesktop.CreateSession, SelectDevices (keyboard|pointer),
ScreenCast.SelectSources on the same session (one monitor, cursor as
metadata when offered), RemoteDesktop.Start; --persist and --restore only
with RemoteDesktop version 2 (at SelectDevices). screencast: the same on a
ScreenCast session alone (ScreenCast.Start). Start shows the desktop's
own dialog (or none when a restore token is honoured); the line
"waiting start" says it is being asked. Then ScreenCast.OpenPipeWireRemote,
and in remote mode the input given, after --settle seconds: the pointer
moves to X,Y of the stream (NotifyPointerMotionAbsolute), --click presses
and releases the left button (0.1 s after the motion: a press sent at once
after it was lost; 0.3 s before any key, for the focus it gives), each
--keysym is pressed and released (NotifyKeyboardKeysym) after a tap of
Shift (mutter 43 makes the session's virtual keyboard with its first key
event, and that event reaches no client). After the dialog has gone no
window has the keyboard focus on plain mutter: a click on the window to
type into comes first. --frame reads one frame from the stream through
the remote's file descriptor with gst-launch-1.0 (pipewiresrc) and prints
its caps. --hold keeps the session
open that long before closing it (Session.Close).

Prints one line per fact, flushed as it comes:
  portal ScreenCast version=4 sources=3 cursors=7
  portal RemoteDesktop version=1 devices=7
  waiting start
  start code=0            (1: the user cancelled, 2: otherwise ended)
  devices=3
  stream node=47 size=1280x800 position=0,0 source_type=1
  restore_token=TOKEN     (or restore_token=none)
  remote fd
  frame caps=video/x-raw, format=(string)BGRx, ...
  input ok
  closed
Exit: 0 after a granted session, 3 when Start's response was not 0,
1 on any other error (said on stderr).
"""
import argparse
import os
import subprocess
import sys
import time

import dbus
from dbus.mainloop.glib import DBusGMainLoop
from gi.repository import GLib

BUS_NAME = "org.freedesktop.portal.Desktop"
OBJ_PATH = "/org/freedesktop/portal/desktop"
SC = "org.freedesktop.portal.ScreenCast"
RD = "org.freedesktop.portal.RemoteDesktop"
KEYBOARD, POINTER = 1, 2
MONITOR = 1
CURSOR_METADATA = 4
BTN_LEFT = 0x110
SHIFT_L = 0xffe1


def say(line):
	print(line, flush=True)


class Portal:
	def __init__(self, timeout):
		DBusGMainLoop(set_as_default=True)
		self.bus = dbus.SessionBus()
		self.obj = self.bus.get_object(BUS_NAME, OBJ_PATH)
		self.sc = dbus.Interface(self.obj, SC)
		self.rd = dbus.Interface(self.obj, RD)
		self.props = dbus.Interface(self.obj, "org.freedesktop.DBus.Properties")
		self.sender = self.bus.get_unique_name()[1:].replace(".", "_")
		self.timeout = timeout
		self.serial = 0

	def prop(self, iface, name):
		return int(self.props.Get(iface, name))

	def request(self, method, *args, options):
		"""Calls a method that answers through a Request object and waits
		for its Response: (code, results)."""
		self.serial += 1
		token = "probe%d_%d" % (os.getpid(), self.serial)
		path = "/org/freedesktop/portal/desktop/request/%s/%s" % (self.sender, token)
		options = dict(options)
		options["handle_token"] = token
		loop = GLib.MainLoop()
		got = {}

		def on_response(code, results):
			got["code"] = int(code)
			got["results"] = results
			loop.quit()

		def on_timeout():
			got["timeout"] = True
			loop.quit()
			return False

		# Subscribed before the call: the response may come at once.
		match = self.bus.add_signal_receiver(on_response, "Response",
		    "org.freedesktop.portal.Request", BUS_NAME, path)
		handle = method(*args, dbus.Dictionary(options, signature="sv"))
		if str(handle) != path:
			# Older portals answer on a path of their own making.
			match.remove()
			match = self.bus.add_signal_receiver(on_response, "Response",
			    "org.freedesktop.portal.Request", BUS_NAME, str(handle))
		tid = GLib.timeout_add(int(self.timeout * 1000), on_timeout)
		loop.run()
		match.remove()
		if "timeout" in got:
			raise RuntimeError("no Response to %s in %.0f s" %
			    (method._method_name, self.timeout))
		GLib.source_remove(tid)
		return got["code"], got["results"]


def check(code, results, what):
	if code != 0:
		raise RuntimeError("%s: response %d %s" % (what, code, dict(results)))
	return results


def main():
	ap = argparse.ArgumentParser()
	ap.add_argument("mode", choices=("remote", "screencast"))
	ap.add_argument("--restore")
	ap.add_argument("--persist", type=int, default=0)
	ap.add_argument("--pointer")
	ap.add_argument("--click", action="store_true")
	ap.add_argument("--keysym", action="append", default=[])
	ap.add_argument("--settle", type=float, default=0)
	ap.add_argument("--frame", action="store_true")
	ap.add_argument("--hold", type=float, default=0)
	ap.add_argument("--timeout", type=float, default=20)
	a = ap.parse_args()

	p = Portal(a.timeout)
	sc_version = p.prop(SC, "version")
	sources = p.prop(SC, "AvailableSourceTypes")
	cursors = p.prop(SC, "AvailableCursorModes")
	say("portal ScreenCast version=%d sources=%d cursors=%d" % (sc_version, sources, cursors))
	remote = a.mode == "remote"
	if remote:
		rd_version = p.prop(RD, "version")
		say("portal RemoteDesktop version=%d devices=%d" %
		    (rd_version, p.prop(RD, "AvailableDeviceTypes")))

	create = p.rd.CreateSession if remote else p.sc.CreateSession
	results = check(*p.request(create, options={
	    "session_handle_token": "probe%d" % os.getpid()}), "CreateSession")
	session = dbus.ObjectPath(results["session_handle"])

	if remote:
		opts = {"types": dbus.UInt32(KEYBOARD | POINTER)}
		# Restoring a remote desktop session came with version 2.
		if rd_version >= 2:
			if a.persist:
				opts["persist_mode"] = dbus.UInt32(a.persist)
			if a.restore:
				opts["restore_token"] = a.restore
		check(*p.request(p.rd.SelectDevices, session, options=opts), "SelectDevices")

	opts = {"types": dbus.UInt32(MONITOR), "multiple": False}
	if sc_version >= 2 and cursors & CURSOR_METADATA:
		opts["cursor_mode"] = dbus.UInt32(CURSOR_METADATA)
	# persist_mode and restore_token came with ScreenCast version 4, for
	# a screen cast alone: in a remote desktop session xdg-desktop-portal
	# 1.16 refuses them here ("Remote desktop sessions cannot persist");
	# RemoteDesktop version 2 takes them at SelectDevices.
	if sc_version >= 4 and not remote:
		if a.persist:
			opts["persist_mode"] = dbus.UInt32(a.persist)
		if a.restore:
			opts["restore_token"] = a.restore
	check(*p.request(p.sc.SelectSources, session, options=opts), "SelectSources")

	say("waiting start")
	start = p.rd.Start if remote else p.sc.Start
	code, results = p.request(start, session, "", options={})
	say("start code=%d" % code)
	if code != 0:
		return 3
	if remote:
		say("devices=%d" % int(results.get("devices", 0)))
	streams = results.get("streams", [])
	if not streams:
		raise RuntimeError("Start granted no stream: %s" % dict(results))
	node = 0
	for node_id, props in streams:
		node = int(node_id)
		size = props.get("size", (0, 0))
		pos = props.get("position", (0, 0))
		say("stream node=%d size=%dx%d position=%d,%d source_type=%d" %
		    (node, int(size[0]), int(size[1]), int(pos[0]), int(pos[1]),
		     int(props.get("source_type", 0))))
	say("restore_token=%s" % results.get("restore_token", "none"))

	fd = p.sc.OpenPipeWireRemote(session, dbus.Dictionary({}, signature="sv"))
	fd = fd.take()
	say("remote fd")

	if a.frame:
		# One buffer through the portal's own PipeWire connection; -v
		# prints the caps the stream settled on.
		out = subprocess.run(["gst-launch-1.0", "-v", "pipewiresrc", "fd=%d" % fd,
		    "path=%d" % node, "num-buffers=1", "!", "videoconvert", "!", "fakesink"],
		    pass_fds=(fd,), capture_output=True, text=True, timeout=15)
		caps = [l for l in out.stdout.splitlines() if "pipewiresrc" in l and "caps =" in l]
		if out.returncode != 0 or not caps:
			raise RuntimeError("no frame from node %d: %s %s" %
			    (node, out.stdout[-400:], out.stderr[-400:]))
		say("frame caps=%s" % caps[-1].split("caps = ", 1)[1])

	if remote and (a.pointer or a.click or a.keysym):
		time.sleep(a.settle)
		opts = dbus.Dictionary({}, signature="sv")
		if a.pointer:
			x, y = (float(v) for v in a.pointer.split(","))
			p.rd.NotifyPointerMotionAbsolute(session, opts, dbus.UInt32(node), x, y)
			time.sleep(0.1)
		if a.click:
			p.rd.NotifyPointerButton(session, opts, BTN_LEFT, dbus.UInt32(1))
			time.sleep(0.05)
			p.rd.NotifyPointerButton(session, opts, BTN_LEFT, dbus.UInt32(0))
			time.sleep(0.3)
		if a.keysym:
			p.rd.NotifyKeyboardKeysym(session, opts, SHIFT_L, dbus.UInt32(1))
			p.rd.NotifyKeyboardKeysym(session, opts, SHIFT_L, dbus.UInt32(0))
			time.sleep(0.1)
		for k in a.keysym:
			p.rd.NotifyKeyboardKeysym(session, opts, int(k, 16), dbus.UInt32(1))
			p.rd.NotifyKeyboardKeysym(session, opts, int(k, 16), dbus.UInt32(0))
		say("input ok")

	if a.hold:
		loop = GLib.MainLoop()
		GLib.timeout_add(int(a.hold * 1000), loop.quit)
		loop.run()
	dbus.Interface(p.bus.get_object(BUS_NAME, session),
	    "org.freedesktop.portal.Session").Close()
	os.close(fd)
	say("closed")
	return 0


if __name__ == "__main__":
	try:
		sys.exit(main())
	except (dbus.DBusException, RuntimeError, subprocess.TimeoutExpired) as e:
		print("portal_probe: %s" % e, file=sys.stderr, flush=True)
		sys.exit(1)
