/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server.h - the relay: one thread, level-triggered epoll,
 * non-blocking sockets. It accepts, reads, writes, keeps the clocks and
 * closes; route.c decides what each frame means.
 */
#ifndef RELAY_SERVER_H
#define RELAY_SERVER_H

#include <stdbool.h>
#include <stdint.h>

#include "conn.h"
#include "limit.h"
#include "limits.h"
#include "directory.h"
#include "room.h"
#include "tunnel.h"

struct tls_server;

struct server_config {
	const char *listen[RELAY_LISTENERS_MAX];
	unsigned n_listen;
	const char *state_dir;          /* NULL: numbers are not persisted */
	uint32_t body_max;
	uint32_t max_viewers;
	uint32_t hello_timeout_ms;
	uint32_t idle_timeout_ms;
	uint32_t conns_per_ip;
	uint32_t joins_per_min;
	struct tls_server *tls;         /* from --tls-cert/--tls-key, or NULL */
};

struct server;

struct listener {
	struct server *server;
	int fd;
	bool paused;                    /* out of fds: retried on the next tick */
};

struct server {
	struct server_config cfg;
	struct loop *loop;
	int sigfd;                      /* SIGTERM and SIGINT */
	struct listener lis[RELAY_LISTENERS_MAX];
	unsigned n_lis;
	struct conn *conns;             /* every open conn */
	size_t n_conns;
	struct conn *touched;           /* queued output or changed interest this turn */
	struct conn *dead;              /* closed this turn, freed at its end */
	struct room *rooms[SESSION_NUMBER_MAX - SESSION_NUMBER_MIN + 1];
	struct directory *dir;          /* hands out session numbers */
	struct limit *limit;
	struct tunnel *tunnels[TUNNEL_BUCKETS]; /* by id */
	uint64_t now;                   /* mono_ms() of this turn */
	bool stopping;
	uint64_t frames_unknown, frames_dropped;
};

/* Run until SIGTERM/SIGINT. 0 after a clean shutdown, else a negative ERR_*. */
int server_run(const struct server_config *cfg) WUR;

/* Flush c and update its epoll interest at the end of this turn. */
void server_touch(struct server *r, struct conn *c);
/* Queue ERROR code for c and close it once flushed (or after the linger). */
void server_close(struct server *r, struct conn *c, uint16_t code, const char *why);
/* The same, but at the end of this turn: safe while rooms are being walked. */
void server_doom(struct server *r, struct conn *c, uint16_t code, const char *why);
struct room *server_room(struct server *r, uint32_t number);
/* c's connection broke or its tunnel was closed: no ERROR can reach it. */
void server_lost(struct server *r, struct conn *c, const char *why);
/* A conn made without accept (a tunnel): count it and keep it on the list. */
void server_adopt(struct server *r, struct conn *c);

#endif
