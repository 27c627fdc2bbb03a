#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""hostile_mutter.py MODE - a stand-in for GNOME Mutter's DisplayConfig (a
mock, named so: the real Mutter does not misbehave on request) that takes
the name org.gnome.Mutter.DisplayConfig on the session bus and answers the
master's --source mutter --monitor N with GetCurrentState wrongly on
purpose, one way per MODE:

  two            a right answer: two monitors, both switched on
  string         a string instead of the state
  short          the serial only
  monitors-type  the monitors' list of the wrong type
  empty          a monitor whose connector is empty
  long           a monitor whose connector is 300 bytes
  many           300 monitors, all switched on (the master counts 16)
  off            two monitors, none in a logical monitor (all off)
  logical-type   a logical monitor of the wrong types
  error          a D-Bus error

It takes no RemoteDesktop or ScreenCast name, so a lookup that passes
ends at "Mutter does not answer". It prints "ready" once it owns the
name, and "GetCurrentState" for each call.
"""
import sys

import dbus
import dbus.lowlevel
import dbus.mainloop.glib
import dbus.service
from gi.repository import GLib

NAME = "org.gnome.Mutter.DisplayConfig"
PATH = "/org/gnome/Mutter/DisplayConfig"

mode = sys.argv[1]
dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
bus = dbus.SessionBus()


def monitor(connector):
    """One monitor: (ssss) spec, its modes, its properties."""
    spec = dbus.Struct((connector, "MetaProducts Inc.", "MetaMonitor", "0x123456"),
                       signature="ssss")
    modes = dbus.Array([dbus.Struct(("1280x800@60", 1280, 800, 60.0, 1.0,
                                     dbus.Array([1.0], signature="d"),
                                     dbus.Dictionary({}, signature="sv")),
                                    signature="siiddada{sv}")],
                       signature="(siiddada{sv})")
    return dbus.Struct((spec, modes, dbus.Dictionary({}, signature="sv")),
                       signature="(ssss)a(siiddada{sv})a{sv}")


def logical(connectors):
    specs = dbus.Array([dbus.Struct((c, "MetaProducts Inc.", "MetaMonitor", "0x123456"),
                                    signature="ssss") for c in connectors],
                       signature="(ssss)")
    return dbus.Struct((0, 0, 1.0, dbus.UInt32(0), True, specs,
                        dbus.Dictionary({}, signature="sv")),
                       signature="iiduba(ssss)a{sv}")


class DisplayConfig(dbus.service.Object):
    @dbus.service.method(NAME, in_signature="", out_signature="",
                         async_callbacks=("ok", "err"), message_keyword="call")
    def GetCurrentState(self, ok, err, call=None):
        print("GetCurrentState")
        sys.stdout.flush()
        names = {"empty": ["Meta-0", ""], "long": ["Meta-0", "M" * 300],
                 "many": ["Meta-%d" % i for i in range(300)]}.get(mode, ["Meta-0", "Meta-1"])
        mons = dbus.Array([monitor(n) for n in names],
                          signature="((ssss)a(siiddada{sv})a{sv})")
        logs = dbus.Array([] if mode == "off" else [logical(names)],
                          signature="(iiduba(ssss)a{sv})")
        props = dbus.Dictionary({}, signature="sv")
        if mode == "error":
            err(dbus.exceptions.DBusException("no state today",
                                              name="org.freedesktop.DBus.Error.Failed"))
        elif mode == "string":
            ok_with("s", ["not a state"], call)
        elif mode == "short":
            ok_with("u", [dbus.UInt32(1)], call)
        elif mode == "monitors-type":
            ok_with("uasa(iiduba(ssss)a{sv})a{sv}",
                    [dbus.UInt32(1), dbus.Array(["Meta-0"], signature="s"), logs, props], call)
        elif mode == "logical-type":
            ok_with("ua((ssss)a(siiddada{sv})a{sv})a(ssss)a{sv}",
                    [dbus.UInt32(1), mons,
                     dbus.Array([dbus.Struct(("a", "b", "c", "d"), signature="ssss")],
                                signature="(ssss)"), props], call)
        else:
            ok_with("ua((ssss)a(siiddada{sv})a{sv})a(iiduba(ssss)a{sv})a{sv}",
                    [dbus.UInt32(1), mons, logs, props], call)


def ok_with(signature, values, call):
    """Reply to call with exactly this signature (dbus-python's method
    decorator would otherwise insist on its own)."""
    msg = dbus.lowlevel.MethodReturnMessage(call)
    msg.append(signature=signature, *values)
    bus.send_message(msg)


name = dbus.service.BusName(NAME, bus)
DisplayConfig(bus, PATH)
print("ready")
sys.stdout.flush()
GLib.MainLoop().run()
