/* SPDX-License-Identifier: Apache-2.0 */
/*
 * transport_direct.c - raw frames on TCP to a master's --lan listener
 * (PROTOCOL.md section 6): fernsicht-viewer --direct, and the move of a
 * relayed viewer to the LAN address its host offers. The bytes are those
 * of the tcp tier; what differs is the far end (a master, which may not be
 * reached through a proxy) and that auto never races it. Its failure
 * texts say "tcp: ...", as they did when the viewer used the tcp tier.
 */
#include "transport_ops.h"

static int
start(struct transport *t)
{
	return transport_stream_start(t, "http", false);
}

const struct transport_ops transport_direct = {
	.name = "direct",
	.label = "tcp",
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
