// SPDX-License-Identifier: Apache-2.0
/*
 * Kernel release strings as distributions spell them: the numbers come first
 * ("4.18.0-513.el8.x86_64", "5.15.0-1050-azure", "6.18.44-fc-v657", "5.4"),
 * anything after them is the distribution's and is ignored.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>

#include "platform.h"

/* Reads a decimal number; NULL on no digit or overflow. */
static const char *read_num(const char *p, unsigned *out)
{
	unsigned long v = 0;

	if (!isdigit((unsigned char)*p))
		return NULL;
	while (isdigit((unsigned char)*p)) {
		v = v * 10 + (unsigned long)(*p - '0');
		if (v > 0xffffu)
			return NULL;
		p++;
	}
	*out = (unsigned)v;
	return p;
}

int scap_kernel_version_parse(const char *release, struct scap_kernel_version *out)
{
	struct scap_kernel_version v = { 0, 0, 0 };
	const char *p = release;

	if (!p || !out)
		return -EINVAL;
	p = read_num(p, &v.major);
	if (!p || *p != '.')
		return -EINVAL;
	p = read_num(p + 1, &v.minor);
	if (!p)
		return -EINVAL;
	if (*p == '.' && isdigit((unsigned char)p[1])) {
		p = read_num(p + 1, &v.patch);
		if (!p)
			return -EINVAL;
	}
	if (v.major == 0)
		return -EINVAL;

	/*
	 * The UNAME26 personality makes 3.x and later kernels report 2.6.x so
	 * that old software keeps working: 3.x shows as 2.6.(40+x) (patch kept),
	 * 4.0 and later as 2.6.(60+minor) with the major and the patch lost. Real
	 * 2.6 releases stopped at 2.6.39. For 60 and up we assume the lowest
	 * major it can be (4): the minimum-kernel checks then err on the safe
	 * side, and the feature probes, which beat the version, decide anyway.
	 */
	if (v.major == 2 && v.minor == 6 && v.patch >= 40) {
		if (v.patch < 60) {
			unsigned minor = v.patch - 40;
			unsigned patch = 0;

			if (*p == '.' && isdigit((unsigned char)p[1]) && !read_num(p + 1, &patch))
				return -EINVAL;
			v.major = 3;
			v.minor = minor;
			v.patch = patch;
		} else {
			v.major = 4;
			v.minor = v.patch - 60;
			v.patch = 0;
		}
	}
	*out = v;
	return 0;
}

static int cmp_u(unsigned a, unsigned b)
{
	return (a > b) - (a < b);
}

int scap_kernel_version_cmp(const struct scap_kernel_version *a, const struct scap_kernel_version *b)
{
	int c = cmp_u(a->major, b->major);

	if (c)
		return c;
	c = cmp_u(a->minor, b->minor);
	if (c)
		return c;
	return cmp_u(a->patch, b->patch);
}
