/* SPDX-License-Identifier: Apache-2.0 */
/*
 * transport_proxy.c - T2: T1 inside an HTTP proxy's CONNECT tunnel. The
 * proxy is --proxy, or the one curl finds in the environment (main() says
 * whether there is one: env_transport); the proxy's authentication is
 * whatever it asks for (Basic, Digest, NTLM, Negotiate).
 */
#include "transport_ops.h"

static int
start(struct transport *t)
{
	/* Without a proxy this is the tls tier again: say so instead. */
	if ((t->o.proxy == NULL || t->o.proxy[0] == '\0') && !t->o.env_proxy) {
		transport_set_why(t, "proxy: no proxy configured (give --proxy URL or set "
		    "https_proxy)");
		return ERR_UNSUPPORTED;
	}
	return transport_stream_start(t, "https", true);
}

const struct transport_ops transport_proxy = {
	.name = "proxy",
	.label = NULL,
	.port = TRANSPORT_TLS_PORT,
	.proxy = true,
	.size = sizeof(struct transport_stream),
	.start = start,
	.close = transport_stream_close,
	.pollfds = transport_stream_pollfds,
	.after_poll = transport_stream_after_poll,
	.send = transport_stream_send,
	.recv = transport_stream_recv,
	.fd = transport_stream_fd,
};
