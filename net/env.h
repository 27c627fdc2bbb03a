/* SPDX-License-Identifier: Apache-2.0 */
/*
 * env.h - the environment variables the clients honour, read in one place
 * and only from main(): nothing in proto/, and nothing else in net/, reads
 * the environment. main() passes what these return down as parameters
 * (a struct sec_policy, a force_xchacha flag, struct transport_opts).
 *
 * libcurl still reads its own proxy variables (http_proxy, https_proxy,
 * all_proxy, no_proxy and their upper-case forms): that is curl's
 * behaviour, documented in transport.h, not ours.
 */
#ifndef NET_ENV_H
#define NET_ENV_H

#include <stdbool.h>
#include <stddef.h>

#include "sec.h"
#include "transport.h"

/*
 * The record layer's policy: sec_policy_default()'s values, each overridden
 * by FERNSICHT_REKEY_MESSAGES, FERNSICHT_REKEY_BYTES, FERNSICHT_REKEY_MS
 * and FERNSICHT_KEY_MAX_AGE_MS when set to a positive integer (anything
 * else is logged once and ignored). A key age limit below the rekey
 * interval is raised to 1.5 times that interval: a receiver gives a sender
 * at least one interval.
 */
void env_sec_policy(struct sec_policy *p);

/* FERNSICHT_FORCE_XCHACHA is set, not empty and not "0". */
bool env_force_xchacha(void);

/*
 * What the transports take from the environment, into o:
 * - o->state_file, when NULL: $XDG_CACHE_HOME/fernsicht/transport, else
 *   $HOME/.cache/fernsicht/transport (absolute paths only), written into
 *   path[0..path_len); left NULL (remember nothing) when neither is usable;
 * - o->env_proxy: https_proxy, HTTPS_PROXY, all_proxy or ALL_PROXY is set,
 *   so curl has a proxy for the proxy tier even without --proxy.
 * path must live as long as o.
 */
void env_transport(struct transport_opts *o, char *path, size_t path_len);

/*
 * Where received files land by default: the XDG download folder's
 * "Fernsicht" (XDG_DOWNLOAD_DIR from $XDG_CONFIG_HOME/user-dirs.dirs or
 * ~/.config/user-dirs.dirs, as xdg-user-dir reads it; else ~/Downloads),
 * written into path[0..len). Non-zero when there is no usable HOME.
 */
int env_download_dir(char *path, size_t len);

/*
 * Where the user's settings file named file is: $XDG_CONFIG_HOME/fernsicht/
 * file, else $HOME/.config/fernsicht/file (absolute paths only), written
 * into path[0..path_len). False, with path empty, when neither is usable
 * or the path does not fit.
 */
bool env_config_path(const char *file, char *path, size_t path_len);
/* Make the folders of path that are missing (0700: they are the user's
 * own); 0 or -errno. */
int env_make_parents(const char *path);

#endif
