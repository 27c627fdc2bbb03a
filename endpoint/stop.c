/* SPDX-License-Identifier: Apache-2.0 */
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "stop.h"

int
stop_open(void)
{
	struct sigaction sa;
	sigset_t set;
	int fd;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	if ((fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC)) < 0)
		return -1;
	if (sigprocmask(SIG_BLOCK, &set, NULL) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

bool
stop_requested(int fd)
{
	struct signalfd_siginfo si;
	bool got = false;

	if (fd < 0)
		return false;
	while (read(fd, &si, sizeof(si)) == (ssize_t)sizeof(si))
		got = true;
	return got;
}
