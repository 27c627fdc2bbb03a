/* SPDX-License-Identifier: Apache-2.0 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "net.h"
#include "relay_list.h"

static bool
host_char(char c, bool v6)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	    c == '.' || c == '-' || c == '_' || (v6 && (c == ':' || c == '%'));
}

int
relay_entry_parse(const char *s, size_t n, struct relay_entry *e)
{
	uint16_t p0, p1;
	bool v6;

	memset(e, 0, sizeof(*e));
	if (n == 0 || n > CLIENT_RELAY_TEXT_MAX || memchr(s, '\0', n) != NULL)
		goto bad;
	memcpy(e->text, s, n);
	e->text[n] = '\0';
	/* Parsed with two default ports: where both come back, the text
	 * names its own; where they differ, it names none. */
	if (net_split_hostport(e->text, 0, e->host, sizeof(e->host), &p0) != 0 ||
	    net_split_hostport(e->text, 1, e->host, sizeof(e->host), &p1) != 0)
		goto bad;
	if (p0 == p1 && p0 == 0)
		goto bad;       /* port 0 written out */
	v6 = strchr(e->host, ':') != NULL;
	for (const char *h = e->host; *h != '\0'; h++)
		if (!host_char(*h, v6))
			goto bad;
	/* "[name]" is for addresses only: a URL would not take it. */
	if (e->text[0] == '[' && !v6)
		goto bad;
	e->port = p0 == p1 ? p0 : 0;
	return 0;
bad:
	memset(e, 0, sizeof(*e));
	return ERR_FORMAT;
}

static bool
blank(char c)
{
	return c == ' ' || c == '\t';
}

int
relay_list_parse(const char *s, struct relay_list *l, char *why, size_t why_len)
{
	struct relay_entry e;
	const char *p = s, *end;
	size_t n;

	memset(l, 0, sizeof(*l));
	for (;;) {
		while (blank(*p))
			p++;
		end = strchr(p, ',');
		if (end == NULL)
			end = p + strlen(p);
		n = (size_t)(end - p);
		while (n > 0 && blank(p[n - 1]))
			n--;
		if (n == 0) {
			if (l->n == 0 && *end == '\0')
				snprintf(why, why_len, "no relay given");
			else
				snprintf(why, why_len, "an empty entry in the relay list '%.200s'",
				    s);
			goto bad;
		}
		if (relay_entry_parse(p, n, &e) != 0) {
			snprintf(why, why_len, "bad relay address '%.*s' (want HOST[:PORT])",
			    (int)(n < 200 ? n : 200), p);
			goto bad;
		}
		if (relay_list_find(l, e.text) < 0) {
			if (l->n == CLIENT_RELAYS_MAX) {
				snprintf(why, why_len, "more than %d relays in the list",
				    CLIENT_RELAYS_MAX);
				goto bad;
			}
			l->e[l->n++] = e;
		}
		if (*end == '\0')
			return 0;
		p = end + 1;
	}
bad:
	memset(l, 0, sizeof(*l));
	return ERR_FORMAT;
}

int
relay_list_find(const struct relay_list *l, const char *text)
{
	for (unsigned i = 0; i < l->n; i++)
		if (strcmp(l->e[i].text, text) == 0)
			return (int)i;
	return -1;
}

void
relay_list_key(const struct relay_list *l, char *out, size_t out_len)
{
	size_t at = 0;
	int w;

	if (out_len == 0)
		return;
	out[0] = '\0';
	for (unsigned i = 0; i < l->n; i++) {
		w = snprintf(out + at, out_len - at, "%s%s", i > 0 ? "," : "", l->e[i].text);
		if (w < 0 || (size_t)w >= out_len - at) {
			out[0] = '\0';
			return;
		}
		at += (size_t)w;
	}
}
