/* SPDX-License-Identifier: Apache-2.0 */
/*
 * admin_private.h - inside admin.c (the listener, its connections) and
 * admin_api.c (what a request gets) only.
 */
#ifndef RELAY_ADMIN_PRIVATE_H
#define RELAY_ADMIN_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>

#include "admin.h"
#include "admin_keys.h"
#include "admin_nonce.h"
#include "buf.h"
#include "http.h"
#include "log.h"
#include "wire.h"

struct admin {
	struct admin_config cfg;
	struct loop *loop;
	const struct admin_ops *ops;
	void *ops_arg;
	struct admin_keys keys;
	struct admin_keys pending;      /* a reload's, checked and not applied yet */
	bool pending_ok;
	struct admin_nonces *nonces;
	int fd;                         /* the listener, or -1 */
	int64_t timer;
	struct admin_conn *all, *dead;
	unsigned count;
	uint64_t started_ms;
	struct log_rl rl_refuse, rl_conn;
};

/* An answer being made: status, type and body. */
struct admin_answer {
	int status;
	const char *type;
	struct buf body;
};

/* The answer to one whole request: the head (req) and the body that
 * followed it in the connection's input. */
void admin_api_serve(struct admin *a, const char *peer, const struct http_req *req,
    const uint8_t *in, struct admin_answer *ans);

#endif
