// SPDX-License-Identifier: Apache-2.0
/*
 * CPU enumeration from sysfs ranges ("0-3,5,7-8"). Buffers are per possible
 * CPU (a CPU that comes online later must already have one), so "possible"
 * is the count that matters; "online" tells which ones produce events now.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "platform_internal.h"

int scap_platform_parse_cpu_range(const char *s, int cpu, bool *in)
{
	const char *p = s;
	int max = -1;

	if (in)
		*in = false;
	while (*p && *p != '\n') {
		char *end;
		long a = strtol(p, &end, 10), b;

		if (end == p || a < 0 || a > 65535)
			return -EIO;
		b = a;
		p = end;
		if (*p == '-') {
			b = strtol(p + 1, &end, 10);
			if (end == p + 1 || b < a || b > 65535)
				return -EIO;
			p = end;
		}
		if (in && cpu >= a && cpu <= b)
			*in = true;
		if (b > max)
			max = (int)b;
		if (*p == ',')
			p++;
		else if (*p && *p != '\n')
			return -EIO;
	}
	return max >= 0 ? max + 1 : -EIO;
}

static int read_range(const char *path, int cpu, bool *in)
{
	char buf[4096];
	FILE *fp = fopen(path, "re");

	if (!fp)
		return -errno;
	if (!fgets(buf, sizeof(buf), fp)) {
		fclose(fp);
		return -EIO;
	}
	fclose(fp);
	return scap_platform_parse_cpu_range(buf, cpu, in);
}

/* Fixed at boot: read once. Racing first calls compute the same value. */
static int possible_cached;

int scap_platform_possible_cpus(void)
{
	int n = __atomic_load_n(&possible_cached, __ATOMIC_ACQUIRE);

	if (n > 0)
		return n;
	n = read_range("/sys/devices/system/cpu/possible", -1, NULL);
	/* No sysfs (some containers): the configured count is the best guess. */
	if (n <= 0)
		n = (int)sysconf(_SC_NPROCESSORS_CONF);
	if (n <= 0)
		return -ENOENT;
	__atomic_store_n(&possible_cached, n, __ATOMIC_RELEASE);
	return n;
}

bool scap_platform_cpu_online(int cpu)
{
	bool in = false;

	if (cpu < 0)
		return false;
	if (read_range("/sys/devices/system/cpu/online", cpu, &in) > 0)
		return in;
	return cpu < sysconf(_SC_NPROCESSORS_ONLN);
}
