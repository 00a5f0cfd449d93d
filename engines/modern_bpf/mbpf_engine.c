// SPDX-License-Identifier: Apache-2.0
/*
 * The modern_bpf engine: loads the CO-RE skeleton compiled into the library,
 * gives it one BPF ring buffer per CPU group, and hands the rings to the core
 * as its buffer set (read in place through their mmap layout, mbpf_ring.c).
 * Nothing is pinned: every program, link and map belongs to file descriptors
 * of this process, so closing the handle or the process dying frees them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "engine.h"
#include "platform/platform.h"
#include "scap_modern.h" /* before the skeleton: it uses scap_u32 */
#include "scap_modern.skel.h"
#include "mbpf_load.h"
#include "mbpf_ring.h"

/* The reader is woken each time this fraction of a ring has been written... */
#define MBPF_WAKEUP_FRACTION 16u
/* ...and otherwise looks at the rings this often while it waits (ms). */
#define MBPF_POLL_SLICE_MS 10

struct mbpf {
	struct scap_engine_ctx *ctx;
	struct scap_modern *skel;  /* the load in force (a settings change replaces it) */
	struct mbpf_links links;   /* its attachments */
	uint32_t instance;         /* its number, as in scap_active */
	bool started;
	pthread_mutex_t self_lock; /* skel and self_tid: the reader against a settings change */
	struct mbpf_ring *rings;
	int *ring_fds;
	unsigned nrings;
	unsigned cpus_per_ring;
	int ncpus;
	int epfd;
	bool capture_self;
	pid_t self_tid;
	char memlock_hint[320]; /* why EPERM may happen, "" if it should not */
};

/* ---- libbpf messages: routed to the handle's log callback during init ---- */

static __thread struct scap_engine_ctx *mbpf_log_ctx;
static __thread char mbpf_last_libbpf[256];

static int mbpf_libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char msg[512];
	size_t n;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
		msg[--n] = '\0';
	if (level == LIBBPF_WARN && n)
		snprintf(mbpf_last_libbpf, sizeof(mbpf_last_libbpf), "%s", msg);
	/* libbpf's warnings (a verifier's log) stay warnings; the rest of what
	 * it says, info included, is its debug stream. It prefixes most of its
	 * lines with "libbpf: " itself: one prefix, never two. */
	if (mbpf_log_ctx)
		scap_engine_logf(mbpf_log_ctx, level == LIBBPF_WARN ? SCAP_LOG_WARN : SCAP_LOG_DEBUG, "libbpf: %s",
				 strncmp(msg, "libbpf: ", 8) ? msg : msg + 8);
	return 0;
}

/* ---- probe ------------------------------------------------------------------ */

static int mbpf_probe(char *reason, size_t len)
{
	return scap_platform_engine_check("modern_bpf", reason, len);
}

/* ---- init ------------------------------------------------------------------- */

/*
 * Kernels before 5.11 charge BPF memory to RLIMIT_MEMLOCK; later ones to the
 * memory cgroup, so the limit is left alone there. When raising it fails the
 * current limit may still do (small buffers): go on, and explain the limit
 * if a later step fails with EPERM.
 */
static void mbpf_memlock(struct mbpf *m)
{
	struct scap_kernel_version kv, memcg = { 5, 11, 0 };
	struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };

	if (scap_platform_kernel(&kv) == 0 && scap_kernel_version_cmp(&kv, &memcg) >= 0)
		return;
	if (setrlimit(RLIMIT_MEMLOCK, &rl) == 0)
		return;
	getrlimit(RLIMIT_MEMLOCK, &rl);
	snprintf(m->memlock_hint, sizeof(m->memlock_hint),
		 "kernel %u.%u charges BPF maps to RLIMIT_MEMLOCK (kernels >= 5.11 do not), which is %llu KiB here and could not be raised (%s): "
		 "run with CAP_SYS_RESOURCE, raise it beforehand (ulimit -l unlimited), or use smaller buffers",
		 kv.major, kv.minor, (unsigned long long)(rl.rlim_cur / 1024), strerror(errno));
	scap_engine_logf(m->ctx, SCAP_LOG_WARN, "modern_bpf: %s", m->memlock_hint);
}

/* Smallest ring: twice the largest event the driver writes, or those would always drop. */
#define MBPF_MIN_RING (2u * SCAP_MBPF_MAX_EVENT)

