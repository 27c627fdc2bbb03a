/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tcp_acked.c - how far a TCP socket's peer has acknowledged our bytes
 * (net.h). Its own file: the kernel's struct tcp_info (linux/tcp.h), which
 * has the count, cannot be included beside the C library's netinet/tcp.h.
 */
#include <linux/sockios.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <stddef.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "net.h"

int
net_tcp_acked(int fd, uint64_t *acked, uint64_t *queued)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);
	int q;

	memset(&ti, 0, sizeof(ti));
	if (fd < 0 || getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) != 0 ||
	    len < offsetof(struct tcp_info, tcpi_bytes_acked) + sizeof(ti.tcpi_bytes_acked) ||
	    ioctl(fd, SIOCOUTQ, &q) != 0 || q < 0)
		return ERR_UNSUPPORTED;
	*acked = ti.tcpi_bytes_acked;
	*queued = (uint64_t)q;
	return 0;
}
