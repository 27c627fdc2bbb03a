/* SPDX-License-Identifier: Apache-2.0 */
/*
 * resolve.c - glibc's getaddrinfo_a: every name is looked up at once in
 * the resolver's threads, gai_suspend waits with a bound. A lookup still
 * running when the wait is over cannot be taken back (gai_cancel only
 * removes queued ones): its request stays allocated, on a list of the
 * abandoned, until a later call finds it done.
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "resolve.h"

struct lookup {
	struct gaicb cb;
	struct addrinfo hints;
	char name[256];
	struct lookup *next;            /* on the abandoned list */
};

static struct lookup *abandoned;

/* Free the abandoned lookups the resolver has finished with. */
static void
reap(void)
{
	struct lookup **p = &abandoned, *q;

	while ((q = *p) != NULL) {
		if (gai_error(&q->cb) == EAI_INPROGRESS) {
			p = &q->next;
			continue;
		}
		*p = q->next;
		if (q->cb.ar_result != NULL)
			freeaddrinfo(q->cb.ar_result);
		free(q);
	}
}

bool
resolve_is_numeric(const char *host)
{
	struct in6_addr a6;
	struct in_addr a4;

	return inet_pton(AF_INET, host, &a4) == 1 || inet_pton(AF_INET6, host, &a6) == 1 ||
	    strchr(host, ':') != NULL;  /* v6 with a scope: no name either */
}

/* The answer of one finished lookup into *out, without repeats. */
static void
take(struct resolve_name *out, const struct addrinfo *res)
{
	char text[INET6_ADDRSTRLEN];
	const void *a;
	bool seen;

	for (const struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next) {
		if (out->n == CLIENT_RELAY_ADDRS_MAX)
			break;
		if (ai->ai_family == AF_INET)
			a = &((const struct sockaddr_in *)ai->ai_addr)->sin_addr;
		else if (ai->ai_family == AF_INET6)
			a = &((const struct sockaddr_in6 *)ai->ai_addr)->sin6_addr;
		else
			continue;
		if (inet_ntop(ai->ai_family, a, text, sizeof(text)) == NULL)
			continue;
		seen = false;
		for (unsigned i = 0; i < out->n && !seen; i++)
			seen = strcmp(out->addr[i], text) == 0;
		if (!seen)
			memcpy(out->addr[out->n++], text, sizeof(text));
	}
	out->resolved = out->n > 0;
}

void
resolve_names(struct resolve_name *names, unsigned n, int wait_ms)
{
	enum { MAX = CLIENT_RELAYS_MAX + 1 };   /* the list and the one to try first */
	struct lookup *q[MAX] = { NULL };
	struct gaicb *list[MAX] = { NULL };
	struct timespec ts;
	uint64_t deadline = mono_ms() + (uint64_t)(wait_ms > 0 ? wait_ms : 0), now;
	unsigned asked = 0;
	int left;

	reap();
	for (unsigned i = 0; i < n; i++) {
		names[i].resolved = false;
		names[i].n = 0;
		if (i >= MAX || names[i].host == NULL || resolve_is_numeric(names[i].host) ||
		    strlen(names[i].host) >= sizeof(q[0]->name) ||
		    (q[i] = calloc(1, sizeof(*q[i]))) == NULL)
			continue;
		memcpy(q[i]->name, names[i].host, strlen(names[i].host) + 1);
		q[i]->hints.ai_family = AF_UNSPEC;
		q[i]->hints.ai_socktype = SOCK_STREAM;
		q[i]->cb.ar_name = q[i]->name;
		q[i]->cb.ar_request = &q[i]->hints;
		list[i] = &q[i]->cb;
		asked++;
	}
	if (asked == 0)
		return;
	if (getaddrinfo_a(GAI_NOWAIT, list, MAX, NULL) != 0) {
		/* Nothing was started: the transports resolve by themselves. */
		for (unsigned i = 0; i < MAX; i++)
			free(q[i]);
		return;
	}
	for (;;) {
		left = 0;
		for (unsigned i = 0; i < MAX; i++)
			left += q[i] != NULL && gai_error(&q[i]->cb) == EAI_INPROGRESS;
		now = mono_ms();
		if (left == 0 || now >= deadline)
			break;
		ts.tv_sec = (time_t)((deadline - now) / 1000);
		ts.tv_nsec = (long)((deadline - now) % 1000) * 1000000;
		(void)gai_suspend((const struct gaicb *const *)list, MAX, &ts);
	}
	for (unsigned i = 0; i < MAX; i++) {
		if (q[i] == NULL)
			continue;
		if (gai_error(&q[i]->cb) == EAI_INPROGRESS &&
		    gai_cancel(&q[i]->cb) == EAI_NOTCANCELED) {
			q[i]->next = abandoned;
			abandoned = q[i];
			continue;
		}
		if (gai_error(&q[i]->cb) == 0)
			take(&names[i], q[i]->cb.ar_result);
		if (q[i]->cb.ar_result != NULL)
			freeaddrinfo(q[i]->cb.ar_result);
		free(q[i]);
	}
}
