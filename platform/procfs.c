// SPDX-License-Identifier: Apache-2.0
/*
 * /proc readers and parsers for the process table (procfs.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scap/common/event_layout.h"
#include "procfs.h"

/* Reads a whole small file relative to dirfd into buf (NUL-terminated). Length or -errno. */
static ssize_t read_file(int dirfd, const char *name, char *buf, size_t len)
{
	size_t have = 0;
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	while (have + 1 < len) {
		ssize_t n = read(fd, buf + have, len - 1 - have);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			close(fd);
			return -e;
		}
		if (n == 0)
			break;
		have += (size_t)n;
	}
	close(fd);
	buf[have] = '\0';
	return (ssize_t)have;
}

/* Parses a decimal at *p (skipping blanks first); advances *p. */
static bool parse_u64(const char **p, const char *end, uint64_t *out)
{
	const char *s = *p;
	uint64_t v = 0;
	bool any = false;

	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	while (s < end && *s >= '0' && *s <= '9') {
		v = v * 10 + (uint64_t)(*s - '0');
		s++;
		any = true;
	}
	*p = s;
	*out = v;
	return any;
}

int scap_procfs_parse_stat(const char *text, size_t len, struct scap_procfs_thread *t)
{
	const char *end = text + len, *lp = memchr(text, '(', len), *rp = NULL, *p;
	uint64_t v;
	size_t n;

	for (p = end; p > text; p--)
		if (p[-1] == ')') {
			rp = p - 1;
			break;
		}
	if (!lp || !rp || rp < lp || rp + 2 >= end)
		return -EINVAL;
	n = (size_t)(rp - lp - 1);
	if (n >= sizeof(t->comm))
		n = sizeof(t->comm) - 1;
	memcpy(t->comm, lp + 1, n);
	t->comm[n] = '\0';
	p = rp + 2;
	t->state = *p++;
	/* Fields 4.. after the state: ppid is the first, starttime the 19th. */
	for (unsigned f = 0; f < 19; f++) {
		while (p < end && *p == ' ')
			p++;
		if (p < end && *p == '-')
			p++;
		if (!parse_u64(&p, end, &v))
			return -EINVAL;
		if (f == 0)
			t->ppid = (uint32_t)v;
		if (f == 18)
			t->start_ticks = v;
	}
	t->have |= SCAP_PROCFS_STAT;
	return 0;
}

/* The value after "Key:" at the start of a line, or NULL. */
static const char *status_field(const char *text, const char *end, const char *key)
{
	size_t k = strlen(key);

	for (const char *p = text; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		if ((size_t)(end - p) > k && memcmp(p, key, k) == 0 && p[k] == ':')
			return p + k + 1;
		p = nl ? nl + 1 : end;
	}
	return NULL;
}

/* The last number of a line (the innermost namespace's value). */
static bool last_number(const char *p, const char *end, uint32_t *out)
{
	uint64_t v;
	bool any = false;

	while (p < end && *p != '\n') {
		if (parse_u64(&p, end, &v)) {
			*out = (uint32_t)v;
			any = true;
		} else if (p < end && *p != '\n') {
			p++;
		}
	}
	return any;
}

/* "Uid:\tR\tE\tS\tFS": the real and effective ids. */
static bool id_pair(const char *text, const char *end, const char *key, uint32_t *real, uint32_t *eff)
{
	const char *p = status_field(text, end, key);
	uint64_t a, b;

	if (!p || !parse_u64(&p, end, &a) || !parse_u64(&p, end, &b))
		return false;
	*real = (uint32_t)a;
	*eff = (uint32_t)b;
	return true;
}

int scap_procfs_parse_status(const char *text, size_t len, struct scap_procfs_thread *t)
{
	const char *end = text + len, *p;
	uint64_t a;

	p = status_field(text, end, "Tgid");
	if (p && parse_u64(&p, end, &a))
		t->pid = (uint32_t)a;
	if (!id_pair(text, end, "Uid", &t->uid, &t->euid) || !id_pair(text, end, "Gid", &t->gid, &t->egid))
		return -EINVAL;
	t->have |= SCAP_PROCFS_STATUS;
	{
		const char *ns_tgid = status_field(text, end, "NStgid");
		const char *ns_pid = status_field(text, end, "NSpid");

		if (ns_tgid && ns_pid && last_number(ns_tgid, end, &t->vpid) && last_number(ns_pid, end, &t->vtid))
			t->have |= SCAP_PROCFS_NS;
	}
	return 0;
}

