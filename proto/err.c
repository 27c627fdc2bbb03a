/* SPDX-License-Identifier: Apache-2.0 */
#include "err.h"

const char *
err_str(int r)
{
	switch (r) {
	case ERR_OK: return "success";
	case ERR_INTERNAL: return "internal error";
	case ERR_NOMEM: return "out of memory";
	case ERR_SYSTEM: return "system call failed";
	case ERR_INCOMPLETE: return "incomplete input";
	case ERR_FORMAT: return "malformed input";
	case ERR_TOO_LARGE: return "length or count over its limit";
	case ERR_NO_SPACE: return "buffer full";
	case ERR_TRAILING: return "trailing bytes";
	case ERR_AUTH: return "authentication failed";
	case ERR_PROTOCOL: return "not allowed in this state";
	case ERR_CLOSED: return "connection closed";
	case ERR_AGAIN: return "would block";
	case ERR_TIMEOUT: return "timed out";
	case ERR_UNSUPPORTED: return "unsupported version or type";
	case ERR_LIMIT: return "rate or count limit reached";
	case ERR_NOT_FOUND: return "not found";
	}
	return "unknown error";
}
