#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""portal_probe.py [--restore TOKEN] [--frame FILE | --stream TOOL OUT.ppm] [--until FILE2]
[--hold SECONDS]
- a client of the ScreenCast portal (org.freedesktop.portal.ScreenCast of
xdg-desktop-portal) on the session bus, written as the reference for the
master's own (t_wayland_portal_env runs it): it goes through the whole
exchange and prints what each step returned, a line each:

  version=4 source_types=1 cursor_modes=3      the interface's properties
  session=/org/freedesktop/portal/desktop/session/1_42/probe type=s
  cursor_mode=2                                what SelectSources asks for
  select=0                                     SelectSources' response code
  start=0 persist_mode=none restore_token=...  Start's response
  start_results=restore_token,streams          (all of its keys)
  stream node=42 size=1024x768 position=0,0 source_type=2
  remote_fd=ok                                 OpenPipeWireRemote
  linked state=running format=BGRx 1024x768 meta=... buffers=... stride=4096 data=MemFd
                                               with --frame: what was negotiated
  frame=FILE bytes=N                           with --frame: the pictures came
  closed=ok                                    Session.Close

--restore TOKEN hands SelectSources a restore token of an earlier Start;
--frame FILE takes pictures through the session with gstreamer (see
check_frame), --stream TOOL OUT.ppm with the master's own PipeWire stream
(TOOL is tests/tools/pw_portal_frame, see run_stream), until the first
came or, with --until, until FILE2 exists too; --hold keeps the session
for that long before closing it.

The exchange (the C client must do the same):
  1. Every method that takes a "handle_token" returns the object path of a
     Request at once; the answer comes later, as the Response(u code,
     a{sv} results) signal on that path. The path is known in advance:
     /org/freedesktop/portal/desktop/request/SENDER/TOKEN where SENDER is
     the caller's unique bus name without the ':' and with '.' made '_'.
     The match for the signal is added BEFORE the call, or a quick answer
     is lost. Code 0 is success, 1 the user cancelled, 2 anything else.
  2. CreateSession({handle_token, session_handle_token}) -> results
     {session_handle}, whose D-Bus type the "session=" line says (xdg-desktop-
     portal 1.16 sends a string, "s", not an object path).
  3. SelectSources(session, {handle_token, types: u (1 monitor), multiple:
     b, cursor_mode: u (one AvailableCursorModes has: 1 hidden, 2 embedded,
     4 metadata), persist_mode: u (version 4 and later; 2 = until revoked),
     restore_token: s (from an earlier Start)}) -> empty results.
  4. Start(session, parent_window "", {handle_token}) -> results {streams:
     a(ua{sv}) (node id; size (ii), position (ii), source_type u),
     restore_token: s (when persisting), persist_mode: u (the spec's; 1.16
     leaves it out)}.
  5. OpenPipeWireRemote(session, {}) -> h: a PipeWire socket that sees
     only the session's nodes; pw_context_connect_fd() on it, then a
     stream connected to the node id of step 4.
  6. Session.Close() ends it (so does leaving the bus).

