// SPDX-License-Identifier: Apache-2.0
/*
 * The container id in a cgroup path (scap_container_id, include/scap/scap.h).
 *
 * Container runtimes put each container in a cgroup named after its id, in
 * one of two layouts: a directory named <id> under the runtime's own
 * directory (cgroupfs driver: /docker/<id>, /kubepods/<qos>/pod<uid>/<id>),
 * or a systemd scope <runtime>-<id>.scope (systemd driver:
 * /system.slice/docker-<id>.scope, .../cri-containerd-<id>.scope,
 * .../crio-<id>.scope, .../libpod-<id>.scope). Processes a container starts
 * in cgroups of its own (systemd in a container: .../<id>/init.scope) are
 * still that container's, so the components are tried from the last one up;
 * the first that names an id wins (the innermost container when they nest).
 * Everything else is "host": a systemd session or service scope, a cgroup
 * made by hand, the root. Monitors of a runtime (libpod-conmon-<id>,
 * crio-conmon-<id>) are not in the container and do not match: their rest
 * is not an id.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "scap/scap.h"

#define ID_LONG 64u
#define ID_SHORT 12u

/* Prefixes of the systemd-driver scopes (and of CRI-O's and podman's
 * cgroupfs directories, which carry the same names without ".scope"). */
static const char *const runtime_prefixes[] = {
	"docker-", "cri-containerd-", "crio-", "libpod-", "nerdctl-", NULL,
};

/* Parents under which a bare id names a container (cgroupfs drivers). */
static const char *const id_parents[] = { "docker", "libpod_parent", NULL };

static bool is_id(const char *s, size_t n)
{
	if (n != ID_LONG && n != ID_SHORT)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return false;
	}
	return true;
}

static bool comp_is(const char *s, size_t n, const char *word)
{
	return strlen(word) == n && memcmp(s, word, n) == 0;
}

static bool starts_with(const char *s, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);

	return n >= k && memcmp(s, prefix, k) == 0;
}

/* The id a <prefix><id>[.scope] component names, or NULL. */
static const char *prefixed_id(const char *s, size_t n, size_t *idlen)
{
	static const char scope[] = ".scope";
	size_t sl = sizeof(scope) - 1;

	if (n > sl && memcmp(s + n - sl, scope, sl) == 0)
		n -= sl;
	for (unsigned i = 0; runtime_prefixes[i]; i++) {
		size_t k = strlen(runtime_prefixes[i]);

		if (starts_with(s, n, runtime_prefixes[i]) && is_id(s + k, n - k)) {
			*idlen = n - k;
			return s + k;
		}
	}
	return NULL;
}

/*
 * Whether a bare id of idlen characters, in a component whose parents are
 * path[0..end), is a container's. 64 hex digits are a runtime's id wherever
 * they are (docker's --cgroup-parent puts them under any directory, the
 * kubelet under its pod's); the 12 of a short id only under a runtime's own
 * directory, where nothing else is named so.
 */
static bool bare_id_context(const char *path, size_t end, size_t idlen)
{
	size_t i = end, start;

	if (idlen == ID_LONG)
		return true;
	while (i > 0 && path[i - 1] == '/')
		i--;
	start = i;
	while (start > 0 && path[start - 1] != '/')
		start--;
	for (unsigned k = 0; id_parents[k]; k++)
		if (comp_is(path + start, i - start, id_parents[k]))
			return true;
	return false;
}

int scap_container_id(const char *cgroup_path, char *out, size_t len)
{
	size_t end;

	if (!cgroup_path || !out || len < SCAP_PROC_CONTAINER_ID_LEN)
		return -EINVAL;
	end = strlen(cgroup_path);
	while (end > 0) {
		size_t start = end, idlen = 0;
		const char *id;

		while (start > 0 && cgroup_path[start - 1] != '/')
			start--;
		if (start < end) {
			id = prefixed_id(cgroup_path + start, end - start, &idlen);
			if (!id && is_id(cgroup_path + start, end - start) &&
			    bare_id_context(cgroup_path, start, end - start)) {
				id = cgroup_path + start;
				idlen = end - start;
			}
			if (id) {
				memcpy(out, id, idlen);
				out[idlen] = '\0';
				return (int)idlen;
			}
		}
		end = start > 0 ? start - 1 : 0;
	}
	memcpy(out, "host", 5);
	return 4;
}
