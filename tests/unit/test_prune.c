/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_prune.c - a folder transfer's TOP.part keeps what the transfer sent
 * and loses the rest (endpoint/prune.h): leftover files and folders, a
 * leftover .part, a symlink (removed, not followed); a folder that was
 * never an entry stays while it holds something sent.
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "prune.h"
#include "test.h"

static char root[64];

static void
put(const char *rel, const char *text)
{
	char p[256];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	if ((f = fopen(p, "w")) != NULL) {
		fputs(text, f);
		fclose(f);
	}
}

static void
dir(const char *rel)
{
	char p[256];

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	mkdir(p, 0700);
}

static bool
there(const char *rel)
{
	char p[256];
	struct stat st;

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	return lstat(p, &st) == 0;
}

#define SENT(s) CHECK(prune_add(&p, s, strlen(s)) == 0)

int
main(void)
{
	char outside[96], link[128], p_top[96];
	struct prune p = { 0 };
	int top;

	if (sodium_init() < 0)
		TEST_BAIL("sodium_init");
	snprintf(root, sizeof(root), "/tmp/test_prune.XXXXXX");
	if (mkdtemp(root) == NULL)
		TEST_BAIL("mkdtemp");
	/* outside/ must survive: a leftover symlink points there */
	snprintf(outside, sizeof(outside), "%s/outside", root);
	mkdir(outside, 0700);
	put("outside/keep.txt", "outside");
	dir("top.part");
	dir("top.part/sent");
	put("top.part/sent/a.txt", "sent");
	put("top.part/sent/old.txt", "an earlier transfer's");
	put("top.part/sent/a.txt.part", "an unfinished copy");
	dir("top.part/implicit");
	dir("top.part/implicit/deeper");
	put("top.part/implicit/deeper/b.txt", "sent, its folders were no entries");
	dir("top.part/stale");
	dir("top.part/stale/inside");
	put("top.part/stale/inside/c.txt", "an earlier transfer's");
	dir("top.part/empty-sent");
	snprintf(link, sizeof(link), "%s/top.part/sent/link", root);
	CHECK(symlink(outside, link) == 0);

	SENT("sent");
	SENT("sent/a.txt");
	SENT("implicit/deeper/b.txt");
	SENT("empty-sent");
	snprintf(p_top, sizeof(p_top), "%s/top.part", root);
	top = open(p_top, O_RDONLY | O_DIRECTORY);
	CHECK(top >= 0);
	CHECK(prune_rest(&p, top) == 0);
	close(top);

	CHECK(there("top.part/sent/a.txt"));
	CHECK(there("top.part/implicit/deeper/b.txt"));
	CHECK(there("top.part/empty-sent"));
	CHECK(!there("top.part/sent/old.txt"));
	CHECK(!there("top.part/sent/a.txt.part"));
	CHECK(!there("top.part/sent/link"));
	CHECK(!there("top.part/stale"));
	CHECK(there("outside/keep.txt"));
	prune_free(&p);

	/* nothing sent below the top (a folder of one empty folder): all goes */
	top = open(p_top, O_RDONLY | O_DIRECTORY);
	CHECK(prune_rest(&p, top) == 0);
	close(top);
	CHECK(!there("top.part/sent") && !there("top.part/implicit") &&
	    !there("top.part/empty-sent"));
	CHECK(there("top.part") && there("outside/keep.txt"));
	prune_free(&p);

	unlink(link);
	rmdir(p_top);
	snprintf(link, sizeof(link), "%s/keep.txt", outside);
	unlink(link);
	rmdir(outside);
	rmdir(root);
	return test_done();
}