What the stream is like here (xdg-desktop-portal 1.16, xdg-desktop-portal-wlr
0.7 on sway 1.7, PipeWire 0.3.65, WirePlumber 0.4.13), for the C client:
  - ScreenCast version 4, AvailableSourceTypes 1 (monitors only),
    AvailableCursorModes 3 (hidden, embedded: no cursor metadata; embedded
    paints the pointer into the picture). There is no RemoteDesktop portal
    for wlroots (wlr.portal declares ScreenCast and Screenshot only).
  - Start's streams carry size and position; source_type comes as 2 (the
    spec's "window") although the source is a monitor: do not rely on it.
  - The restore token comes back (persist_mode 2), the same one again from
    a restored session; Start's results have no persist_mode key.
  - One format: BGRx at the output's size, framerate 0/1 (variable) with
    maxFramerate 60/1, no modifier (shared memory only, MemFd buffers,
    2 to 32 of them, stride = width * 4 here). Metadata offered: Header,
    VideoTransform, VideoDamage (up to 4 rectangles); no Cursor, no
    VideoCrop.
  - The stream must say PW_KEY_MEDIA_TYPE "Video": WirePlumber links only
    streams whose media type matches the node's; one without is
    "Stream/Input/Unknown" and stays unlinked (destroyed, with
    node.dont-reconnect as gstreamer sets it). pw_stream_connect() with the node
    id as target works (node.target); target.object means the object
    serial, which differs from the id.
  - No picture comes while the screen is still, not even the first one,
    and pausing and resuming the stream does not bring one: the backend
    copies the screen with damage, and the compositor answers at its next
    change. The client must not give up waiting for a first picture.
  - These facts are pw-dump's on the user's own PipeWire socket (it cannot
    be handed the portal's connection).

Exit status: 0 when every step succeeded (and the pictures came), 1 with an
"error=STEP: why" line otherwise."""
import json
import os
import subprocess
import sys
import time

import dbus
import dbus.mainloop.glib
from gi.repository import GLib

BUS_NAME = "org.freedesktop.portal.Desktop"
OBJECT = "/org/freedesktop/portal/desktop"
SCREENCAST = "org.freedesktop.portal.ScreenCast"
REQUEST = "org.freedesktop.portal.Request"
TIMEOUT_S = 10


def fail(step, why):
    print("error=%s: %s" % (step, why), flush=True)
    sys.exit(1)


class Portal:
    def __init__(self):
        dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
        self.bus = dbus.SessionBus()
        self.obj = self.bus.get_object(BUS_NAME, OBJECT)
        self.cast = dbus.Interface(self.obj, SCREENCAST)
        self.sender = self.bus.get_unique_name()[1:].replace(".", "_")
        self.serial = 0

    def prop(self, name):
        return self.obj.Get(SCREENCAST, name, dbus_interface=dbus.PROPERTIES_IFACE)

    def request(self, step, method, *args, options=None):
        """Call METHOD with a fresh handle_token in its options (the last
        argument) and wait for the Response on the Request's path."""
        self.serial += 1
        token = "probe%d" % self.serial
        path = "%s/request/%s/%s" % (OBJECT, self.sender, token)
        answer = {}
        loop = GLib.MainLoop()

        def on_response(code, results):
            answer["code"] = int(code)
            answer["results"] = results
            loop.quit()

        match = self.bus.add_signal_receiver(on_response, "Response", REQUEST,
                                             BUS_NAME, path)
        opts = dict(options or {})
        opts["handle_token"] = token
        try:
            handle = method(*args, dbus.Dictionary(opts, signature="sv"))
        except dbus.DBusException as e:
            match.remove()
            fail(step, e.get_dbus_message())
        if str(handle) != path:
            # Portals older than 0.9 chose the path themselves.
            match.remove()
            match = self.bus.add_signal_receiver(on_response, "Response", REQUEST,
                                                 BUS_NAME, str(handle))
        GLib.timeout_add_seconds(TIMEOUT_S, loop.quit)
        loop.run()
        match.remove()
        if "code" not in answer:
            fail(step, "no Response in %d s" % TIMEOUT_S)
        return answer["code"], answer["results"]


def pw_params(node):
    """What PipeWire (pw-dump, on the user's own socket: it cannot be handed
    the portal's connection) says of the node while a stream is linked to
    it: the negotiated format, the metadata and buffers the port offers."""
    out = subprocess.run(["pw-dump"], capture_output=True, text=True, timeout=TIMEOUT_S)
    if out.returncode != 0:
        fail("pw-dump", out.stderr.strip()[-300:])
    objs = json.loads(out.stdout)
    words = []
    for o in objs:
        info = o.get("info") or {}
        props = info.get("props") or {}
        params = info.get("params") or {}
        if o.get("type", "").endswith(":Node") and o.get("id") == node:
            words.append("state=%s" % info.get("state"))
        if not o.get("type", "").endswith(":Port") or props.get("node.id") != node:
            continue
        for f in params.get("Format", []):
            words.append("format=%s %dx%d" % (f.get("format"), f["size"]["width"],
                                              f["size"]["height"]))
        words.append("meta=%s" % ",".join(m.get("type", "?") for m in params.get("Meta", [])))
        for b in params.get("Buffers", []):
            kinds = b.get("dataType", {})
            kinds = kinds.get("default", 0) if isinstance(kinds, dict) else kinds
            words.append("buffers=%s stride=%s data=%s" % (
                json.dumps(b.get("buffers")).replace(" ", ""), b.get("stride"),
                ",".join(n for bit, n in DATA_TYPES if kinds & (1 << bit)) or kinds))
    return " ".join(words)


# spa/buffer/buffer.h's data types, as the Buffers param's bit mask has them.
DATA_TYPES = ((1, "MemPtr"), (2, "MemFd"), (3, "DmaBuf"))


def check_frame(remote, node, frame, size, until):
    """Pictures through the portal's own PipeWire socket: gstreamer's
    pipewiresrc connects a stream to the node as the C client does (target:
    the node id; media.type Video, without which WirePlumber 0.4 takes the
    stream for "Stream/Input/Unknown", finds no target of that type and
    destroys it), and writes every picture to FILE (rows as negotiated, one
    after the other). Once the stream is linked, pw-dump says what was
    negotiated ("linked ..."). The portal's backend copies the screen only
    when it changed: on a still screen no picture comes until something
    draws. Ends at the first picture, or with UNTIL once that file exists
    and a picture came."""
    want = int(size[0]) * int(size[1]) * 4
    os.set_inheritable(remote, True)
    cmd = ["gst-launch-1.0", "-q", "pipewiresrc", "fd=%d" % remote, "path=%d" % node,
           "stream-properties=props,media.type=Video,media.category=Capture,"
           "media.role=Screen", "!", "filesink", "buffer-mode=unbuffered",
           "location=" + frame]
    # gstreamer's own words in FILE.log, whatever happens.
    with open(frame + ".log", "w") as log:
        gst = subprocess.Popen(cmd, pass_fds=(remote,), stdout=log, stderr=log)
        try:
            deadline = time.monotonic() + TIMEOUT_S
            linked = False
            while True:
                if gst.poll() is not None:
                    fail("frame", "gst-launch-1.0 ended with %d (%s.log)" %
                         (gst.returncode, frame))
                if not linked:
                    words = pw_params(node)
                    if "state=running" in words and "format=" in words:
                        print("linked %s" % words, flush=True)
                        linked = True
                got = os.path.getsize(frame) if os.path.exists(frame) else 0
                if got >= want and (until is None or os.path.exists(until)):
                    break
                if time.monotonic() > deadline:
                    fail("frame", "%s in %d s (%s.log)" % (
                        "no picture" if got < want else "no " + until, TIMEOUT_S, frame))
                time.sleep(0.05)
        finally:
            gst.terminate()
            try:
                gst.wait(5)
            except subprocess.TimeoutExpired:
                gst.kill()
                gst.wait()
    print("frame=%s bytes=%d" % (frame, os.path.getsize(frame)), flush=True)



def run_stream(remote, node, tool, out, until):
    """The master's own PipeWire stream (tests/tools/pw_portal_frame, on
    master/pipewire_stream.c) on the portal's connection: its lines
    ("format WxH", "nudged", "frame N WxH METHOD") go to stdout as they
    come. Ends once OUT (its newest picture) exists and, with UNTIL, that
    file too."""
    os.set_inheritable(remote, True)
    tool = subprocess.Popen([tool, str(remote), str(node), out, str(TIMEOUT_S * 3)],
                            pass_fds=(remote,))
    os.close(remote)
    try:
        deadline = time.monotonic() + TIMEOUT_S
        while not os.path.exists(out) or (until is not None and not os.path.exists(until)):
            if tool.poll() is not None:
                fail("stream", "pw_portal_frame ended with %d" % tool.returncode)
            if time.monotonic() > deadline:
                fail("stream", "no picture%s in %d s" % (
                    "" if os.path.exists(out) else " (or no " + str(until) + ")", TIMEOUT_S))
            time.sleep(0.05)
    finally:
        tool.terminate()
        try:
            tool.wait(5)
        except subprocess.TimeoutExpired:
            tool.kill()
            tool.wait()


def main():
    args = sys.argv[1:]
    restore = None
    frame = None
    hold = 0.0
    until = None
    stream = None
    while args:
        if args[0] == "--restore" and len(args) > 1:
            restore = args[1]
            args = args[2:]
        elif args[0] == "--frame" and len(args) > 1:
            frame = args[1]
            args = args[2:]
        elif args[0] == "--stream" and len(args) > 2:
            stream = (args[1], args[2])
            args = args[3:]
        elif args[0] == "--until" and len(args) > 1:
            until = args[1]
            args = args[2:]
        elif args[0] == "--hold" and len(args) > 1:
            hold = float(args[1])
            args = args[2:]
        else:
            sys.exit(__doc__)

    p = Portal()
    try:
        version = int(p.prop("version"))
        source_types = int(p.prop("AvailableSourceTypes"))
        cursor_modes = int(p.prop("AvailableCursorModes")) if version >= 2 else 0
    except dbus.DBusException as e:
        fail("properties", e.get_dbus_message())
    print("version=%d source_types=%d cursor_modes=%d" %
          (version, source_types, cursor_modes), flush=True)

    code, res = p.request("CreateSession", p.cast.CreateSession,
                          options={"session_handle_token": "probe"})
    if code != 0:
        fail("CreateSession", "response %d" % code)
    handle = res["session_handle"]
    session = dbus.ObjectPath(str(handle))
    kind = ("o" if isinstance(handle, dbus.ObjectPath) else
            "s" if isinstance(handle, dbus.String) else type(handle).__name__)
    print("session=%s type=%s" % (session, kind), flush=True)

    opts = {"types": dbus.UInt32(1), "multiple": dbus.Boolean(False)}
    if cursor_modes & 4:
        opts["cursor_mode"] = dbus.UInt32(4)      # metadata: the pointer apart
    elif cursor_modes & 2:
        opts["cursor_mode"] = dbus.UInt32(2)      # embedded in the picture
    if version >= 4:
        opts["persist_mode"] = dbus.UInt32(2)
        if restore:
            opts["restore_token"] = restore
    if "cursor_mode" in opts:
        print("cursor_mode=%d" % opts["cursor_mode"], flush=True)
    code, res = p.request("SelectSources", p.cast.SelectSources, session, options=opts)
    print("select=%d" % code, flush=True)
    if code != 0:
        fail("SelectSources", "response %d" % code)

    code, res = p.request("Start", p.cast.Start, session, "")
    if code != 0:
        fail("Start", "response %d" % code)
    print("start=0 persist_mode=%s restore_token=%s" %
          (int(res["persist_mode"]) if "persist_mode" in res else "none",
           str(res.get("restore_token", "none"))), flush=True)
    print("start_results=%s" % ",".join(sorted(str(k) for k in res.keys())), flush=True)
    streams = res.get("streams", [])
    if not streams:
        fail("Start", "no streams in the results")
    node = 0
    for nid, props in streams:
        node = node or int(nid)
        size = props.get("size", (0, 0))
        pos = props.get("position", (0, 0))
        print("stream node=%d size=%dx%d position=%d,%d source_type=%s" %
              (int(nid), int(size[0]), int(size[1]), int(pos[0]), int(pos[1]),
               int(props["source_type"]) if "source_type" in props else "none"),
              flush=True)

    try:
        fd = p.cast.OpenPipeWireRemote(session, dbus.Dictionary({}, signature="sv"))
    except dbus.DBusException as e:
        fail("OpenPipeWireRemote", e.get_dbus_message())
    remote = fd.take()
    print("remote_fd=ok", flush=True)

    if frame:
        check_frame(remote, node, frame, streams[0][1].get("size", (0, 0)), until)
    elif stream:
        run_stream(remote, node, stream[0], stream[1], until)
    if hold > 0:
        loop = GLib.MainLoop()
        GLib.timeout_add(int(hold * 1000), loop.quit)
        loop.run()
    try:
        dbus.Interface(p.bus.get_object(BUS_NAME, session),
                       "org.freedesktop.portal.Session").Close()
    except dbus.DBusException as e:
        fail("Close", e.get_dbus_message())
    print("closed=ok", flush=True)


if __name__ == "__main__":
    main()
