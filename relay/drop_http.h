/* SPDX-License-Identifier: Apache-2.0 */
/*
 * drop_http.h - the file drop's HTTP requests (docs/PROTOCOL.md 5.2):
 * POST /v1/drop/new, put, done, claim and GET /v1/drop/get, on the
 * client listeners' HTTP conns; tunnel.c hands every /v1/drop/ path here.
 */
#ifndef RELAY_DROP_HTTP_H
#define RELAY_DROP_HTTP_H

#include "buf.h"
#include "conn.h"
#include "drop.h"
#include "http.h"

/*
 * Answer one request on HTTP conn h: head is its head (req->head_len
 * bytes, as http_parse took them), body its body. d NULL: this relay
 * keeps no drop (404).
 */
void drop_http_serve(struct drop *d, struct conn *h, const struct http_req *req,
    const uint8_t *head, const struct buf *body);

#endif
