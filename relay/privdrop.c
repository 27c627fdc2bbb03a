/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "privdrop.h"

bool
privdrop_is_root(void)
{
	return geteuid() == 0;
}

bool
privdrop_user_ok(const char *user, char *why, size_t why_len)
{
	struct passwd *pw;

	errno = 0;
	if ((pw = getpwnam(user)) == NULL) {
		snprintf(why, why_len, "user %s: %s", user,
		    errno != 0 ? strerror(errno) : "no such user");
		return false;
	}
	if (pw->pw_uid == 0) {
		snprintf(why, why_len, "user %s is root: that gives nothing up", user);
		return false;
	}
	return true;
}

int
privdrop_to(const char *user, char *why, size_t why_len)
{
	struct passwd *pw;
	uid_t uid;
	gid_t gid;

	errno = 0;
	if ((pw = getpwnam(user)) == NULL) {
		snprintf(why, why_len, "user %s: %s", user,
		    errno != 0 ? strerror(errno) : "no such user");
		return ERR_FORMAT;
	}
	uid = pw->pw_uid;
	gid = pw->pw_gid;
	if (uid == 0) {
		snprintf(why, why_len, "user %s is root: that gives nothing up", user);
		return ERR_FORMAT;
	}
	/* the groups first: once the uid is gone, so is the right to change them */
	if (initgroups(user, gid) != 0) {
		snprintf(why, why_len, "initgroups %s: %s", user, strerror(errno));
		return ERR_SYSTEM;
	}
	if (setresgid(gid, gid, gid) != 0) {
		snprintf(why, why_len, "setresgid %u: %s", (unsigned)gid, strerror(errno));
		return ERR_SYSTEM;
	}
	if (setresuid(uid, uid, uid) != 0) {
		snprintf(why, why_len, "setresuid %u: %s", (unsigned)uid, strerror(errno));
		return ERR_SYSTEM;
	}
	/* real, effective and saved ids all changed, so none leads back */
	if (setuid(0) == 0 || seteuid(0) == 0 || setgid(0) == 0 || getuid() != uid ||
	    geteuid() != uid || getgid() != gid || getegid() != gid) {
		snprintf(why, why_len, "user %s: root could be taken back", user);
		return ERR_SYSTEM;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
		snprintf(why, why_len, "PR_SET_NO_NEW_PRIVS: %s", strerror(errno));
		return ERR_SYSTEM;
	}
	return 0;
}

bool
privdrop_dir_writable(const char *dir)
{
	/* access() asks with the real ids: after privdrop_to, the user's */
	return access(dir, W_OK | X_OK) == 0;
}