/*
 * Whether the kernel will run the programs in its eBPF interpreter: no
 * bpf_jit_enable sysctl (a kernel built without CONFIG_BPF_JIT, such as
 * Debian's s390x ones), or the JIT switched off. The dispatcher then claims
 * the interpreter's full stack for its tail calls (scap_mbpf_claim_full_stack).
 * Unreadable: assume interpreted, which only costs stack.
 */
static bool mbpf_kernel_interprets(void)
{
	/* Unreadable counts as interpreted: claiming the stack is always safe. */
	return scap_probe_bpf_jit() <= 0;
}

static size_t mbpf_ring_size(size_t want)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), sz = page;

	if (want < MBPF_MIN_RING)
		want = MBPF_MIN_RING;

	while (sz < want && sz < ((size_t)1 << 40))
		sz <<= 1;
	return sz;
}

static pid_t mbpf_gettid(void)
{
	static __thread pid_t tid;

	if (!tid)
		tid = (pid_t)syscall(SYS_gettid);
	return tid;
}

static void mbpf_set_self(struct mbpf *m)
{
	pid_t tid;

	if (m->capture_self)
		return;
	tid = mbpf_gettid();
	if (tid == m->self_tid)
		return;
	/* Only when the reading thread changes: a settings change may be swapping skel. */
	pthread_mutex_lock(&m->self_lock);
	m->self_tid = tid;
	if (m->skel && m->skel->bss)
		__atomic_store_n(&m->skel->bss->scap_self_tid, (uint32_t)tid, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&m->self_lock);
}

static int mbpf_create_rings(struct mbpf *m, const struct scap_engine_config *cfg, size_t size)
{
	struct scap_engine_ctx *ctx = m->ctx;

	m->cpus_per_ring = cfg->cpus_per_buffer ? cfg->cpus_per_buffer : 1;
	m->nrings = ((unsigned)m->ncpus + m->cpus_per_ring - 1) / m->cpus_per_ring;
	m->rings = calloc(m->nrings, sizeof(*m->rings));
	m->ring_fds = malloc(m->nrings * sizeof(*m->ring_fds));
	if (!m->rings || !m->ring_fds) {
		scap_engine_errf(ctx, "modern_bpf: out of memory");
		return -ENOMEM;
	}
	for (unsigned i = 0; i < m->nrings; i++)
		m->ring_fds[i] = -1;
	for (unsigned i = 0; i < m->nrings; i++) {
		m->ring_fds[i] = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "scap_ring", 0, 0, (uint32_t)size, NULL);
		if (m->ring_fds[i] < 0) {
			int err = -errno;

			scap_engine_errf(ctx,
					 "modern_bpf: cannot create ring buffer %u of %zu bytes (%s): lower buffer_bytes or raise cpus_per_buffer",
					 i, size, strerror(-err));
			return err;
		}
	}
	return 0;
}

static int mbpf_map_rings(struct mbpf *m, size_t size)
{
	struct scap_engine_ctx *ctx = m->ctx;
	int outer = bpf_map__fd(m->skel->maps.scap_rings);
	struct epoll_event ev = { .events = EPOLLIN };

	m->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (m->epfd < 0) {
		scap_engine_errf(ctx, "modern_bpf: epoll_create1: %s", strerror(errno));
		return -errno;
	}
	/* Readable when another thread closes the handle: the wait returns at once. */
	ev.data.u32 = UINT32_MAX;
	if (ctx->wake_fd >= 0 && epoll_ctl(m->epfd, EPOLL_CTL_ADD, ctx->wake_fd, &ev) != 0) {
		scap_engine_errf(ctx, "modern_bpf: epoll_ctl: %s", strerror(errno));
		return -errno;
	}
	for (uint32_t cpu = 0; cpu < (uint32_t)m->ncpus; cpu++) {
		int fd = m->ring_fds[cpu / m->cpus_per_ring];

		if (bpf_map_update_elem(outer, &cpu, &fd, BPF_ANY) != 0) {
			scap_engine_errf(ctx, "modern_bpf: cannot give CPU %u its ring buffer (%s)", cpu,
					 strerror(errno));
			return -errno;
		}
	}
	for (unsigned i = 0; i < m->nrings; i++) {
		int err = mbpf_ring_map(&m->rings[i], m->ring_fds[i], size, (int)(i * m->cpus_per_ring));

		if (err) {
			scap_engine_errf(ctx, "modern_bpf: cannot mmap ring buffer %u (%s)", i, strerror(-err));
			return err;
		}
		ev.data.u32 = i;
		if (epoll_ctl(m->epfd, EPOLL_CTL_ADD, m->ring_fds[i], &ev) != 0) {
			scap_engine_errf(ctx, "modern_bpf: epoll_ctl: %s", strerror(errno));
			return -errno;
		}
		err = scap_bufset_add(ctx->bufs, &m->rings[i].buf);
		if (err) {
			scap_engine_errf(ctx, "modern_bpf: out of memory");
			return err;
		}
	}
	return 0;
}

