/* SPDX-License-Identifier: Apache-2.0 */
/* net.h - socket helpers shared by the programs (anet style). */
#ifndef NET_NET_H
#define NET_NET_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "err.h"

/*
 * Split "host:port", "[v6]:port" or "host" (port = default_port) into host
 * and port. ERR_FORMAT for anything else.
 */
int net_split_hostport(const char *s, uint16_t default_port, char *host, size_t host_len,
    uint16_t *port) WUR;
/*
 * Connect to host:port within timeout_ms. Returns a non-blocking socket
 * with TCP_NODELAY, or a negative ERR_*; why[] then says what failed.
 */
int net_connect(const char *host, uint16_t port, int timeout_ms, char *why, size_t why_len);
/* Listen on "addr:port"; fills the bound address back (port 0 -> real port). */
int net_listen(const char *addr, char *bound, size_t bound_len, char *why, size_t why_len);
int net_set_nonblock(int fd) WUR;
void net_set_nodelay(int fd);
/* "ip:port" of a socket address. */
void net_addr_str(const struct sockaddr *sa, char *out, size_t out_len);
/* The bytes of TCP socket fd its peer has acknowledged so far (the
 * peer's TCP, not its program), and how many of ours wait in the socket
 * to be sent or acknowledged. ERR_UNSUPPORTED for another socket. */
int net_tcp_acked(int fd, uint64_t *acked, uint64_t *queued) WUR;

#endif
