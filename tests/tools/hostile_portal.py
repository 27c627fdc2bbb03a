#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""hostile_portal.py MODE - a stand-in for xdg-desktop-portal (a mock, named
so: the real portal does not misbehave on request) that takes the name
org.freedesktop.portal.Desktop on the session bus and answers the
master's --source portal wrongly on purpose, one way per MODE:

  ok            a correct ScreenCast session (no RemoteDesktop); the node
                and PipeWire fd it hands out lead nowhere (the fd is one
                end of a socket pair, not PipeWire)
  handle-type   CreateSession's session_handle is a number, not a string
  handle-long   CreateSession's session_handle is a 400-byte path
  no-streams    Start answers 0 with an empty stream list
  streams-type  Start's streams is a string
  streams-deep  Start's streams entry carries properties of wrong types
  response-2    Start answers 2 (an error in the portal)
  cancel        SelectSources answers 1 (the user said no)
  silent        CreateSession never answers
  closed        the session is Closed before Start answers
  spoof         another connection sends Start's Response first (code 0,
                a stream), then the portal answers 1: the spoofed answer
                must not count
  other-path    the Request path differs from the one the caller made
                (as portals before 0.9 did); answers there: a session, a
                source, then no at Start (the answers were heard)
  no-screencast the name without the ScreenCast interface

It prints "ready" once it owns the name, and a line per call it got.
"""
import os
import socket
import sys

import dbus
import dbus.mainloop.glib
import dbus.service
from gi.repository import GLib

NAME = "org.freedesktop.portal.Desktop"
PATH = "/org/freedesktop/portal/desktop"
SC = "org.freedesktop.portal.ScreenCast"
RD = "org.freedesktop.portal.RemoteDesktop"
REQUEST = "org.freedesktop.portal.Request"
SESSION = "org.freedesktop.portal.Session"
PROPS = "org.freedesktop.DBus.Properties"

mode = sys.argv[1]
dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
bus = dbus.SessionBus()
spoofer = dbus.bus.BusConnection(os.environ["DBUS_SESSION_BUS_ADDRESS"]) \
    if mode == "spoof" else None
keep = []       # exported objects and sockets stay alive
said = lambda *a: (print(*a), sys.stdout.flush())


class Request(dbus.service.Object):
    @dbus.service.signal(REQUEST, signature="ua{sv}")
    def Response(self, code, results):
        pass


class Session(dbus.service.Object):
    @dbus.service.signal(SESSION, signature="a{sv}")
    def Closed(self, details):
        pass

    @dbus.service.method(SESSION, in_signature="", out_signature="")
    def Close(self):
        said("Close")


def request_path(sender, token):
    return "%s/request/%s/%s" % (PATH, sender[1:].replace(".", "_"), token)


def answer(path, code, results, conn=None, delay=50):
    def send():
        r = Request(conn or bus, path)
        keep.append(r)
        r.Response(dbus.UInt32(code), dbus.Dictionary(results, signature="sv"))
        return False
    GLib.timeout_add(delay, send)
    return dbus.ObjectPath(path)


class Portal(dbus.service.Object):
    @dbus.service.method(PROPS, in_signature="ss", out_signature="v")
    def Get(self, iface, prop):
        if iface == SC and mode != "no-screencast":
            return {"version": dbus.UInt32(4), "AvailableSourceTypes": dbus.UInt32(1),
                    "AvailableCursorModes": dbus.UInt32(3)}[prop]
        raise dbus.exceptions.DBusException("No such interface '%s'" % iface,
                                            name="org.freedesktop.DBus.Error.InvalidArgs")

    @dbus.service.method(SC, in_signature="a{sv}", out_signature="o", sender_keyword="sender")
    def CreateSession(self, options, sender=None):
        said("CreateSession")
        path = request_path(sender, options["handle_token"])
        session = "%s/session/%s/%s" % (PATH, sender[1:].replace(".", "_"),
                                       options["session_handle_token"])
        keep.append(Session(bus, session))
        if mode == "silent":
            return dbus.ObjectPath(path)
        if mode == "other-path":
            path = PATH + "/request/elsewhere/1"
        handle = {"handle-type": dbus.UInt32(7),
                  "handle-long": dbus.String("/" + "x" * 400)}.get(mode, dbus.String(session))
        return answer(path, 0, {"session_handle": handle})

    @dbus.service.method(SC, in_signature="oa{sv}", out_signature="o", sender_keyword="sender")
    def SelectSources(self, session, options, sender=None):
        said("SelectSources")
        path = request_path(sender, options["handle_token"])
        if mode == "other-path":
            path = PATH + "/request/elsewhere/2"
        return answer(path, 1 if mode == "cancel" else 0, {})

    @dbus.service.method(SC, in_signature="osa{sv}", out_signature="o", sender_keyword="sender")
    def Start(self, session, parent, options, sender=None):
        said("Start")
        path = request_path(sender, options["handle_token"])
        props = {"size": dbus.Struct((640, 480), signature="ii"),
                 "position": dbus.Struct((0, 0), signature="ii")}
        good = dbus.Array([dbus.Struct((dbus.UInt32(4242), props), signature="ua{sv}")],
                          signature="(ua{sv})")
        if mode == "closed":
            for o in keep:
                if isinstance(o, Session):
                    o.Closed({})
            return answer(path, 0, {"streams": good}, delay=500)
        if mode == "spoof":
            answer(path, 0, {"streams": good}, conn=spoofer, delay=10)
            return answer(path, 1, {}, delay=700)
        if mode == "other-path":
            return answer(PATH + "/request/elsewhere/3", 1, {})
        results = {"no-streams": {"streams": dbus.Array([], signature="(ua{sv})")},
                   "streams-type": {"streams": dbus.String("node 4242")},
                   "streams-deep": {"streams": dbus.Array([dbus.Struct(
                       (dbus.UInt32(4242), {"position": dbus.String("0,0")}),
                       signature="ua{sv}")], signature="(ua{sv})")},
                   }.get(mode, {"streams": good})
        return answer(path, 2 if mode == "response-2" else 0, results)

    @dbus.service.method(SC, in_signature="oa{sv}", out_signature="h")
    def OpenPipeWireRemote(self, session, options):
        said("OpenPipeWireRemote")
        a, b = socket.socketpair()
        keep.append(a)
        return dbus.types.UnixFd(b)


Portal(bus, PATH)
keep.append(dbus.service.BusName(NAME, bus))
said("ready")
GLib.MainLoop().run()