static void mbpf_close(void *state);

/* What each load has for itself: its selection and tail calls (and its globals). */
static const char *const mbpf_own_maps[] = { "scap_syscalls", "scap_progs", "scap_sc_progs", NULL };

/*
 * One load of the programs for cfg, numbered id (scap_active): constants,
 * program choice, load, tables. With `from`, every shared map is from's
 * (a settings change); else they are created (the first load).
 */
static int mbpf_load_instance(struct mbpf *m, const struct scap_engine_config *cfg, uint32_t id,
			      struct scap_modern *from, struct scap_modern **out, bool *tp_mode)
{
	struct scap_engine_ctx *ctx = m->ctx;
	size_t size = mbpf_ring_size(cfg->buffer_bytes);
	struct scap_modern *skel = scap_modern__open();
	int err;

	*out = skel;
	if (!skel) {
		err = -errno;
		scap_engine_errf(ctx, "modern_bpf: cannot open the BPF object (%s)", strerror(-err));
		return err;
	}
	skel->rodata->scap_snaplen = cfg->snaplen;
	skel->rodata->scap_interpreted = mbpf_kernel_interprets();
	skel->rodata->scap_pid_filter = cfg->pid;
	skel->rodata->scap_instance = id;
	skel->rodata->scap_have_task_btf =
		libbpf_probe_bpf_helper(BPF_PROG_TYPE_TRACEPOINT, BPF_FUNC_get_current_task_btf, NULL) == 1;
	/* Counted per CPU on the kernel side: a shared ring splits the threshold. */
	skel->rodata->scap_wakeup_bytes =
		size / MBPF_WAKEUP_FRACTION / (cfg->cpus_per_buffer > 1 ? cfg->cpus_per_buffer : 1) ?: 1;
	bpf_map__set_max_entries(skel->maps.scap_scratch, (uint32_t)m->ncpus);
	bpf_map__set_max_entries(skel->maps.scap_rings, (uint32_t)m->ncpus);
	if (from)
		err = scap_platform_bpf_share_maps(skel->obj, from->obj, mbpf_own_maps);
	else
		err = bpf_map__set_inner_map_fd(skel->maps.scap_rings, m->ring_fds[0]);
	if (err) {
		scap_engine_errf(ctx, "modern_bpf: cannot share the maps of the running programs (%s)", strerror(-err));
		return err;
	}
	mbpf_select_programs(skel, cfg, tp_mode);

	mbpf_last_libbpf[0] = '\0';
	err = scap_modern__load(skel);
	if (err) {
		scap_engine_errf(ctx,
				 "modern_bpf: loading the BPF programs failed (%s)%s%s; the log callback has libbpf's details, or try the \"bpf\" engine",
				 strerror(-err), mbpf_last_libbpf[0] ? ": " : "", mbpf_last_libbpf);
		return err;
	}
	return mbpf_fill_tables(ctx, skel, cfg, *tp_mode);
}

/* Makes load `id` the one in force: one store that every program reads first. */
static int mbpf_activate(struct scap_modern *skel, uint32_t id)
{
	uint32_t zero = 0;

	return bpf_map_update_elem(bpf_map__fd(skel->maps.scap_active), &zero, &id, BPF_ANY) ? -errno : 0;
}

