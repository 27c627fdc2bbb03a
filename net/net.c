/* SPDX-License-Identifier: Apache-2.0 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "net.h"

int
net_split_hostport(const char *s, uint16_t default_port, char *host, size_t host_len,
    uint16_t *port)
{
	const char *colon, *hend, *pstart = NULL;
	char *end;
	unsigned long v;
	size_t n;

	*port = default_port;
	if (s[0] == '[') {
		if ((hend = strchr(s, ']')) == NULL)
			return ERR_FORMAT;
		if (hend[1] == ':')
			pstart = hend + 2;
		else if (hend[1] != '\0')
			return ERR_FORMAT;
		s++;
	} else {
		colon = strchr(s, ':');
		if (colon != NULL && strchr(colon + 1, ':') != NULL)
			colon = NULL;   /* a bare IPv6 address */
		hend = colon != NULL ? colon : s + strlen(s);
		if (colon != NULL)
			pstart = colon + 1;
	}
	n = (size_t)(hend - s);
	if (n == 0 || n >= host_len)
		return ERR_FORMAT;
	memcpy(host, s, n);
	host[n] = '\0';
	if (pstart != NULL) {
		errno = 0;
		v = strtoul(pstart, &end, 10);
		if (errno != 0 || end == pstart || *end != '\0' || v > 65535)
			return ERR_FORMAT;
		*port = (uint16_t)v;
	}
	return 0;
}

int
net_set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl == -1 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) == -1)
		return ERR_SYSTEM;
	return 0;
}

void
net_set_nodelay(int fd)
{
	int one = 1;

	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

void
net_addr_str(const struct sockaddr *sa, char *out, size_t out_len)
{
	char ip[INET6_ADDRSTRLEN] = "?";

	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *a = (const struct sockaddr_in *)sa;

		inet_ntop(AF_INET, &a->sin_addr, ip, sizeof(ip));
		snprintf(out, out_len, "%s:%u", ip, ntohs(a->sin_port));
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)sa;

		inet_ntop(AF_INET6, &a->sin6_addr, ip, sizeof(ip));
		snprintf(out, out_len, "[%s]:%u", ip, ntohs(a->sin6_port));
	} else {
		snprintf(out, out_len, "unknown");
	}
}

/* One non-blocking connect attempt, waited for until deadline. */
static int
connect_one(const struct addrinfo *ai, uint64_t deadline, int *err)
{
	struct pollfd pfd;
	socklen_t len = sizeof(*err);
	uint64_t now;
	int fd, r;

	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    ai->ai_protocol);
	if (fd == -1) {
		*err = errno;
		return -1;
	}
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
		return fd;
	if (errno != EINPROGRESS) {
		*err = errno;
		close(fd);
		return -1;
	}
	for (;;) {
		now = mono_ms();
		if (now >= deadline) {
			*err = ETIMEDOUT;
			close(fd);
			return -1;
		}
		pfd.fd = fd;
		pfd.events = POLLOUT;
		r = poll(&pfd, 1, (int)(deadline - now));
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0) {
			*err = r == 0 ? ETIMEDOUT : errno;
			close(fd);
			return -1;
		}
		break;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, err, &len) == -1 || *err != 0) {
		if (*err == 0)
			*err = errno;
		close(fd);
		return -1;
	}
	return fd;
}

int
net_connect(const char *host, uint16_t port, int timeout_ms, char *why, size_t why_len)
{
	struct addrinfo hints, *res = NULL, *ai;
	uint64_t deadline = mono_ms() + (uint64_t)timeout_ms;
	char portstr[8];
	int fd = -1, err = 0, r;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	snprintf(portstr, sizeof(portstr), "%u", port);
	if ((r = getaddrinfo(host, portstr, &hints, &res)) != 0) {
		snprintf(why, why_len, "cannot resolve %s: %s", host, gai_strerror(r));
		return ERR_SYSTEM;
	}
	for (ai = res; ai != NULL && fd == -1; ai = ai->ai_next)
		fd = connect_one(ai, deadline, &err);
	freeaddrinfo(res);
	if (fd == -1) {
		snprintf(why, why_len, "cannot connect to %s:%u: %s", host, port,
		    strerror(err));
		return err == ETIMEDOUT ? ERR_TIMEOUT : ERR_SYSTEM;
	}
	net_set_nodelay(fd);
	return fd;
}

int
net_listen(const char *addr, char *bound, size_t bound_len, char *why, size_t why_len)
{
	struct addrinfo hints, *res = NULL;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	char host[256], portstr[8];
	uint16_t port;
	int fd, one = 1, r;

	if (net_split_hostport(addr, 0, host, sizeof(host), &port) != 0) {
		snprintf(why, why_len, "bad listen address '%s'", addr);
		return ERR_FORMAT;
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICHOST;
	snprintf(portstr, sizeof(portstr), "%u", port);
	if ((r = getaddrinfo(host, portstr, &hints, &res)) != 0) {
		snprintf(why, why_len, "bad listen address '%s': %s", addr, gai_strerror(r));
		return ERR_FORMAT;
	}
	fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd == -1)
		goto fail;
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (res->ai_family == AF_INET6)
		(void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, res->ai_addr, res->ai_addrlen) == -1 || listen(fd, 512) == -1)
		goto fail;
	freeaddrinfo(res);
	if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0)
		net_addr_str((struct sockaddr *)&ss, bound, bound_len);
	return fd;
fail:
	snprintf(why, why_len, "cannot listen on %s: %s", addr, strerror(errno));
	if (fd != -1)
		close(fd);
	freeaddrinfo(res);
	return ERR_SYSTEM;
}
