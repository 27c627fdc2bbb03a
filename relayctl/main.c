/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fernsicht-relayctl: an operator's commands to a relay's admin listener
 * (docs/relay.md "Admin API and metrics"), each one signed request.
 * Prints the answer's body; exit 0 for 2xx, 1 for any other answer or no
 * answer, 2 for a bad command line.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <sodium.h>

#include "i18n.h"
#include "request.h"

#define DEFAULT_URL "http://127.0.0.1:4664"

static void
usage(FILE *f)
{
	fputs(_("usage: fernsicht-relayctl [--url URL] [--key-file FILE]\n"
	    "                          [--cacert FILE] [--cert FILE --key FILE] COMMAND\n"), f);
	fputs(_("commands:\n"
	    "  sessions                  the live sessions (JSON)\n"
	    "  end N                     end session N (everyone hears ENDED; N is retired)\n"
	    "  retire N                  retire number N (ends its session, if live)\n"
	    "  drain                     no new sessions; masters move to other relays\n"
	    "  tokens                    the session-creation tokens issued (JSON)\n"
	    "  token-issue NAME TTL\n"
	    "                            issue a token for TTL seconds\n"
	    "  token-revoke ID           revoke a token\n"
	    "  metrics                   the Prometheus metrics\n"
	    "  health                    ok, or draining\n"), f);
	fprintf(f, _("  --url URL                the admin listener (default %s)\n"), DEFAULT_URL);
	fputs(_("  --key-file FILE          \"KEYID SECRET\" (default: $FERNSICHT_RELAYCTL_KEY);\n"
	    "                           without one, requests go unsigned\n"), f);
	fputs(_("  --cacert FILE            the CA that signed the relay's admin certificate\n"
	    "  --cert FILE, --key FILE  a client certificate and its key (mTLS)\n"), f);
}

static void __attribute__((noreturn))
bad(const char *what)
{
	fprintf(stderr, "fernsicht-relayctl: %s\n", what);
	usage(stderr);
	exit(2);
}

/* A session number given on the command line, checked here for a clear message. */
static unsigned long
number_arg(const char *s)
{
	char *end;
	unsigned long n = strtoul(s, &end, 10);

	if (*s < '0' || *s > '9' || *end != '\0' || n < SESSION_NUMBER_MIN ||
	    n > SESSION_NUMBER_MAX)
		bad(_("a session number has five digits"));
	return n;
}

/* A token's name: one line of printable text (the relay checks the rest). */
static void
name_check(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			bad(_("a token name without control characters"));
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "url", required_argument, NULL, 'u' },
		{ "key-file", required_argument, NULL, 'k' },
		{ "cacert", required_argument, NULL, 'C' },
		{ "cert", required_argument, NULL, 'c' },
		{ "key", required_argument, NULL, 'K' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static struct relayctl_answer ans;
	struct relayctl_target t = { .url = DEFAULT_URL };
	struct relayctl_key key;
	const char *key_file = getenv("FERNSICHT_RELAYCTL_KEY"), *cmd, *method = "GET";
	char path[256], body[512], why[512];
	unsigned long n;
	int c, argn;

	i18n_init();
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'u': t.url = optarg; break;
		case 'k': key_file = optarg; break;
		case 'C': t.cacert = optarg; break;
		case 'c': t.cert = optarg; break;
		case 'K': t.cert_key = optarg; break;
		case 'h': usage(stdout); return 0;
		default: bad(_("unknown option or missing argument"));
		}
	}
	if ((t.cert == NULL) != (t.cert_key == NULL))
		bad(_("--cert and --key go together"));
	if (strncmp(t.url, "http://", 7) != 0 && strncmp(t.url, "https://", 8) != 0)
		bad(_("--url wants http://HOST:PORT or https://HOST:PORT"));
	if (optind >= argc)
		bad(_("which command?"));
	cmd = argv[optind];
	argn = argc - optind - 1;
	body[0] = '\0';
	if (strcmp(cmd, "sessions") == 0 && argn == 0) {
		snprintf(path, sizeof(path), "/v1/admin/sessions");
	} else if (strcmp(cmd, "end") == 0 && argn == 1) {
		n = number_arg(argv[optind + 1]);
		snprintf(path, sizeof(path), "/v1/admin/sessions/%lu/end", n);
		method = "POST";
	} else if (strcmp(cmd, "retire") == 0 && argn == 1) {
		n = number_arg(argv[optind + 1]);
		snprintf(path, sizeof(path), "/v1/admin/numbers/%lu/retire", n);
		method = "POST";
	} else if (strcmp(cmd, "drain") == 0 && argn == 0) {
		snprintf(path, sizeof(path), "/v1/admin/drain");
		method = "POST";
	} else if (strcmp(cmd, "tokens") == 0 && argn == 0) {
		snprintf(path, sizeof(path), "/v1/admin/tokens");
	} else if (strcmp(cmd, "token-issue") == 0 && argn == 2) {
		char *end;
		unsigned long ttl = strtoul(argv[optind + 2], &end, 10);

		if (*argv[optind + 2] < '1' || *argv[optind + 2] > '9' || *end != '\0')
			bad(_("TTL: seconds, a positive number"));
		if (strlen(argv[optind + 1]) == 0 || strlen(argv[optind + 1]) > 64)
			bad(_("a token name of 1 to 64 bytes"));
		name_check(argv[optind + 1]);
		/* lines as in a settings file (proto/keyvalue.h): any printable name */
		snprintf(body, sizeof(body), "name = %s\nttl = %lu\n", argv[optind + 1], ttl);
		snprintf(path, sizeof(path), "/v1/admin/tokens");
		method = "POST";
	} else if (strcmp(cmd, "token-revoke") == 0 && argn == 1) {
		if (strlen(argv[optind + 1]) != 32 ||
		    strspn(argv[optind + 1], "0123456789abcdef") != 32)
			bad(_("a token id is 32 hex digits"));
		snprintf(path, sizeof(path), "/v1/admin/tokens/%s/revoke", argv[optind + 1]);
		method = "POST";
	} else if (strcmp(cmd, "metrics") == 0 && argn == 0) {
		snprintf(path, sizeof(path), "/metrics");
	} else if (strcmp(cmd, "health") == 0 && argn == 0) {
		snprintf(path, sizeof(path), "/healthz");
	} else {
		bad(_("unknown command, or the wrong number of arguments for it"));
	}
	if (sodium_init() < 0 || curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
		fprintf(stderr, "fernsicht-relayctl: %s\n",
		    _("libsodium or libcurl failed to start"));
		return 1;
	}
	if (key_file != NULL && key_file[0] != '\0') {
		if (relayctl_key_load(key_file, &key, why, sizeof(why)) != 0) {
			fprintf(stderr, "fernsicht-relayctl: %s\n", why);
			return 1;
		}
		t.key = &key;
	}
	c = relayctl_request(&t, method, path, body[0] != '\0' ? body : NULL, &ans, why,
	    sizeof(why));
	sodium_memzero(&key, sizeof(key));
	if (c != 0) {
		fprintf(stderr, "fernsicht-relayctl: %s\n", why);
		return 1;
	}
	if (ans.status >= 200 && ans.status < 300) {
		fwrite(ans.body, 1, ans.len, stdout);
		return 0;
	}
	fprintf(stderr, "fernsicht-relayctl: %ld: ", ans.status);
	fwrite(ans.body, 1, ans.len, stderr);
	if (ans.len == 0 || ans.body[ans.len - 1] != '\n')
		fputc('\n', stderr);
	return 1;
}