static int mbpf_init_locked(struct mbpf *m, const struct scap_engine_config *cfg)
{
	struct scap_engine_ctx *ctx = m->ctx;
	const struct scap_open_opts *o = cfg->opts;
	size_t size = mbpf_ring_size(cfg->buffer_bytes);
	bool tp_mode;
	int err;

	m->capture_self = o && o->sz >= offsetof(struct scap_open_opts, capture_self) + sizeof(o->capture_self) &&
			  o->capture_self;
	mbpf_memlock(m);
	m->ncpus = libbpf_num_possible_cpus();
	if (m->ncpus <= 0) {
		scap_engine_errf(ctx, "modern_bpf: cannot count the possible CPUs (%s)", strerror(-m->ncpus));
		return m->ncpus ? m->ncpus : -EINVAL;
	}
	err = mbpf_create_rings(m, cfg, size);
	if (err)
		return err;
	m->instance = 1;
	err = mbpf_load_instance(m, cfg, m->instance, NULL, &m->skel, &tp_mode);
	if (err)
		return err;
	err = mbpf_activate(m->skel, m->instance);
	if (err) {
		scap_engine_errf(ctx, "modern_bpf: cannot write the map scap_active (%s)", strerror(-err));
		return err;
	}
	err = mbpf_map_rings(m, size);
	if (err)
		return err;
	err = mbpf_attach(ctx, m->skel, cfg, tp_mode, &m->links);
	if (err)
		return err;
	mbpf_set_self(m);
	scap_engine_logf(ctx, SCAP_LOG_INFO,
			 "modern_bpf: %u ring buffer(s) of %zu bytes for %d CPUs, %s, %u program(s) attached",
			 m->nrings, size, m->ncpus,
			 tp_mode ? "per-syscall exit tracepoints" : "tp_btf/sys_exit dispatcher", m->links.n);
	return 0;
}

static int mbpf_init(struct scap_engine_ctx *ctx, const struct scap_engine_config *cfg, void **state)
{
	struct mbpf *m = calloc(1, sizeof(*m));
	libbpf_print_fn_t old;
	int err;

	if (!m) {
		scap_engine_errf(ctx, "modern_bpf: out of memory");
		return -ENOMEM;
	}
	m->ctx = ctx;
	m->epfd = -1;
	pthread_mutex_init(&m->self_lock, NULL);
	mbpf_log_ctx = ctx;
	old = scap_platform_libbpf_sink(mbpf_libbpf_print);
	err = mbpf_init_locked(m, cfg);
	scap_platform_libbpf_sink(old);
	mbpf_log_ctx = NULL;
	if (err == -EPERM && m->memlock_hint[0])
		scap_engine_errf(ctx, "modern_bpf: %s", m->memlock_hint);
	if (err) {
		mbpf_close(m);
		return err;
	}
	*state = m;
	return 0;
}

/* ---- run -------------------------------------------------------------------- */

static int mbpf_start(void *state)
{
	struct mbpf *m = state;

	mbpf_set_self(m);
	m->started = true;
	__atomic_store_n(&m->skel->bss->scap_started, 1, __ATOMIC_RELEASE);
	return 0;
}

static int mbpf_stop(void *state)
{
	struct mbpf *m = state;

	m->started = false;
	__atomic_store_n(&m->skel->bss->scap_started, 0, __ATOMIC_RELEASE);
	return 0;
}

static bool mbpf_any_ready(const struct mbpf *m)
{
	for (unsigned i = 0; i < m->nrings; i++)
		if (mbpf_ring_ready(&m->rings[i]))
			return true;
	return false;
}

static int64_t mbpf_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * The kernel side wakes the reader only each time MBPF_WAKEUP_FRACTION of a
 * ring has been written (a wake-up per event would cost the traced workload), so a trickle of
 * events is picked up by looking at the rings every MBPF_POLL_SLICE_MS.
 */
static void mbpf_reader_changed(void *state)
{
	mbpf_set_self(state);
}

static int mbpf_wait(void *state, int timeout_ms)
{
	struct mbpf *m = state;
	struct epoll_event evs[8];
	int64_t deadline = timeout_ms > 0 ? mbpf_now_ms() + timeout_ms : 0;

	for (;;) {
		int slice = MBPF_POLL_SLICE_MS, n;

		if (mbpf_any_ready(m) || timeout_ms == 0)
			return 0;
		if (timeout_ms > 0) {
			int64_t left = deadline - mbpf_now_ms();

			if (left <= 0)
				return 0;
			if (left < slice)
				slice = (int)left;
		}
		n = epoll_wait(m->epfd, evs, 8, slice);
		if (n < 0)
			return errno == EINTR ? -EINTR : -errno;
		if (n > 0)
			return 0;
	}
}

