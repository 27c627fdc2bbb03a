/* SPDX-License-Identifier: Apache-2.0 */
/*
 * redis_server.h - a real redis-server for the tests of the relay's
 * cluster directory: started by the test itself on 127.0.0.1, a free
 * port, its own directory, no persistence; stopped and started again
 * where a test makes Redis go away; and one command's reply as text.
 *
 * A header of static functions and state: test_relay_cluster.c (the
 * directories of relays sharing one Redis) and
 * test_relay_cluster_scripts.c (the Lua scripts alone) each include it
 * once, and each starts its own redis-server (a few milliseconds).
 */
#ifndef TEST_REDIS_SERVER_H
#define TEST_REDIS_SERVER_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <hiredis/hiredis.h>

#include "test.h"

static char tmpdir[] = "/tmp/test_relay_cluster.XXXXXX";
static pid_t redis_pid = -1;
static int redis_port;

/* A port nobody listens on now (a small race with other programs). */
static int
free_port(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t sl = sizeof(sa);
	int fd, port;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &sl) != 0)
		TEST_BAIL("no free port");
	port = ntohs(sa.sin_port);
	close(fd);
	return port;
}

static redisContext *
sync_connect(void)
{
	struct timeval tv = { 0, 200000 };
	redisContext *c = redisConnectWithTimeout("127.0.0.1", redis_port, tv);

	if (c != NULL && c->err != 0) {
		redisFree(c);
		return NULL;
	}
	return c;
}

static void
redis_start(void)
{
	char port[16];
	redisContext *c;
	int i;

	snprintf(port, sizeof(port), "%d", redis_port);
	fflush(stdout);
	if ((redis_pid = fork()) == 0) {
		if (freopen("/dev/null", "w", stdout) == NULL)
			_exit(127);
		execlp("redis-server", "redis-server", "--port", port, "--bind", "127.0.0.1",
		    "--dir", tmpdir, "--save", "", "--appendonly", "no", (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 100; i++) {
		if ((c = sync_connect()) != NULL) {
			redisFree(c);
			return;
		}
		usleep(50000);
	}
	TEST_BAIL("redis-server did not start (is the package redis-server installed?)");
}

static void
redis_stop(void)
{
	if (redis_pid > 0) {
		kill(redis_pid, SIGKILL);
		waitpid(redis_pid, NULL, 0);
		redis_pid = -1;
	}
}

/* The reply to one command, as a string ("(nil)", "(int) N", "ERR ..."). */
static void
cmd(redisContext *c, char *out, size_t out_len, const char *fmt, ...)
{
	redisReply *r;
	va_list ap;

	va_start(ap, fmt);
	r = redisvCommand(c, fmt, ap);
	va_end(ap);
	if (r == NULL)
		snprintf(out, out_len, "(no reply)");
	else if (r->type == REDIS_REPLY_NIL)
		snprintf(out, out_len, "(nil)");
	else if (r->type == REDIS_REPLY_INTEGER)
		snprintf(out, out_len, "(int) %lld", r->integer);
	else if (r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_STATUS ||
	    r->type == REDIS_REPLY_ERROR)
		snprintf(out, out_len, "%s", r->str);
	else
		snprintf(out, out_len, "(type %d)", r->type);
	freeReplyObject(r);
}

/* Before the first test that needs Redis: its directory, its port, and
 * the server up. */
static void
redis_server_begin(void)
{
	if (mkdtemp(tmpdir) == NULL)
		TEST_BAIL("mkdtemp");
	redis_port = free_port();
	redis_start();
}

/* After the last: the server stopped and its directory gone. */
static void
redis_server_end(void)
{
	char cleanup[128];

	redis_stop();
	snprintf(cleanup, sizeof(cleanup), "rm -rf %s", tmpdir);
	if (system(cleanup) != 0)
		printf("# could not remove %s\n", tmpdir);
}

#endif
