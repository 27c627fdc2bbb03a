#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""hostile_mutter_clip.py MODE - a stand-in for GNOME Mutter's
RemoteDesktop and ScreenCast (a mock, named so: the real Mutter does not
misbehave on request) with a clipboard that answers wrongly on purpose,
for master/clip_mutter.c through tests/tools/x11_clip --source mutter.

It gives a session as Mutter does (CreateSession, SessionId, a linked
screen cast, RecordMonitor, Start, PipeWireStreamAdded), then, once the
clipboard is enabled, does MODE's wrong thing and after it one right
thing, so that a client that survived shows it still works:

  watch modes (x11_clip watch): a copy by the host, announced wrongly or
  read wrongly; then (after that read was answered) the right copy of
  "vom Mock", its text read through a pipe. Each SelectionRead prints
  "SelectionRead TYPE".
    types-string   mime-types as a string, not a list
    types-many     100000 types, the only text type last
    owner-bad      the signal's arguments of the wrong type
    read-no-fd     SelectionRead answers without a pipe
    read-stall     SelectionRead's pipe stays open and empty
    read-huge      SelectionRead's pipe carries 1 MiB
  serve modes (x11_clip serve TEXT): pastes of the client's text; each
  pipe read to its end prints "pasted serial=N bytes=N"; then the host
  copies (the right copy above), which ends serve.
    transfer-flood 100 SelectionTransfer signals at once
    write-stall    pastes 1 and 2 at once, the first one's pipe never
                   read; paste 3 half a second later
    write-no-fd    SelectionWrite answers paste 1 without a pipe, then
                   paste 2

It prints "ready" once it owns the names.
"""
import os
import signal as signals
import sys

import dbus
import dbus.lowlevel
import dbus.mainloop.glib
import dbus.service
from gi.repository import GLib

RD = "org.gnome.Mutter.RemoteDesktop"
SC = "org.gnome.Mutter.ScreenCast"
RD_SESSION_PATH = "/org/gnome/Mutter/RemoteDesktop/Session/u1"
SC_SESSION_PATH = "/org/gnome/Mutter/ScreenCast/Session/u1"
STREAM_PATH = "/org/gnome/Mutter/ScreenCast/Stream/u1"
PROPS = "org.freedesktop.DBus.Properties"
TEXT = "text/plain;charset=utf-8"

mode = sys.argv[1]
signals.signal(signals.SIGCHLD, signals.SIG_IGN)     # pipe_with's writers reap themselves
dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
bus = dbus.SessionBus()
state = {"reads": 0, "writes": 0, "kept": [], "pasted": 0}


def say(line):
    print(line)
    sys.stdout.flush()


def reply(call, signature, *values):
    """Answer call with exactly this signature (dbus-python's decorator
    would otherwise insist on its own)."""
    msg = dbus.lowlevel.MethodReturnMessage(call)
    if signature:
        msg.append(signature=signature, *values)
    bus.send_message(msg)


def signal(path, iface, member, signature, *values):
    msg = dbus.lowlevel.SignalMessage(path, iface, member)
    msg.append(signature=signature, *values)
    bus.send_message(msg)


def owner(types, own=False):
    """SelectionOwnerChanged as Mutter 43 sends it: the types in (as)."""
    signal(RD_SESSION_PATH, RD + ".Session", "SelectionOwnerChanged", "a{sv}",
           dbus.Dictionary({"mime-types": dbus.Struct((dbus.Array(types, signature="s"),),
                                                      signature="as"),
                            "session-is-owner": dbus.Boolean(own)},
                           signature="sv"))


def pipe_with(data):
    """The read end of a pipe that carries data and then ends."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        try:
            os.write(w, data)
        except OSError:
            pass
        os._exit(0)
    os.close(w)
    return r


def wrong_owner():
    if mode == "types-string":
        signal(RD_SESSION_PATH, RD + ".Session", "SelectionOwnerChanged", "a{sv}",
               dbus.Dictionary({"mime-types": dbus.String(TEXT)},
                               signature="sv"))
    elif mode == "types-many":
        owner(["image/x-%d" % i for i in range(100000)] + [TEXT])
    elif mode == "owner-bad":
        signal(RD_SESSION_PATH, RD + ".Session", "SelectionOwnerChanged", "s", TEXT)
    else:
        owner([TEXT, "text/plain"])


def right_owner():
    owner(["image/png", TEXT, "STRING"])
    return False