static int mbpf_stats(void *state)
{
	struct mbpf *m = state;
	int fd = bpf_map__fd(m->skel->maps.scap_counters);
	struct scap_mbpf_counters *c;
	uint32_t zero = 0;

	c = calloc((size_t)m->ncpus, sizeof(*c));
	if (!c)
		return -ENOMEM;
	if (bpf_map_lookup_elem(fd, &zero, c) != 0) {
		int err = -errno;

		free(c);
		return err;
	}
	for (unsigned i = 0; i < m->nrings; i++) {
		struct scap_buf *b = &m->rings[i].buf;

		b->drops_buffer_full = b->drops_other = b->kernel_events = 0;
		for (unsigned k = 0; k < m->cpus_per_ring; k++) {
			unsigned cpu = i * m->cpus_per_ring + k;

			if (cpu >= (unsigned)m->ncpus)
				break;
			b->drops_buffer_full += c[cpu].drops_full;
			b->drops_other += c[cpu].drops_other;
			b->kernel_events += c[cpu].events;
		}
		b->drops_other += SCAP_COUNT_GET(m->rings[i].malformed);
	}
	free(c);
	return 0;
}

static void mbpf_close(void *state)
{
	struct mbpf *m = state;

	if (!m)
		return;
	mbpf_links_destroy(&m->links);
	for (unsigned i = 0; m->rings && i < m->nrings; i++)
		mbpf_ring_unmap(&m->rings[i]);
	scap_modern__destroy(m->skel);
	for (unsigned i = 0; m->ring_fds && i < m->nrings; i++)
		if (m->ring_fds[i] >= 0)
			close(m->ring_fds[i]);
	if (m->epfd >= 0)
		close(m->epfd);
	free(m->rings);
	free(m->ring_fds);
	pthread_mutex_destroy(&m->self_lock);
	free(m);
}

/* ---- live settings (scap_set_*) ---------------------------------------------- */

/*
 * Waits until no program that started before this call is running: rewriting
 * an element of a map of maps (here the same ring) makes the kernel wait an
 * RCU grace period. what names them in the warning when it fails.
 */
static void mbpf_wait_programs(struct scap_engine_ctx *ctx, struct mbpf *m, struct scap_modern *skel,
			       const char *what)
{
	uint32_t zero = 0;

	if (bpf_map_update_elem(bpf_map__fd(skel->maps.scap_rings), &zero, &m->ring_fds[0], BPF_ANY) != 0)
		scap_engine_logf(ctx, SCAP_LOG_WARN, "modern_bpf: waiting for the %s programs failed (%s)", what,
				 strerror(errno));
}

/*
 * Before the switch: the claims (scap_mbpf_take() in the BPF object) must
 * all come from hits that ran both loads' programs. Waits for the hits that
 * began before the new load was attached, clears every CPU's claims, then
 * waits again: a hit whose first program claimed before the clear and whose
 * second ran after the switch would find no claim and take the hit a second
 * time (the bpf engine saw it under qemu TCG, where a vCPU can stop between
 * a hit's two programs). A failure is only logged: a stale claim can at worst make one hit of one thread at
 * the switch follow the old load's reading.
 */
static void mbpf_claims_reset(struct scap_engine_ctx *ctx, struct mbpf *m, struct scap_modern *skel)
{
	int ncpus = libbpf_num_possible_cpus(), fd = bpf_map__fd(skel->maps.scap_claims);
	struct scap_mbpf_claim *zeros;

	mbpf_wait_programs(ctx, m, skel, "running");
	zeros = ncpus > 0 ? calloc((size_t)ncpus, sizeof(*zeros)) : NULL;
	for (uint32_t kind = 0; zeros && kind < SCAP_MBPF_HIT_KINDS; kind++)
		if (bpf_map_update_elem(fd, &kind, zeros, BPF_ANY) != 0) {
			scap_engine_logf(ctx, SCAP_LOG_WARN, "modern_bpf: cannot clear the claims (%s)",
					 strerror(errno));
			break;
		}
	if (!zeros)
		scap_engine_logf(ctx, SCAP_LOG_WARN, "modern_bpf: cannot clear the claims (no memory)");
	free(zeros);
	mbpf_wait_programs(ctx, m, skel, "claiming");
}

