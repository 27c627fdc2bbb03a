/* SPDX-License-Identifier: Apache-2.0 */
/*
 * transport_tcp.c - T0: raw relay frames on TCP (PROTOCOL.md section 5),
 * through curl's plain connection. Never through a proxy.
 */
#include "transport_ops.h"

static int
start(struct transport *t)
{
	return transport_stream_start(t, "http", false);
}

const struct transport_ops transport_tcp = {
	.name = "tcp",
	.label = NULL,
	.port = RELAY_PORT_DEFAULT,
	.proxy = false,
	.size = sizeof(struct transport_stream),
	.start = start,
	.close = transport_stream_close,
	.pollfds = transport_stream_pollfds,
	.after_poll = transport_stream_after_poll,
	.send = transport_stream_send,
	.recv = transport_stream_recv,
	.fd = transport_stream_fd,
};
