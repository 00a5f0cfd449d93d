// SPDX-License-Identifier: Apache-2.0
/*
 * SCAP_PROBE_OVERRIDE: "feature=0|1,kernel=RELEASE,arch=NAME", forcing probe
 * answers so that every fallback path can be exercised on one host. Parsed
 * strictly: a typo must not silently leave the real answer in place.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "platform_internal.h"

static const char *const feature_names[SCAP_FEAT_MAX] = {
	[SCAP_FEAT_BTF] = "btf",
	[SCAP_FEAT_RINGBUF] = "ringbuf",
	[SCAP_FEAT_TP_BTF] = "tp_btf",
	[SCAP_FEAT_RAW_TRACEPOINT] = "raw_tracepoint",
	[SCAP_FEAT_PERF_EVENT_ARRAY] = "perf_event_array",
	[SCAP_FEAT_KMOD] = "kmod",
	[SCAP_FEAT_BPF_PRIV] = "bpf_priv",
	[SCAP_FEAT_MODULES] = "modules",
};

#define BAD_KERNEL                                                                            \
	"SCAP_PROBE_OVERRIDE: kernel='%.*s' is not a kernel release (expected "                  \
	"MAJOR.MINOR[.PATCH][-suffix], e.g. kernel=4.18.0-513.el8.x86_64)."
#define BAD_ARCH \
	"SCAP_PROBE_OVERRIDE: arch='%.*s' is not an architecture name as uname -m prints it (e.g. arch=aarch64)."
#define VALID_KEYS "btf, ringbuf, tp_btf, raw_tracepoint, perf_event_array, kmod, bpf_priv, modules, kernel, arch"

const char *scap_feature_name(enum scap_feature f)
{
	if ((unsigned)f >= SCAP_FEAT_MAX)
		return "unknown";
	return feature_names[f];
}

int scap_feature_by_name(const char *name, size_t len)
{
	for (int i = 0; i < SCAP_FEAT_MAX; i++)
		if (strlen(feature_names[i]) == len && !memcmp(feature_names[i], name, len))
			return i;
	return -1;
}

static int fail(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static bool key_is(const char *k, size_t klen, const char *name)
{
	return strlen(name) == klen && !memcmp(k, name, klen);
}

/* One "key=value" item, already trimmed. */
static int parse_item(const char *it, size_t len, struct scap_probe_override *o,
		      char *err, size_t errlen)
{
	const char *eq = memchr(it, '=', len);
	size_t klen, vlen;
	const char *v;
	int f;

	if (!eq)
		return fail(err, errlen, "SCAP_PROBE_OVERRIDE: '%.*s' is not key=value "
			    "(keys: " VALID_KEYS ").", (int)len, it);
	klen = (size_t)(eq - it);
	while (klen && isspace((unsigned char)it[klen - 1]))
		klen--;
	v = eq + 1;
	vlen = len - (size_t)(v - it);
	while (vlen && isspace((unsigned char)*v)) {
		v++;
		vlen--;
	}
	if (!klen)
		return fail(err, errlen, "SCAP_PROBE_OVERRIDE: '%.*s' has no key "
			    "(keys: " VALID_KEYS ").", (int)len, it);

	if (key_is(it, klen, "kernel")) {
		char rel[sizeof(o->release)];

		if (o->has_kernel)
			return fail(err, errlen, "SCAP_PROBE_OVERRIDE: '%.*s' is given twice.", (int)klen, it);
		if (!vlen || vlen >= sizeof(rel))
			return fail(err, errlen, BAD_KERNEL, (int)vlen, v);
		memcpy(rel, v, vlen);
		rel[vlen] = '\0';
		if (scap_kernel_version_parse(rel, &o->kernel))
			return fail(err, errlen, BAD_KERNEL, (int)vlen, v);
		memcpy(o->release, rel, vlen + 1);
		o->has_kernel = true;
		return 0;
	}
	if (key_is(it, klen, "arch")) {
		if (o->has_arch)
			return fail(err, errlen, "SCAP_PROBE_OVERRIDE: '%.*s' is given twice.", (int)klen, it);
		if (!vlen || vlen >= sizeof(o->arch))
			return fail(err, errlen, BAD_ARCH, (int)vlen, v);
		for (size_t i = 0; i < vlen; i++)
			if (!isalnum((unsigned char)v[i]) && v[i] != '_')
				return fail(err, errlen, BAD_ARCH, (int)vlen, v);
		memcpy(o->arch, v, vlen);
		o->arch[vlen] = '\0';
		o->has_arch = true;
		return 0;
	}
	f = scap_feature_by_name(it, klen);
	if (f < 0)
		return fail(err, errlen, "SCAP_PROBE_OVERRIDE: unknown feature '%.*s' "
			    "(valid: " VALID_KEYS ").", (int)klen, it);
	if (o->has_feat[f])
		return fail(err, errlen, "SCAP_PROBE_OVERRIDE: '%.*s' is given twice.", (int)klen, it);
	if (vlen != 1 || (v[0] != '0' && v[0] != '1'))
		return fail(err, errlen, "SCAP_PROBE_OVERRIDE: '%.*s' needs the value 0 or 1.", (int)len, it);
	o->has_feat[f] = true;
	o->feat[f] = v[0] == '1';
	return 0;
}

int scap_probe_override_parse(const char *s, struct scap_probe_override *out, char *err, size_t errlen)
{
	struct scap_probe_override o;

	memset(&o, 0, sizeof(o));
	if (err && errlen)
		err[0] = '\0';
	if (!out)
		return -EINVAL;
	if (!s || !*s) {
		*out = o;
		return 0;
	}
	while (*s) {
		const char *end = strchr(s, ',');
		size_t len = end ? (size_t)(end - s) : strlen(s);
		const char *it = s;
		int r;

		while (len && isspace((unsigned char)*it)) {
			it++;
			len--;
		}
		while (len && isspace((unsigned char)it[len - 1]))
			len--;
		if (!len)
			return fail(err, errlen, "SCAP_PROBE_OVERRIDE: empty entry (write "
				    "key=value items separated by single commas, e.g. ringbuf=0,kernel=5.4).");
		r = parse_item(it, len, &o, err, errlen);
		if (r)
			return r;
		if (!end)
			break;
		s = end + 1;
		if (!*s)
			return fail(err, errlen, "SCAP_PROBE_OVERRIDE: trailing comma (write "
				    "key=value items separated by single commas, e.g. ringbuf=0,kernel=5.4).");
	}
	*out = o;
	return 0;
}