class Session(dbus.service.Object):
    @dbus.service.method(PROPS, in_signature="ss", out_signature="v")
    def Get(self, iface, prop):
        return dbus.String("mock-session-id") if prop == "SessionId" else dbus.UInt32(1)

    @dbus.service.method(RD + ".Session", in_signature="", out_signature="")
    def Start(self):
        GLib.timeout_add(50, lambda: signal(STREAM_PATH, SC + ".Stream",
                                            "PipeWireStreamAdded", "u", dbus.UInt32(42)))

    @dbus.service.method(RD + ".Session", in_signature="", out_signature="")
    def Stop(self):
        pass

    @dbus.service.method(RD + ".Session", in_signature="ub", out_signature="")
    def NotifyKeyboardKeysym(self, keysym, pressed):
        pass

    @dbus.service.method(RD + ".Session", in_signature="a{sv}", out_signature="")
    def EnableClipboard(self, options):
        say("EnableClipboard")
        if mode.startswith("transfer") or mode.startswith("write"):
            return
        GLib.timeout_add(100, lambda: wrong_owner() or False)
        if not mode.startswith("read"):
            GLib.timeout_add(800, right_owner)

    @dbus.service.method(RD + ".Session", in_signature="a{sv}", out_signature="")
    def SetSelection(self, options):
        say("SetSelection")
        n = 100 if mode == "transfer-flood" else 2
        for serial in range(1, n + 1):
            transfer(serial)
        if mode == "write-stall":
            GLib.timeout_add(500, lambda: transfer(3) or False)
        GLib.timeout_add(1200, right_owner)

    @dbus.service.method(RD + ".Session", in_signature="s", out_signature="",
                         message_keyword="call")
    def SelectionRead(self, mime, call=None):
        say("SelectionRead " + mime)
        state["reads"] += 1
        if state["reads"] == 1 and mode.startswith("read"):
            GLib.timeout_add(100, right_owner)      # once this read was answered
        if state["reads"] > 1 or mode.startswith("types") or mode == "owner-bad":
            reply(call, "h", dbus.types.UnixFd(pipe_with("vom Mock".encode())))
        elif mode == "read-no-fd":
            reply(call, "s", "no pipe")
        elif mode == "read-stall":
            r, w = os.pipe()
            state["kept"].append(w)         # open, never written
            reply(call, "h", dbus.types.UnixFd(r))
            os.close(r)
        elif mode == "read-huge":
            reply(call, "h", dbus.types.UnixFd(pipe_with(b"a" * (1 << 20))))
        else:
            reply(call, "h", dbus.types.UnixFd(pipe_with("vom Mock".encode())))

    @dbus.service.method(RD + ".Session", in_signature="u", out_signature="",
                         message_keyword="call")
    def SelectionWrite(self, serial, call=None):
        state["writes"] += 1
        first = state["writes"] == 1
        if mode == "write-no-fd" and first:
            reply(call, "s", "no pipe")
            return
        r, w = os.pipe()
        reply(call, "h", dbus.types.UnixFd(w))
        os.close(w)
        if mode == "write-stall" and serial == 1:
            state["kept"].append(r)         # never read: the writer must give up
            return
        GLib.io_add_watch(r, GLib.IO_IN | GLib.IO_HUP, read_paste, (serial, []))

    @dbus.service.method(RD + ".Session", in_signature="ub", out_signature="")
    def SelectionWriteDone(self, serial, success):
        say("SelectionWriteDone %d %s" % (serial, "true" if success else "false"))


def read_paste(fd, cond, paste):
    serial, chunks = paste
    data = os.read(fd, 1 << 16)
    if data:
        chunks.append(data)
        return True
    os.close(fd)
    say("pasted serial=%d bytes=%d" % (serial, len(b"".join(chunks))))
    return False


def transfer(serial):
    signal(RD_SESSION_PATH, RD + ".Session", "SelectionTransfer", "su", TEXT,
           dbus.UInt32(serial))


class RemoteDesktop(dbus.service.Object):
    @dbus.service.method(RD, in_signature="", out_signature="o")
    def CreateSession(self):
        return dbus.ObjectPath(RD_SESSION_PATH)


class ScreenCast(dbus.service.Object):
    @dbus.service.method(SC, in_signature="a{sv}", out_signature="o")
    def CreateSession(self, options):
        return dbus.ObjectPath(SC_SESSION_PATH)


class ScreenCastSession(dbus.service.Object):
    @dbus.service.method(SC + ".Session", in_signature="sa{sv}", out_signature="o")
    def RecordMonitor(self, connector, options):
        return dbus.ObjectPath(STREAM_PATH)


names = [dbus.service.BusName(RD, bus), dbus.service.BusName(SC, bus)]
RemoteDesktop(bus, "/org/gnome/Mutter/RemoteDesktop")
ScreenCast(bus, "/org/gnome/Mutter/ScreenCast")
Session(bus, RD_SESSION_PATH)
ScreenCastSession(bus, SC_SESSION_PATH)
say("ready")
GLib.MainLoop().run()
