# Fernsicht: one non-recursive Makefile for every part. `make V=1` shows commands.
#
#   make          build/fernsicht-relay, build/fernsicht-master, build/fernsicht-viewer
#   make check    install missing packages, build, run every test (+ ASan/UBSan, fuzz)
#   make demo     install, build, run a local relay + master + viewer session
#   make bench    benchmarks, each against a peer measured in the same run
#   make fuzz     longer libFuzzer runs (clang)
#   make man      the man pages (scdoc), English and German, into build/man
#   make install  everything under DESTDIR + PREFIX (install-relay, -master, -viewer)
#   make deb      Debian packages (dpkg-buildpackage, in a copy) into build/deb
PKG_CONFIG ?= pkg-config
PREFIX     ?= /usr/local
LOCALEDIR  ?= $(PREFIX)/share/locale
BINDIR     ?= $(PREFIX)/bin
DATADIR    ?= $(PREFIX)/share
MANDIR     ?= $(DATADIR)/man
# The programs read /etc/fernsicht/*.conf whatever PREFIX is.
SYSCONFDIR ?= /etc
UNITDIR    ?= $(PREFIX)/lib/systemd/system
BUILD      ?= build
CC         ?= cc
# OPT is the optimisation and instrumentation part; `make asan` replaces it
# (replacing CFLAGS on the command line would drop the warnings and -MMD).
OPT        ?= -O2 -g
CFLAGS     += $(OPT) -std=gnu11 -Wall -Wextra -Wshadow -Wvla -Wformat=2 \
              -Wstrict-prototypes -Wmissing-prototypes -MMD -MP \
              -fstack-protector-strong -D_FORTIFY_SOURCE=2
CPPFLAGS   += -Iproto -Inet -Iendpoint -Igui -D_GNU_SOURCE
PKGS       := libsodium libzstd
X11_PKGS   := x11 xext xdamage xfixes xrandr xtst
# Wayland hosts (GNOME Mutter): the picture through PipeWire, the session
# and input through Mutter's D-Bus interfaces (sd-bus from libsystemd).
WAYLAND_PKGS := libpipewire-0.3 libsystemd
GUI_PKGS   := sdl2 SDL2_ttf
DEP_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) $(GUI_PKGS) 2>/dev/null)
# PipeWire's headers only where they are used: they are not -Wshadow clean
# everywhere, and the rest of the code has no business with them.
WAYLAND_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(WAYLAND_PKGS) 2>/dev/null)
DEP_LIBS   := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) -lm
MASTER_LIBS := $(shell $(PKG_CONFIG) --libs $(X11_PKGS) $(WAYLAND_PKGS) $(GUI_PKGS) 2>/dev/null)
VIEWER_LIBS := $(shell $(PKG_CONFIG) --libs $(GUI_PKGS) 2>/dev/null)
# The clients' transports (net/transport*.c); the relay does not link them.
CURL_LIBS   := $(shell $(PKG_CONFIG) --libs libcurl 2>/dev/null)
# The relay's TLS (relay/tls.c).
SSL_LIBS    := $(shell $(PKG_CONFIG) --libs openssl 2>/dev/null)
# The relay's cluster directory (relay/directory_redis*.c, relay/redis_*.c).
REDIS_LIBS  := $(shell $(PKG_CONFIG) --libs hiredis 2>/dev/null)

