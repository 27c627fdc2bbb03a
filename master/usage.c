/* SPDX-License-Identifier: Apache-2.0 */
/*
 * usage.c - fernsicht-master's --help text (usage.h), in the reader's
 * language: every line a person reads before the program does anything.
 */
#include <stdio.h>

#include "config.h"
#include "i18n.h"
#include "limits.h"
#include "session.h"
#include "transport.h"
#include "drop_command.h"
#include "usage.h"

/* --help, or the usage after a bad command line. The option names, the
 * stdin commands and the stdout event words stay as they are typed. */
void
master_usage(FILE *f)
{
	fprintf(f, _("usage: fernsicht-master --relay HOST[:PORT][,HOST[:PORT]...] [options]\n"
	    "  --relay HOST[:PORT]   relay to use (port %d by default), or several: A,B,C\n"
	    "                        (at most %d; the first to answer is used, and tried\n"
	    "                        first next time on this network)\n"), RELAY_PORT_DEFAULT,
	    CLIENT_RELAYS_MAX);
	fputs(transport_usage(), f);
	fprintf(f, _("  --lan ADDR:PORT       also let viewers connect directly (fernsicht-viewer\n"
	    "                        --direct); with --lan, --relay may be left out\n"
	    "  --headless            no window: session line on stdout, consent on stdin\n"
	    "  --source x11|mutter|wlr|portal|test-pattern  what to share (default: the\n"
	    "                        desktop session's: x11 on X11; on Wayland mutter on\n"
	    "                        GNOME, wlr on wlroots compositors such as sway, the\n"
	    "                        desktop portal (its own dialog asks) elsewhere)\n"
	    "  --display NAME        the X display to share (default $DISPLAY; with wlr\n"
	    "                        the Wayland display, default $WAYLAND_DISPLAY)\n"
	    "  --monitor N           share XRandR monitor N only (0 = first; default all;\n"
	    "                        with wlr: output N, default the first; with mutter:\n"
	    "                        GNOME's monitor N, default the primary)\n"
	    "  --window              with portal: share one window (the desktop's dialog\n"
	    "                        asks which) instead of a monitor\n"
	    "  --auto-accept         allow every viewer that proves the code\n"
	    "                        (view, control and clipboard)\n"
	    "  --name NAME           name shown to viewers (default: host name)\n"
	    "  --fps N               screen updates per second at most (default 30; 10 for\n"
	    "                        the test pattern, which changes every frame)\n"
	    "  --max-kbps N          bandwidth cap for all viewers together (default none)\n"
	    "  --low-bandwidth       fewer colours (lossy; the viewer says so)\n"
	    "  --quality N           quality 1..100 of changing pictures, as JPEG or VP9\n"
	    "                        (default 75)\n"
	    "  --lossless            never lossy: pictures and video go exact too\n"
	    "  --size WxH            test-pattern size (default 1280x720)\n"
	    "  --force-xchacha       use XChaCha20-Poly1305 even where AES-GCM is available\n"
	    "  --print-input         print the input events viewers send\n"
	    "  --chat TEXT           send TEXT to each viewer once it is allowed\n"
	    "  --inbox DIR           where files from viewers land (default: the XDG\n"
	    "                        download folder's Fernsicht, e.g. ~/Downloads/Fernsicht)\n"
	    "  --file-limit SIZE     refuse one transfer bigger than SIZE (e.g. 4G; default\n"
	    "                        none)\n"
	    "  --files-total-limit SIZE  refuse transfers once one viewer sent SIZE\n"
	    "  --handshake-timeout S a viewer must prove the code within S seconds\n"
	    "                        (default %d)\n"
	    "  --consent-timeout S   a viewer waits for the host's answer S seconds at\n"
	    "                        most, then it is refused (default %d)\n"
	    "  --once                exit when the relay connection is lost (no reconnect)\n"
	    "  --log-level LEVEL     debug, info, warn or error\n"
	    "  --help, --version\n"), SESSION_HANDSHAKE_TIMEOUT_MS / 1000,
	    SESSION_CONSENT_TIMEOUT_MS / 1000);
	/* TRANSLATORS: the commands (y, v, n, take, kick, ...) are typed as they
	 * are; only what they do is translated. */
	fprintf(f, _("stdin commands: y (allow view, control, clipboard, files), v (view only),\n"
	    "  n (deny), take (take control back from everyone), kick SLOT, newcode (a new\n"
	    "  code; also ends a pause after %d wrong codes), send SLOT PATH (a file or\n"
	    "  folder), cancel SLOT in|out ID, files SLOT on|off (the files right), end\n"),
	    SESSION_GUESS_BUDGET);
	/* TRANSLATORS: "drop PATH" is a command typed as it is. */
	fputs(_("  drop PATH (upload a file for every allowed viewer to fetch, also later:\n"
	    "  each gets its own link)\n"), f);
	/* TRANSLATORS: "fetch LINK" is a command typed as it is. */
	fputs(_("  fetch LINK (fetch a drop link into --inbox beside the session, such as\n"
	    "  the one a viewer's drop-offer line shows)\n"), f);
	fputs(drop_usage(false), f);
	/* TRANSLATORS: the lines and event words are printed as they are. */
	fputs(_("stdout: 'session=NNNNN code=NNNNNN' whenever a new code is shown, 'paused ...'\n"
	    "  when wrong codes stopped new viewers, and one line per event (join,\n"
	    "  verified, consent, allowed, left, code-failed, busy, timeout, input, chat,\n"
	    "  file-offer, file-progress, file-item, file-done, file-failed)\n"), f);
	fprintf(f, _("settings: %s, then ~/.config/fernsicht/master.conf (relay, transport,\n"
	    "  proxy, proxy-user, ca-file, name, inbox, file-limit, files-total-limit,\n"
	    "  max-kbps); the command line wins\n"), MCONFIG_SYSTEM);
}
