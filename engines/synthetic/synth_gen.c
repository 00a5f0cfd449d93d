// SPDX-License-Identifier: Apache-2.0
#include <stdlib.h>
#include <string.h>

#include "scap/event_builder.h"
#include "scap/flagsets.h"
#include "synth_gen.h"

#define ARENA_SIZE (2u * SCAP_MAX_EVENT_LEN)
#define NPROCS 64u

struct synth_gen {
	uint64_t rng;
	unsigned ncpus;
	unsigned snaplen;
	uint32_t max_event;
	uint64_t now;
	uint64_t prev_ts;
	unsigned prev_cpu;
	bool have_prev;
	/* An enter row is always followed by its exit on the same thread. */
	bool exit_due;
	uint16_t exit_code;
	unsigned exit_cpu;
	uint32_t exit_tid, exit_pid;
	struct scap_bval enter_vals[SCAP_MAX_PARAMS];
	uint16_t enter_code;
	/* Syscall numbers the generic event carries: untyped ones, and a few unknown. */
	int *generic_nrs;
	unsigned ngeneric;
	uint8_t *arena;   /* parameter values of the event being built */
	size_t arena_used;
	uint8_t *event;   /* the event built last */
};

static inline uint64_t rnd(struct synth_gen *g)
{
	/* splitmix64: tiny, fast, and good enough for test data. */
	uint64_t z = (g->rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static inline uint32_t below(struct synth_gen *g, uint32_t n)
{
	return n ? (uint32_t)(rnd(g) % n) : 0;
}

static void *arena_alloc(struct synth_gen *g, size_t n)
{
	void *p;

	/* The second half keeps the pending enter's values (see synth_gen_next). */
	if (g->arena_used + n > ARENA_SIZE / 2)
		return NULL;
	p = g->arena + g->arena_used;
	g->arena_used += n;
	return p;
}

struct synth_gen *synth_gen_new(uint64_t seed, unsigned ncpus, unsigned snaplen, uint32_t max_event)
{
	struct synth_gen *g = calloc(1, sizeof(*g));
	unsigned nr;

	if (!g)
		return NULL;
	g->rng = seed;
	g->ncpus = ncpus;
	g->snaplen = snaplen;
	g->max_event = max_event;
	g->now = 1000ull * 1000000000ull; /* 1000 s after boot */
	g->arena = malloc(ARENA_SIZE);
	g->event = malloc(SCAP_MAX_EVENT_LEN);
	g->generic_nrs = malloc(sizeof(int) * SCAP_NR_SYSCALLS);
	if (!g->arena || !g->event || !g->generic_nrs) {
		synth_gen_free(g);
		return NULL;
	}
	for (nr = 0; nr < SCAP_NR_SYSCALLS; nr++) {
		unsigned c;
		bool typed = false;

		for (c = 0; c < SCAP_EV_MAX; c++)
			if (scap_event_info(c)->syscall_nr == (int)nr)
				typed = true;
		/* Unnamed numbers (the 335..423 gap, 500+) test "syscall_<nr>"; keep a few. */
		if (!typed && (scap_syscall_name((int)nr) || nr % 37 == 0))
			g->generic_nrs[g->ngeneric++] = (int)nr;
	}
	return g;
}

void synth_gen_free(struct synth_gen *g)
{
	if (!g)
		return;
	free(g->arena);
	free(g->event);
	free(g->generic_nrs);
	free(g);
}

static const char *const words[] = {
	"ls", "-la", "/usr/bin/python3", "--verbose", "nginx", "-g", "daemon off;", "x",
	"héllo", "a b c", "--config=/etc/app/config.yaml", "", "\t", "日本語", "42",
};
static const char *const dirs[] = {
	"/etc", "/tmp", "/usr/lib/x86_64-linux-gnu", "/proc/self", "/var/log/nginx", "/home/user",
	"relative", ".", "..", "/run/containerd/io.containerd.runtime.v2.task/k8s.io",
};
static const char *const bases[] = {
	"passwd", "shadow", "libc.so.6", "fd/3", "access.log", "café.txt", "a", "file with spaces",
	"new\nline", "\x01\x7f\xff", "x.tmp", "..hidden",
};
static const char *const comms[] = { "bash", "nginx", "python3", "sshd", "containerd-shim", "kworker/0:1" };
static const uint32_t modes[] = { 0644, 0600, 0755, 0640, 0777, 01777, 04755, 0, 0444, 02750 };

static uint32_t gen_path(struct synth_gen *g, char *out, uint32_t cap)
{
	uint32_t n = 0, parts = 1 + below(g, 4), i;

	/* Now and then a long path, up to the limit. */
	if (below(g, 50) == 0 && cap > 64) {
		uint32_t want = 64 + below(g, cap - 64);

		out[n++] = '/';
		while (n + 1 < want)
			out[n++] = (char)('a' + below(g, 26));
		out[n] = '\0';
		return n + 1;
	}
	for (i = 0; i < parts; i++) {
		const char *s = i + 1 < parts ? dirs[below(g, sizeof(dirs) / sizeof(dirs[0]))]
					      : bases[below(g, sizeof(bases) / sizeof(bases[0]))];
		size_t l = strlen(s);

		if (i && n + 1 < cap)
			out[n++] = '/';
		if (n + l + 1 > cap)
			break;
		memcpy(out + n, s, l);
		n += (uint32_t)l;
	}
	out[n] = '\0';
	return n + 1;
}

static uint32_t gen_bytes(struct synth_gen *g, uint8_t *out, uint32_t limit)
{
	uint32_t k = below(g, 10), n, i;

	if (k < 3)
		n = below(g, 17);
	else if (k < 6)
		n = 17 + below(g, 200);
	else if (k < 9)
		n = below(g, limit + 1);
	else
		n = limit;
	if (n > limit)
		n = limit;
	if (below(g, 2)) {
		static const char text[] = "GET /index.html HTTP/1.1\r\nHost: example.com\r\n\r\n";

		for (i = 0; i < n; i++)
			out[i] = (uint8_t)text[i % (sizeof(text) - 1)];
	} else {
		for (i = 0; i < n; i++)
			out[i] = (uint8_t)rnd(g);
	}
	return n;
}

static uint32_t gen_sockaddr(struct synth_gen *g, uint8_t *out, uint32_t cap)
{
	uint32_t k = below(g, 20);
	uint8_t a[16];
	unsigned i;

	if (k < 7) {
		static const uint8_t lo[4] = { 127, 0, 0, 1 };

		if (below(g, 2))
			memcpy(a, lo, 4);
		else
			for (i = 0; i < 4; i++)
				a[i] = (uint8_t)rnd(g);
		return scap_sa_inet(out, a, below(g, 2) ? 8080 : (uint16_t)rnd(g));
	}
	if (k < 13) {
		memset(a, 0, 16);
		if (below(g, 2))
			a[15] = 1; /* ::1 */
		else
			for (i = 0; i < 16; i++)
				a[i] = (uint8_t)rnd(g);
		return scap_sa_inet6(out, a, (uint16_t)rnd(g));
	}
	if (k < 18) {
		char p[108];
		uint32_t n;

		if (below(g, 3) == 0) {
			p[0] = '\0';
			memcpy(p + 1, "abstract-sock", 13);
			n = 14;
		} else {
			n = gen_path(g, p, sizeof(p)) - 1;
		}
		if (n + 2 > cap)
			n = cap - 2;
		return scap_sa_unix(out, p, n);
	}
	if (k < 19) {
		out[0] = SCAP_SA_UNSPEC;
		return 1;
	}
	out[0] = SCAP_SA_OTHER;
	out[1] = 16; /* AF_NETLINK */
	out[2] = 0;
	return 3;
}

static uint32_t gen_strarray(struct synth_gen *g, char *out, uint32_t cap)
{
	uint32_t n = 0, items = below(g, 9), i;

	if (cap == 0)
		return 0;
	for (i = 0; i < items; i++) {
		const char *w = words[below(g, sizeof(words) / sizeof(words[0]))];
		size_t l = strlen(w) + 1;

		if (n + l + 1 > cap)
			break;
		memcpy(out + n, w, l);
		n += (uint32_t)l;
	}
	out[n] = '\0'; /* the array's end (an empty array is this NUL alone) */
	return n + 1;
}

static uint64_t gen_flags(struct synth_gen *g, unsigned fs)
{
	const struct scap_flagset_desc *d = scap__flagset(fs);
	uint64_t v = 0;
	unsigned i;

	if (!d)
		return (uint32_t)rnd(g);
	if (d->nenums)
		v = d->enums[below(g, d->nenums)].val;
	for (i = 0; i < d->nflags; i++)
		if (below(g, 4) == 0)
			v |= d->flags[i].val;
	if (below(g, 25) == 0)
		v |= 1u << below(g, 32); /* bits without a name print in hex */
	return v;
}

static int32_t gen_enum(struct synth_gen *g, unsigned fs)
{
	const struct scap_flagset_desc *d = scap__flagset(fs);

	if (!d || !d->nenums || below(g, 20) == 0)
		return (int32_t)below(g, 100000);
	return (int32_t)d->enums[below(g, d->nenums)].val;
}

static void gen_value(struct synth_gen *g, const struct scap_event_info *info, unsigned i,
		      struct scap_bval *v, uint32_t var_limit)
{
	unsigned type = info->params[i].type;
	const char *name = info->params[i].name;
	uint32_t cap;
	void *p;

	memset(v, 0, sizeof(*v));
	if (i > 0 && below(g, 25) == 0) {
		v->empty = true;
		return;
	}
	switch (type) {
	case SCAP_PT_RES:
		if (below(g, 7) == 0)
			v->u = (uint64_t)-(int64_t)(1 + below(g, 133));
		else if (info->flags & SCAP_EF_CREATES_FD)
			v->u = 3 + below(g, 1021);
		else
			v->u = below(g, 3) ? 0 : below(g, 65536);
		return;
	case SCAP_PT_FD:
		if (strcmp(name, "dirfd") == 0 && below(g, 3) == 0)
			v->u = (uint64_t)-100;
		else
			v->u = below(g, 30) == 0 ? (uint64_t)-1 : below(g, 1024);
		return;
	case SCAP_PT_PID:
		v->u = 1 + below(g, 4194304);
		return;
	case SCAP_PT_UID: case SCAP_PT_GID: {
		static const uint32_t ids[] = { 0, 1000, 65534, 33 };

		v->u = below(g, 5) ? ids[below(g, 4)] : below(g, 100000);
		return;
	}
	case SCAP_PT_FLAGS32:
		v->u = (uint32_t)gen_flags(g, info->params[i].aux);
		return;
	case SCAP_PT_FLAGS64:
		v->u = gen_flags(g, info->params[i].aux);
		return;
	case SCAP_PT_ENUM32:
		v->u = (uint32_t)gen_enum(g, info->params[i].aux);
		return;
	case SCAP_PT_MODE:
		v->u = modes[below(g, sizeof(modes) / sizeof(modes[0]))];
		return;
	case SCAP_PT_PATH:
		cap = var_limit < SCAP_MAX_PATH_LEN ? var_limit : SCAP_MAX_PATH_LEN;
		if (cap < 2 || !(p = arena_alloc(g, cap)))
			break;
		v->p = p;
		v->len = gen_path(g, p, cap);
		return;
	case SCAP_PT_CHARBUF:
		v->p = comms[below(g, sizeof(comms) / sizeof(comms[0]))];
		return;
	case SCAP_PT_BYTEBUF:
		cap = var_limit < g->snaplen ? var_limit : g->snaplen;
		if (!(p = arena_alloc(g, cap + 1)))
			break;
		v->p = p;
		v->len = gen_bytes(g, p, cap);
		return;
	case SCAP_PT_SOCKADDR:
		if (var_limit < 19 || !(p = arena_alloc(g, 112)))
			break;
		v->p = p;
		v->len = gen_sockaddr(g, p, var_limit < 112 ? var_limit : 112);
		return;
	case SCAP_PT_STRARRAY:
		cap = var_limit < SCAP_MAX_ARGV_LEN ? var_limit : SCAP_MAX_ARGV_LEN;
		if (!(p = arena_alloc(g, cap)))
			break;
		v->p = p;
		v->len = gen_strarray(g, p, cap);
		return;
	case SCAP_PT_ARGS: {
		uint64_t *a = arena_alloc(g, 8 * SCAP_GENERIC_NARGS);
		unsigned k;

		if (!a)
			break;
		for (k = 0; k < SCAP_GENERIC_NARGS; k++)
			a[k] = below(g, 2) ? below(g, 4096) : rnd(g);
		v->p = a;
		v->len = 8 * SCAP_GENERIC_NARGS;
		return;
	}
	case SCAP_PT_SYSCALLID:
		v->u = (uint64_t)g->generic_nrs[below(g, g->ngeneric)];
		return;
	default: /* plain integers */
		v->u = rnd(g);
		if (strcmp(name, "count") == 0)
			v->u = below(g, 1u << 20);
		return;
	}
	v->empty = true;
}

static unsigned pick_cpu(struct synth_gen *g)
{
	/* CPU 0 gets about half of the events: one buffer far busier than the rest. */
	uint32_t k = below(g, 2 * g->ncpus);

	return k >= g->ncpus ? 0 : k;
}

static uint64_t pick_ts(struct synth_gen *g, unsigned cpu, bool force_later)
{
	uint64_t ts = g->now;

	if (force_later || below(g, 4))
		ts += 1 + below(g, 1000);
	/* Equal timestamps only with a growing CPU index: the merge's tie order. */
	if (g->have_prev && ts == g->prev_ts && cpu <= g->prev_cpu)
		ts++;
	g->now = ts;
	g->prev_ts = ts;
	g->prev_cpu = cpu;
	g->have_prev = true;
	return ts;
}

const void *synth_gen_next(struct synth_gen *g, uint32_t *len, unsigned *cpu)
{
	struct scap_bval vals[SCAP_MAX_PARAMS];
	const struct scap_event_info *info;
	struct scap_bhdr hdr;
	uint16_t code;
	unsigned i, nvar = 0;
	uint32_t budget, var_limit;
	int n;

	memset(&hdr, 0, sizeof(hdr));
	if (g->exit_due) {
		code = g->exit_code;
		*cpu = g->exit_cpu;
		hdr.tid = g->exit_tid;
		hdr.pid = g->exit_pid;
	} else {
		code = below(g, 4) == 0 ? SCAP_EV_GENERIC_X : (uint16_t)(1 + below(g, SCAP_EV_MAX - 1));
		/* A TOCTOU syscall's exit comes only after its enter, as from a live driver. */
		if (scap_event_info(code)->dir == SCAP_DIR_EXIT && (scap_event_info(code)->flags & SCAP_EF_TOCTOU))
			code--;
		*cpu = pick_cpu(g);
		hdr.pid = 100 + below(g, NPROCS);
		hdr.tid = hdr.pid + (below(g, 3) == 0 ? below(g, 4) : 0);
	}
	hdr.ts = pick_ts(g, *cpu, g->exit_due);
	info = scap_event_info(code);
	for (i = 0; i < info->nparams; i++) {
		unsigned t = info->params[i].type;

		nvar += t == SCAP_PT_PATH || t == SCAP_PT_BYTEBUF || t == SCAP_PT_SOCKADDR ||
			t == SCAP_PT_STRARRAY;
	}
	budget = g->max_event - SCAP_EVT_HDR_LEN - info->nparams * (SCAP_PARAM_LEN_SIZE + 64);
	var_limit = nvar ? budget / nvar : budget;
	g->arena_used = 0;
	for (i = 0; i < info->nparams; i++) {
		gen_value(g, info, i, &vals[i], var_limit);
		/* The exit repeats the enter's arguments, and now and then not (TOCTOU). */
		if (g->exit_due && i > 0 && below(g, 10)) {
			const struct scap_event_info *e = scap_event_info(g->enter_code);
			unsigned k;

			for (k = 0; k < e->nparams; k++)
				if (strcmp(e->params[k].name, info->params[i].name) == 0)
					vals[i] = g->enter_vals[k];
		}
	}
	if (info->dir == SCAP_DIR_ENTER && !(info->flags & SCAP_EF_NO_EXIT)) {
		/* Values live in the arena; keep a copy for the exit in its second half. */
		size_t used = g->arena_used;

		memcpy(g->enter_vals, vals, sizeof(vals));
		memcpy(g->arena + ARENA_SIZE / 2, g->arena, used);
		for (i = 0; i < info->nparams; i++)
			if (g->enter_vals[i].p && (const uint8_t *)g->enter_vals[i].p >= g->arena &&
			    (const uint8_t *)g->enter_vals[i].p < g->arena + ARENA_SIZE / 2)
				g->enter_vals[i].p = g->arena + ARENA_SIZE / 2 +
						     ((const uint8_t *)g->enter_vals[i].p - g->arena);
		g->enter_code = code;
		g->exit_due = true;
		g->exit_code = code + 1; /* the schema puts the exit row right after */
		g->exit_cpu = *cpu;
		g->exit_tid = hdr.tid;
		g->exit_pid = hdr.pid;
	} else {
		g->exit_due = false;
	}
	/* A buffer the snaplen filled was cut (the builder flags the header). */
	for (i = 0; i < info->nparams; i++)
		if (info->params[i].type == SCAP_PT_BYTEBUF && vals[i].len == g->snaplen && !vals[i].empty)
			vals[i].partial = true;
	n = scap_event_build(g->event, SCAP_MAX_EVENT_LEN, code, &hdr, vals, info->nparams);
	if (n < 0) {
		/* Cannot happen with the limits above; emit a minimal generic event instead. */
		struct scap_bval gv[3];

		memset(gv, 0, sizeof(gv));
		gv[1].u = 39; /* getpid */
		gv[2].empty = true;
		n = scap_event_build(g->event, SCAP_MAX_EVENT_LEN, SCAP_EV_GENERIC_X, &hdr, gv, 3);
		g->exit_due = false;
	}
	*len = (uint32_t)n;
	return g->event;
}