objs = $(patsubst %.c,$(BUILD)/%.o,$(wildcard $(1)/*.c))
PROTO_OBJS  := $(call objs,proto)
NET_OBJS    := $(call objs,net)
# What master and viewer share above the wire: channel routing, event lines.
ENDPOINT_OBJS := $(call objs,endpoint)
# The windows' shared widgets (SDL2, SDL2_ttf): text, buttons, chat, transfers.
GUI_OBJS    := $(call objs,gui)
RELAY_OBJS  := $(call objs,relay)
MASTER_OBJS := $(call objs,master)
VIEWER_OBJS := $(call objs,viewer)
UNIT_TESTS  := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(wildcard tests/unit/test_*.c))
TOOLS       := $(patsubst tests/tools/%.c,$(BUILD)/tools/%,$(wildcard tests/tools/*.c))
PROGRAMS    := $(BUILD)/fernsicht-relay $(BUILD)/fernsicht-master $(BUILD)/fernsicht-viewer \
               $(BUILD)/fernsicht-relayctl
# The relay's admin command line (relayctl/): libcurl, libsodium.
RELAYCTL_OBJS := $(call objs,relayctl)

Q := $(if $(filter 1,$(V)),,@)

# Translations (net/i18n.h): xgettext collects the marked strings of every
# part into $(BUILD)/po/fernsicht.pot; each po/LL.po is merged with it and
# compiled into $(BUILD)/locale/LL/LC_MESSAGES/fernsicht.mo, which the
# programs find beside themselves. A string without its translation, or a
# fuzzy one, stops the build (scripts/po-check.sh); `make po-update` merges
# new strings into po/*.po for a translator.
LINGUAS     := $(shell cat po/LINGUAS 2>/dev/null)
I18N_SOURCES := $(sort $(wildcard relay/*.c master/*.c viewer/*.c gui/*.c net/*.c endpoint/*.c \
                relayctl/*.c))
MO_FILES    := $(foreach l,$(LINGUAS),$(BUILD)/locale/$(l)/LC_MESSAGES/fernsicht.mo)
XGETTEXT_OPTS := --language=C --from-code=UTF-8 --add-comments=TRANSLATORS: \
                 --keyword=_ --keyword=N_ --keyword=P_:1c,2 --keyword=NG_:1,2 \
                 --package-name=fernsicht --msgid-bugs-address=fernsicht@localhost \
                 --no-location --sort-output

all: $(PROGRAMS) $(MO_FILES)

$(BUILD)/master/pipewire_stream.o $(BUILD)/master/mutter_session.o \
    $(BUILD)/master/capture_mutter.o $(BUILD)/master/inject_mutter.o: \
    DEP_CFLAGS += $(WAYLAND_CFLAGS)

# Only i18n.c needs to know where the catalogues get installed.
$(BUILD)/net/i18n.o: CPPFLAGS += -DLOCALEDIR='"$(LOCALEDIR)"'
# The version /metrics shows (build_info): debian/changelog's.
VERSION := $(shell sed -n '1s/^[^(]*(\([^)]*\)).*/\1/p' debian/changelog)
$(BUILD)/relay/metrics.o: CPPFLAGS += -DFERNSICHT_VERSION='"$(VERSION)"'

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(DEP_CFLAGS) -c -o $@ $<

# proto/: bytes in, bytes out (no sockets, files, environment or curl).
$(BUILD)/libproto.a: $(PROTO_OBJS)
	$(Q)rm -f $@
	$(Q)$(AR) rcs $@ $^

# net/: sockets, the link to a relay and its transports (libcurl), the
# clients' environment. Linked before libproto.a, which it uses.
$(BUILD)/libnet.a: $(NET_OBJS)
	$(Q)rm -f $@
	$(Q)$(AR) rcs $@ $^

# The relay takes only net/net.c's socket helpers from libnet.a (no curl).
$(BUILD)/fernsicht-relay: $(RELAY_OBJS) $(BUILD)/libnet.a $(BUILD)/libproto.a
	@echo "  LD      $@"
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(DEP_LIBS) $(SSL_LIBS) $(REDIS_LIBS)

# The relay's admin command line: signed requests through libcurl.
$(BUILD)/fernsicht-relayctl: $(RELAYCTL_OBJS) $(BUILD)/libnet.a $(BUILD)/libproto.a
	@echo "  LD      $@"
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(DEP_LIBS) $(CURL_LIBS)

# endpoint/: what master and viewer share above the wire format.
$(BUILD)/libendpoint.a: $(ENDPOINT_OBJS)
	$(Q)rm -f $@
	$(Q)$(AR) rcs $@ $^

# gui/: what both windows draw (text, buttons, the chat panel, the
# transfer list). Above endpoint/ (it shows files.h's rows), below the programs.
$(BUILD)/libgui.a: $(GUI_OBJS)
	$(Q)rm -f $@
	$(Q)$(AR) rcs $@ $^

$(BUILD)/fernsicht-master: $(MASTER_OBJS) $(BUILD)/libgui.a $(BUILD)/libendpoint.a \
    $(BUILD)/libnet.a $(BUILD)/libproto.a
	@echo "  LD      $@"
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(DEP_LIBS) $(MASTER_LIBS) $(CURL_LIBS)

$(BUILD)/fernsicht-viewer: $(VIEWER_OBJS) $(BUILD)/libgui.a $(BUILD)/libendpoint.a \
    $(BUILD)/libnet.a $(BUILD)/libproto.a
	@echo "  LD      $@"
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(DEP_LIBS) $(VIEWER_LIBS) $(CURL_LIBS)

# Unit tests may include relay/ sources' headers; they link relay objects
# except main.o so that relay modules can be tested alone.
RELAY_LIB_OBJS := $(filter-out $(BUILD)/relay/main.o,$(RELAY_OBJS))

# and the master's pure modules (no X, no SDL: its one-time code, its settings
# files), and gui/'s (utf8.c).
UNIT_MASTER_OBJS := $(BUILD)/master/code.o $(BUILD)/master/config.o $(BUILD)/gui/utf8.o
# and the viewer's: its settings files, its fernsicht:// links.
UNIT_VIEWER_OBJS := $(BUILD)/viewer/config.o $(BUILD)/viewer/link_url.o
$(BUILD)/tests/%: tests/unit/%.c tests/unit/test.h $(RELAY_LIB_OBJS) $(UNIT_MASTER_OBJS) \
    $(UNIT_VIEWER_OBJS) $(BUILD)/libendpoint.a $(BUILD)/libnet.a $(BUILD)/libproto.a
	@mkdir -p $(@D)
	@echo "  TEST    $@"
	$(Q)$(CC) $(CPPFLAGS) -Irelay -Imaster -Iviewer $(CFLAGS) -Wno-missing-prototypes \
	    $(DEP_CFLAGS) -o $@ $< $(RELAY_LIB_OBJS) $(UNIT_MASTER_OBJS) $(UNIT_VIEWER_OBJS) \
	    $(BUILD)/libendpoint.a \
	    $(BUILD)/libnet.a $(BUILD)/libproto.a $(DEP_LIBS) $(CURL_LIBS) $(SSL_LIBS) \
	    $(REDIS_LIBS)

# Test tools may draw the master's test pattern and use its X11 capture.
TOOL_OBJS := $(BUILD)/master/pattern.o $(BUILD)/master/capture.o \
             $(BUILD)/master/capture_x11.o $(BUILD)/master/ximage.o \
             $(BUILD)/master/capture_pattern.o \
             $(BUILD)/master/inject.o $(BUILD)/master/inject_x11.o \
             $(BUILD)/master/clip.o $(BUILD)/master/clip_x11.o \
             $(BUILD)/master/capture_mutter.o $(BUILD)/master/inject_mutter.o \
             $(BUILD)/master/mutter_session.o $(BUILD)/master/pipewire_stream.o
$(BUILD)/tools/%: tests/tools/%.c $(TOOL_OBJS) $(BUILD)/libnet.a $(BUILD)/libproto.a
	@mkdir -p $(@D)
	@echo "  TOOL    $@"
	$(Q)$(CC) $(CPPFLAGS) -Imaster $(CFLAGS) -Wno-missing-prototypes $(DEP_CFLAGS) \
	    -o $@ $< $(TOOL_OBJS) $(BUILD)/libnet.a $(BUILD)/libproto.a $(DEP_LIBS) \
	    $(MASTER_LIBS) $(CURL_LIBS)

# The Wayland test client: xdg-shell's client code, made by wayland-scanner
# from wayland-protocols' XML, and libwayland-client.
WL_PROTOCOLS := $(shell $(PKG_CONFIG) --variable=pkgdatadir wayland-protocols 2>/dev/null)
XDG_SHELL_XML := $(WL_PROTOCOLS)/stable/xdg-shell/xdg-shell.xml
$(BUILD)/gen/xdg-shell-client-protocol.h: $(XDG_SHELL_XML)
	@mkdir -p $(@D)
	$(Q)wayland-scanner client-header $< $@
$(BUILD)/gen/xdg-shell-protocol.c: $(XDG_SHELL_XML)
	@mkdir -p $(@D)
	$(Q)wayland-scanner private-code $< $@
$(BUILD)/tools/wl_paint: tests/tools/wl_paint.c $(BUILD)/gen/xdg-shell-client-protocol.h \
    $(BUILD)/gen/xdg-shell-protocol.c
	@mkdir -p $(@D)
	@echo "  TOOL    $@"
	$(Q)$(CC) -I$(BUILD)/gen $(CFLAGS) -Wno-missing-prototypes -o $@ $< \
	    $(BUILD)/gen/xdg-shell-protocol.c $(shell $(PKG_CONFIG) --libs wayland-client 2>/dev/null)

# The host window's demo links the window itself and SDL.
HOSTUI_DEMO_OBJS := $(BUILD)/master/hostui.o $(BUILD)/master/attention.o \
                    $(BUILD)/master/viewerlist.o $(BUILD)/master/prompt.o $(BUILD)/net/i18n.o
$(BUILD)/tools/hostui_demo: tests/tools/hostui_demo.c $(HOSTUI_DEMO_OBJS) $(BUILD)/libgui.a \
    $(BUILD)/libnet.a $(BUILD)/libproto.a
	@mkdir -p $(@D)
	@echo "  TOOL    $@"
	$(Q)$(CC) $(CPPFLAGS) -Imaster $(CFLAGS) -Wno-missing-prototypes $(DEP_CFLAGS) \
	    -o $@ $< $(HOSTUI_DEMO_OBJS) $(BUILD)/libgui.a $(BUILD)/libnet.a $(BUILD)/libproto.a \
	    $(DEP_LIBS) $(VIEWER_LIBS)

# The viewer window's demo links the window, its keymap, its side panel, its
# status line and SDL; libnet.a for the words (net/i18n.c).
DISPLAY_DEMO_OBJS := $(BUILD)/viewer/display.o $(BUILD)/viewer/keymap.o $(BUILD)/viewer/panel.o \
                     $(BUILD)/viewer/status.o
$(BUILD)/tools/display_demo: tests/tools/display_demo.c $(DISPLAY_DEMO_OBJS) $(BUILD)/libgui.a \
    $(BUILD)/libnet.a $(BUILD)/libproto.a
	@mkdir -p $(@D)
	@echo "  TOOL    $@"
	$(Q)$(CC) $(CPPFLAGS) -Iviewer $(CFLAGS) -Wno-missing-prototypes $(DEP_CFLAGS) \
	    -o $@ $< $(DISPLAY_DEMO_OBJS) $(BUILD)/libgui.a $(BUILD)/libnet.a $(BUILD)/libproto.a \
	    $(DEP_LIBS) $(VIEWER_LIBS)

tests: $(UNIT_TESTS) $(TOOLS)

$(BUILD)/po/fernsicht.pot: $(I18N_SOURCES)
	@mkdir -p $(@D)
	@echo "  XGETTEXT $@"
	$(Q)xgettext $(XGETTEXT_OPTS) -o $@.tmp $^ && mv $@.tmp $@

$(BUILD)/locale/%/LC_MESSAGES/fernsicht.mo: po/%.po $(BUILD)/po/fernsicht.pot scripts/po-check.sh
	@mkdir -p $(@D)
	@echo "  MSGFMT  $@"
	$(Q)sh scripts/po-check.sh $< $(BUILD)/po/fernsicht.pot $(BUILD)/po/$*.po
	$(Q)msgfmt --check -o $@ $(BUILD)/po/$*.po

po-update: $(BUILD)/po/fernsicht.pot
	$(Q)for l in $(LINGUAS); do msgmerge -q --update --backup=none po/$$l.po $<; done

deps:
	$(Q)sh scripts/deps.sh

# Every phase of `make check` is counted by tests/check.sh, which ends with
# one line "check: N passed, N failed".
check: deps
	$(Q)$(MAKE) --no-print-directory all tests
	$(Q)sh tests/check.sh

# The same unit and integration tests, built with ASan + UBSan.
asan:
	$(Q)$(MAKE) --no-print-directory BUILD=build-asan \
	    OPT="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer" \
	    all tests

FUZZERS := $(patsubst tests/fuzz/%.c,build-fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_CFLAGS := -O1 -g -fsanitize=fuzzer,address,undefined -fno-omit-frame-pointer
# Fuzzers link proto/ only: pure code, no sockets and no curl.
FUZZ_PROTO := $(patsubst proto/%.c,build-fuzz/proto/%.o,$(wildcard proto/*.c))

build-fuzz/proto/%.o: proto/%.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)clang $(CPPFLAGS) -std=gnu11 -O1 -g -fsanitize=fuzzer-no-link,address,undefined \
	    -fno-omit-frame-pointer $(DEP_CFLAGS) -c -o $@ $<

build-fuzz/%: tests/fuzz/%.c $(FUZZ_PROTO)
	@mkdir -p $(@D)
	@echo "  FUZZ    $@"
	$(Q)clang $(CPPFLAGS) -std=gnu11 $(FUZZ_CFLAGS) $(DEP_CFLAGS) -o $@ $< \
	    $(FUZZ_PROTO) $(DEP_LIBS)

.SECONDARY: $(FUZZ_PROTO)
fuzzers: $(FUZZERS)

fuzz: deps fuzzers
	$(Q)FUZZ_SECONDS=$${FUZZ_SECONDS:-60} sh tests/fuzz/run.sh

demo: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)sh scripts/demo.sh

bench: deps
	$(Q)$(MAKE) --no-print-directory all tests
	$(Q)sh tests/bench/run.sh

# Man pages: man/NAME.S.scd (English) and man/de/NAME.S.scd (German),
# written in scdoc, become $(BUILD)/man/NAME.S and NAME.de.S (the
# translated page's name as Debian's dh_installman reads it).
MAN_EN := $(patsubst man/%.scd,$(BUILD)/man/%,$(wildcard man/*.scd))
MAN_DE := $(foreach f,$(wildcard man/de/*.scd),\
    $(BUILD)/man/$(basename $(basename $(notdir $(f)))).de$(suffix $(basename $(f))))
MAN_PAGES := $(MAN_EN) $(MAN_DE)

$(BUILD)/man/%: man/%.scd
	@mkdir -p $(@D)
	@echo "  SCDOC   $@"
	$(Q)scdoc <$< >$@.tmp && mv $@.tmp $@

$(BUILD)/man/%.de.1: man/de/%.1.scd
	@mkdir -p $(@D)
	@echo "  SCDOC   $@"
	$(Q)scdoc <$< >$@.tmp && mv $@.tmp $@

$(BUILD)/man/%.de.8: man/de/%.8.scd
	@mkdir -p $(@D)
	@echo "  SCDOC   $@"
	$(Q)scdoc <$< >$@.tmp && mv $@.tmp $@

man: $(MAN_PAGES)

# The windows' icons: packaging/icons/*.svg, and a 48x48 PNG of each for
# desktops that take no SVG.
ICONS_PNG := $(patsubst packaging/icons/%.svg,$(BUILD)/icons/48x48/%.png,\
    $(wildcard packaging/icons/*.svg))

$(BUILD)/icons/48x48/%.png: packaging/icons/%.svg
	@mkdir -p $(@D)
	@echo "  RSVG    $@"
	$(Q)rsvg-convert -w 48 -h 48 -o $@ $<

icons: $(ICONS_PNG)

# install-relay, install-master and install-viewer install one program
# each with its man pages and settings file; install-locale the
# catalogues all three use. A settings file that exists is never
# overwritten: it holds an administrator's settings.
INSTALL_CONF = f=$(DESTDIR)$(SYSCONFDIR)/$(2); \
	if [ -e "$$f" ]; then echo "  KEEP    $$f"; else install -D -m 644 $(1) "$$f"; fi

install-relay: $(BUILD)/fernsicht-relay $(BUILD)/man/fernsicht-relay.8 \
    $(BUILD)/man/fernsicht-relay.de.8 $(BUILD)/fernsicht-relayctl \
    $(BUILD)/man/fernsicht-relayctl.1 $(BUILD)/man/fernsicht-relayctl.de.1
	install -D -m 755 $(BUILD)/fernsicht-relay $(DESTDIR)$(BINDIR)/fernsicht-relay
	install -D -m 755 $(BUILD)/fernsicht-relayctl $(DESTDIR)$(BINDIR)/fernsicht-relayctl
	install -D -m 644 $(BUILD)/man/fernsicht-relayctl.1 \
	    $(DESTDIR)$(MANDIR)/man1/fernsicht-relayctl.1
	install -D -m 644 $(BUILD)/man/fernsicht-relayctl.de.1 \
	    $(DESTDIR)$(MANDIR)/de/man1/fernsicht-relayctl.1
	install -D -m 644 $(BUILD)/man/fernsicht-relay.8 $(DESTDIR)$(MANDIR)/man8/fernsicht-relay.8
	install -D -m 644 $(BUILD)/man/fernsicht-relay.de.8 \
	    $(DESTDIR)$(MANDIR)/de/man8/fernsicht-relay.8
	install -d $(DESTDIR)$(UNITDIR)
	sed 's|/usr/bin/fernsicht-relay|$(BINDIR)/fernsicht-relay|' \
	    packaging/fernsicht-relay.service >$(DESTDIR)$(UNITDIR)/fernsicht-relay.service
	chmod 644 $(DESTDIR)$(UNITDIR)/fernsicht-relay.service
	$(call INSTALL_CONF,packaging/fernsicht-relay.default,default/fernsicht-relay)
	$(call INSTALL_CONF,packaging/relay.conf,fernsicht/relay.conf)

# The two windows' programs: each with its man pages, settings file,
# desktop file and icons.
install-master install-viewer: install-%: $(BUILD)/fernsicht-% $(BUILD)/man/fernsicht-%.1 \
    $(BUILD)/man/fernsicht-%.de.1 $(BUILD)/icons/48x48/fernsicht-%.png
	install -D -m 755 $(BUILD)/fernsicht-$* $(DESTDIR)$(BINDIR)/fernsicht-$*
	install -D -m 644 $(BUILD)/man/fernsicht-$*.1 $(DESTDIR)$(MANDIR)/man1/fernsicht-$*.1
	install -D -m 644 $(BUILD)/man/fernsicht-$*.de.1 $(DESTDIR)$(MANDIR)/de/man1/fernsicht-$*.1
	install -D -m 644 packaging/fernsicht-$*.desktop \
	    $(DESTDIR)$(DATADIR)/applications/fernsicht-$*.desktop
	install -D -m 644 packaging/icons/fernsicht-$*.svg \
	    $(DESTDIR)$(DATADIR)/icons/hicolor/scalable/apps/fernsicht-$*.svg
	install -D -m 644 $(BUILD)/icons/48x48/fernsicht-$*.png \
	    $(DESTDIR)$(DATADIR)/icons/hicolor/48x48/apps/fernsicht-$*.png
	$(call INSTALL_CONF,packaging/$*.conf,fernsicht/$*.conf)

install-locale: $(MO_FILES)
	for l in $(LINGUAS); do \
		install -D -m 644 $(BUILD)/locale/$$l/LC_MESSAGES/fernsicht.mo \
		    $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/fernsicht.mo; \
	done

install: install-relay install-master install-viewer install-locale

# Debian 12 packages (debian/): built by dpkg-buildpackage in a copy of
# this tree under build-deb/, so that PREFIX=/usr and the packaging's
# flags never mix with the objects in $(BUILD); the .debs end in build/deb
# (no -dbgsym packages; DEB_JOBS=N for another -j than 2).
DEB_SRC := build-deb/fernsicht
deb:
	$(Q)rm -rf build-deb && mkdir -p $(DEB_SRC) build/deb
	$(Q)tar -cf - --exclude=./build --exclude='./build-*' --exclude=./.git . | \
	    tar -xf - -C $(DEB_SRC)
	$(Q)cd $(DEB_SRC) && DEB_BUILD_OPTIONS="noautodbgsym $${DEB_BUILD_OPTIONS:-}" \
	    dpkg-buildpackage -us -uc -b -j$${DEB_JOBS:-2} \
	    >../dpkg-buildpackage.log 2>&1 || { tail -40 ../dpkg-buildpackage.log; exit 1; }
	$(Q)rm -f build/deb/*.deb && cp build-deb/*.deb build/deb/
	@ls build/deb/*.deb

clean:
	rm -rf build build-asan build-fuzz build-deb

.PHONY: all tests deps check asan fuzzers fuzz demo bench man icons install install-relay \
    install-master install-viewer install-locale deb clean po-update
-include $(PROTO_OBJS:.o=.d) $(NET_OBJS:.o=.d) $(ENDPOINT_OBJS:.o=.d) $(GUI_OBJS:.o=.d) $(RELAY_OBJS:.o=.d) $(RELAYCTL_OBJS:.o=.d) $(MASTER_OBJS:.o=.d) $(VIEWER_OBJS:.o=.d)