int scap_procfs_cgroup_pick(const char *text, size_t len, char *out, size_t outlen)
{
	const char *end = text + len, *v2 = NULL, *mem = NULL, *pick;
	size_t v2len = 0, memlen = 0, n;

	for (const char *p = text; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		const char *c1 = memchr(p, ':', (size_t)(le - p));
		const char *c2 = c1 ? memchr(c1 + 1, ':', (size_t)(le - c1 - 1)) : NULL;

		if (c2) {
			const char *ctl = c1 + 1;
			size_t ctllen = (size_t)(c2 - ctl);

			if (c1 - p == 1 && p[0] == '0' && ctllen == 0) {
				v2 = c2 + 1;
				v2len = (size_t)(le - v2);
			} else {
				/* "memory" alone or in a comma list of controllers. */
				for (const char *q = ctl; q < c2;) {
					const char *comma = memchr(q, ',', (size_t)(c2 - q));
					const char *qe = comma ? comma : c2;

					if (qe - q == 6 && memcmp(q, "memory", 6) == 0) {
						mem = c2 + 1;
						memlen = (size_t)(le - mem);
					}
					q = qe + 1;
				}
			}
		}
		p = nl ? nl + 1 : end;
	}
	if (v2 && !(v2len == 1 && v2[0] == '/'))
		pick = v2, n = v2len;
	else if (mem)
		pick = mem, n = memlen;
	else
		pick = "/", n = 1; /* v2's root, shown or not (a kernel that never mounted cgroup2 hides it) */
	if (outlen) {
		size_t k = n < outlen - 1 ? n : outlen - 1;

		memcpy(out, pick, k);
		out[k] = '\0';
	}
	return (int)n;
}

size_t scap_procfs_argv_cut(char *buf, size_t len, bool more, bool *truncated)
{
	unsigned items = 0;

	*truncated = more;
	if (len > SCAP_MAX_ARGV_LEN - 1) {
		len = SCAP_MAX_ARGV_LEN - 1;
		*truncated = true;
	}
	if (!len)
		return 0;
	buf[len - 1] = '\0';
	for (size_t k = 0; k < len; k++) {
		if (buf[k] == '\0' && ++items == SCAP_MAX_ARGV_ITEMS) {
			if (k + 1 < len)
				*truncated = true;
			return k + 1;
		}
	}
	return len;
}

int scap_procfs_read_thread(int dirfd, struct scap_procfs_thread *t)
{
	char buf[4096];
	ssize_t n;

	n = read_file(dirfd, "stat", buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	if (scap_procfs_parse_stat(buf, (size_t)n, t) < 0)
		return -EINVAL;
	n = read_file(dirfd, "status", buf, sizeof(buf));
	if (n >= 0)
		scap_procfs_parse_status(buf, (size_t)n, t);
	return 0;
}

int scap_procfs_read_loginuid(int dirfd, uint32_t *out)
{
	char buf[32];
	const char *p = buf;
	uint64_t v;
	ssize_t n = read_file(dirfd, "loginuid", buf, sizeof(buf));

	if (n < 0)
		return (int)n;
	if (!parse_u64(&p, buf + n, &v))
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

ssize_t scap_procfs_readlink(int dirfd, const char *name, char *buf, size_t len)
{
	static const char deleted[] = " (deleted)";
	size_t dl = sizeof(deleted) - 1;
	ssize_t n;

	if (len < 2)
		return -EINVAL;
	n = readlinkat(dirfd, name, buf, len - 1);
	if (n < 0)
		return -errno;
	if ((size_t)n >= len - 1)
		return -ENAMETOOLONG;
	if ((size_t)n > dl && memcmp(buf + n - dl, deleted, dl) == 0)
		n -= (ssize_t)dl;
	buf[n] = '\0';
	return n;
}

ssize_t scap_procfs_read_cmdline(int dirfd, char *buf, size_t len, bool *truncated)
{
	char extra;
	size_t have = 0;
	bool more = false;
	int fd;

	if (len < SCAP_MAX_ARGV_LEN)
		return -EINVAL;
	fd = openat(dirfd, "cmdline", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (have < SCAP_MAX_ARGV_LEN) {
		ssize_t n = read(fd, buf + have, SCAP_MAX_ARGV_LEN - have);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		have += (size_t)n;
	}
	if (have == SCAP_MAX_ARGV_LEN) {
		ssize_t n;

		while ((n = read(fd, &extra, 1)) < 0 && errno == EINTR)
			;
		more = n > 0;
	}
	close(fd);
	return (ssize_t)scap_procfs_argv_cut(buf, have, more, truncated);
}

ssize_t scap_procfs_read_cgroup(int dirfd, char *buf, size_t len)
{
	char text[8192];
	char *big = NULL;
	ssize_t n = read_file(dirfd, "cgroup", text, sizeof(text));
	int r;

	if (n < 0)
		return n;
	if ((size_t)n + 1 >= sizeof(text)) {
		/* Many hierarchies with long paths: read it again, whole. */
		size_t cap = 1u << 16;

		big = malloc(cap);
		if (!big)
			return -ENOMEM;
		n = read_file(dirfd, "cgroup", big, cap);
		if (n < 0) {
			free(big);
			return n;
		}
	}
	r = scap_procfs_cgroup_pick(big ? big : text, (size_t)n, buf, len);
	free(big);
	return r;
}

uint64_t scap_procfs_tick_ns(void)
{
	long hz = sysconf(_SC_CLK_TCK);

	return hz > 0 ? 1000000000ull / (uint64_t)hz : 10000000ull;
}