/* The load in force's run state (capture started, the reader's tid) into skel's; m->self_lock held. */
static void mbpf_copy_run_state(const struct mbpf *m, struct scap_modern *skel)
{
	skel->bss->scap_self_tid = m->capture_self ? 0 : (uint32_t)m->self_tid;
	skel->bss->scap_started = m->started;
}

/*
 * A new load of the programs with cfg's constants and tables, sharing the
 * rings, counters and scratch maps, attached beside the running one; one
 * store to scap_active switches every program of every CPU to it; then the
 * old load goes. Enter and exit of a syscall under way across the switch
 * come from different loads into the same rings, and pair as usual.
 */
static int mbpf_reconfigure(void *state, const struct scap_engine_config *cfg)
{
	struct mbpf *m = state;
	struct scap_engine_ctx *ctx = m->ctx;
	struct scap_modern *skel = NULL, *old_skel;
	struct mbpf_links links = { 0 }, old_links;
	unsigned failures = ctx->attach_failures;
	uint32_t id = m->instance + 1;
	libbpf_print_fn_t old;
	bool tp_mode;
	int err;

	mbpf_log_ctx = ctx;
	old = scap_platform_libbpf_sink(mbpf_libbpf_print);
	err = mbpf_load_instance(m, cfg, id, m->skel, &skel, &tp_mode);
	if (!err) {
		/*
		 * Running from its attach, as the load in force runs: a program
		 * of the new load that stopped at scap_started would leave the
		 * old one's claim of the hit in place, and a later hit of the
		 * same thread and syscall on that CPU, once the old load is
		 * gone, would follow it and be taken by neither load (CI: 1 of
		 * 54,250 opens never arrived, no drop counted).
		 */
		pthread_mutex_lock(&m->self_lock);
		mbpf_copy_run_state(m, skel);
		pthread_mutex_unlock(&m->self_lock);
		err = mbpf_attach(ctx, skel, cfg, tp_mode, &links);
	}
	scap_platform_libbpf_sink(old);
	mbpf_log_ctx = NULL;
	if (!err)
		mbpf_claims_reset(ctx, m, skel);
	if (!err)
		scap_engine_switch_pause(ctx);
	if (!err) {
		pthread_mutex_lock(&m->self_lock);
		/* The reader may have changed threads meanwhile (mbpf_set_self wrote the old load's). */
		mbpf_copy_run_state(m, skel);
		err = mbpf_activate(skel, id);
		if (err) {
			pthread_mutex_unlock(&m->self_lock);
			scap_engine_errf(ctx, "modern_bpf: cannot write the map scap_active (%s)", strerror(-err));
		}
	}
	if (err) {
		mbpf_links_destroy(&links);
		scap_modern__destroy(skel);
		SCAP_COUNT_SET(ctx->attach_failures, failures);
		return err;
	}
	old_skel = m->skel;
	old_links = m->links;
	m->skel = skel;
	m->links = links;
	m->instance = id;
	pthread_mutex_unlock(&m->self_lock);
	/* What did not attach counts for the load in force only. */
	SCAP_COUNT_SET(ctx->attach_failures, ctx->attach_failures - failures);
	/* Once this returns, nothing is captured under the old settings. */
	mbpf_wait_programs(ctx, m, skel, "old");
	mbpf_links_destroy(&old_links);
	scap_modern__destroy(old_skel);
	scap_engine_logf(ctx, SCAP_LOG_INFO, "modern_bpf: settings changed (load %u: %s, %u program(s) attached)", id,
			 tp_mode ? "per-syscall exit tracepoints" : "tp_btf/sys_exit dispatcher", m->links.n);
	return 0;
}

const struct scap_engine_ops scap_engine_modern_bpf = {
	.name = "modern_bpf",
	.flags = SCAP_ENGINE_F_BOOTTIME | SCAP_ENGINE_F_LIVE,
	.description = "CO-RE eBPF on tp_btf/sys_exit with BPF ring buffers (kernel >= 5.8 with BTF)",
	.probe = mbpf_probe,
	.init = mbpf_init,
	.start = mbpf_start,
	.stop = mbpf_stop,
	.wait = mbpf_wait,
	.reader_changed = mbpf_reader_changed,
	.stats = mbpf_stats,
	.reconfigure = mbpf_reconfigure,
	.close = mbpf_close,
};
