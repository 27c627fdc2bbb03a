/* SPDX-License-Identifier: Apache-2.0 */
/*
 * usage.c - fernsicht-viewer's --help text (usage.h), in the reader's
 * language: every line a person reads before the program does anything.
 */
#include <stdio.h>

#include "config.h"
#include "i18n.h"
#include "limits.h"
#include "transport.h"
#include "drop_command.h"
#include "usage.h"

void
viewer_usage(FILE *f)
{
	/* TRANSLATORS: --help, part 1 of 2. Keep the options as they are and
	 * the descriptions in the column where they begin (24). */
	fprintf(f, _(
	    "usage: fernsicht-viewer --relay HOST[:PORT] SESSION --code CODE [options]\n"
	    "       fernsicht-viewer --direct HOST:PORT [SESSION] --code CODE [options]\n"
	    "       fernsicht-viewer [--relay HOST[:PORT]] [options]   (the start window asks)\n"
	    "       fernsicht-viewer fernsicht://HOST[:PORT]/SESSION [options]   (a link: the\n"
	    "                        start window asks for the code)\n"
	    "  --relay HOST[:PORT]   relay the host uses (port %d by default), or several:\n"
	    "                        A,B,C (at most %d; the first to answer is used, and\n"
	    "                        tried first next time on this network); default:\n"
	    "                        relay = in ~/.config/fernsicht/viewer.conf, else in\n"
	    "                        %s (also transport, proxy,\n"
	    "                        proxy-user, ca-file, name; the command line wins)\n"),
	    RELAY_PORT_DEFAULT, CLIENT_RELAYS_MAX, VCONFIG_SYSTEM);
	fputs(transport_usage(), f);
	/* TRANSLATORS: --help, part 2 of 2. */
	fprintf(f, _(
	    "  SESSION               the host's five-digit session number; without it a\n"
	    "                        window asks for number and code\n"
	    "  --direct HOST:PORT    connect to a host on this network (its --lan address),\n"
	    "                        with no relay: same code, consent and encryption\n"
	    "  --no-lan              stay on the relay even when the host offers a direct\n"
	    "                        connection on its LAN\n"
	    "  --code CODE           the host's six-digit one-time code (asked for if omitted)\n"
	    "  --headless            no window: events on stdout\n"
	    "  --screenshot FILE     save the window as BMP when leaving\n"
	    "window keys: F8 scale to fit / 1:1, F11 fullscreen, F9 chat and file\n"
	    "  transfers (while its text box has the focus, keys go there and not to the\n"
	    "  host; Esc or a click on the screen gives them back); drop files on the\n"
	    "  window to send them to the host\n"
	    "  --record PATH         write decoded frames: a directory gets one PPM per frame,\n"
	    "                        a file gets a stream of concatenated PPM images\n"
	    "  --frames N            leave after N complete frames\n"
	    "  --input-script FILE   send scripted input once allowed (see below)\n"
	    "  --chat TEXT           send TEXT to the host once allowed\n"
	    "  --send PATH           send a file or folder to the host once allowed (with\n"
	    "                        the files right; repeatable). Headless without --frames:\n"
	    "                        leave when every one arrived (exit 0) or failed (7)\n"
	    "  --inbox DIR           where files from the host land (default: the XDG\n"
	    "                        download folder's Fernsicht, e.g. ~/Downloads/Fernsicht)\n"
	    "  --file-limit SIZE     refuse one transfer bigger than SIZE (e.g. 4G)\n"
	    "  --files-total-limit SIZE  refuse transfers once the host sent SIZE\n"
	    "  --name NAME           name the host sees (default: user@host)\n"
	    "  --handshake-timeout S give up when the code is not proven within S seconds\n"
	    "                        (default %d)\n"
	    "  --consent-timeout S   give up when the host has not answered within S\n"
	    "                        seconds of being asked (default %d)\n"
	    "  --resume-grace S      once allowed, come back by itself within S seconds\n"
	    "                        when the connection is lost (default %d; 0: never)\n"
	    "  --force-xchacha       use XChaCha20-Poly1305 even where AES-GCM is available\n"
	    "  --stall-after N       test aid: stop reading after N frames (a slow viewer)\n"
	    "  --dump-plaintext FILE test aid: append every decrypted record to FILE\n"
	    "  --quiet-frames        no 'frame' line per frame\n"
	    "  --no-flow-control     test aid: never ask for the next frame (the host then\n"
	    "                        sends at its own pace, and the relay must cope)\n"
	    "  --latency-probe X,Y,N benchmark aid: N times, move the host's pointer into\n"
	    "                        the left or right half of tests/tools/x11_latency's\n"
	    "                        window centred at X,Y and print 'latency ms=T' when a\n"
	    "                        decoded frame shows its new colour ('latency timeout'\n"
	    "                        after 2 s); needs control\n"
	    "  --log-level LEVEL     debug, info, warn or error\n"
	    "  --help, --version\n"
	    "input script lines: key KEYSYM | type TEXT | pointer X Y | button N down|up |\n"
	    "  wheel DX DY | chat TEXT | clipboard TEXT | sleep MS   (# starts a comment)\n"
	    "exit codes: 0 ok, 1 usage, 2 network, 3 wrong code, 4 refused or removed,\n"
	    "  5 security failure (tampering), 6 no such session / full / rate-limited /\n"
	    "  busy (try again), 7 a --send did not arrive, or --drop or --fetch failed\n"),
	    CLIENT_HANDSHAKE_TIMEOUT_MS / 1000, CLIENT_CONSENT_TIMEOUT_MS / 1000,
	    SESSION_RESUME_GRACE_MS / 1000);
	fputs(drop_usage(true), f);
}
