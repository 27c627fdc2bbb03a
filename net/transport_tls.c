/* SPDX-License-Identifier: Apache-2.0 */
/*
 * transport_tls.c - T1: TLS to the relay, its certificate verified against
 * the system store or --ca-file; the relay frames inside. Never through a
 * proxy.
 */
#include "transport_ops.h"

static int
start(struct transport *t)
{
	return transport_stream_start(t, "https", false);
}

const struct transport_ops transport_tls = {
	.name = "tls",
	.label = NULL,
	.port = TRANSPORT_TLS_PORT,
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
