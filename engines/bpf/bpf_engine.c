// SPDX-License-Identifier: Apache-2.0
/*
 * The bpf engine: raw tracepoint programs (drivers/bpf/) that write events
 * into one perf buffer per online CPU, read through the mmap layout
 * (perf_buf.c). Where raw tracepoints are missing (before 4.17) the same
 * event programs run behind tracepoint dispatchers (bpf_tp.c). Works
 * without BTF and on kernels that predate the BPF ring buffer. Configuration reaches the programs through array maps, because
 * kernels before 5.2 have no global data sections.
 */
#define _GNU_SOURCE /* gettid */
#include <errno.h>
#include <linux/membarrier.h>
#include <pthread.h>
#include <stddef.h>
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
#include "scap/common/schema.h"
#include "drivers/bpf/scap_bpf_maps.h"
#include "perf_buf.h"
#include "bpf_loader.h"
#include "bpf_tp.h"
#include "scap_bpf.skel.h"

/* Longest a blocking wait sleeps before the core peeks again (see wait). */
#define BPF_WAIT_SLICE_MS 20
/* Smallest data area: twice the largest event (SCAP_FILL_MAX_EVENT, 32 KiB). */
#define BPF_MIN_DATA_BYTES (64u * 1024u)
/* Bytes written before a sleeping reader is woken. */
#define BPF_MAX_WAKEUP_BYTES (256u * 1024u)

struct bpf_engine {
	struct scap_bpf_objs objs;
	struct scap_bpf *skel;      /* objs.skel */
	struct scap_engine_ctx *ctx;
	struct bpf_link *exit_link;
	struct bpf_link *enter_link;
	struct bpf_link *exec_name_link; /* raw mode: sched_process_exec */
	struct bpf_link *procexit_link;  /* raw mode: sched_process_exit */
	struct scap_bpf_tp_links tp;
	struct scap_perf_buf *pbs;
	unsigned npbs;
	int epfd;
	int ncpus;                  /* possible CPUs: per-CPU map values come in this many */
	struct scap_bpf_settings settings;
	struct scap_bpf_counters *percpu; /* scratch for stats(): ncpus entries */
	bool capture_self;          /* opts.capture_self: keep the reader's own syscalls */
	__u64 no_args;              /* tracepoint mode: exits not sent, their enter unseen */
	/* settings and the load in force: the reader's set_self against start, stop and a settings change */
	pthread_mutex_t settings_lock;
	__u32 self_seen;            /* the reader's: the thread set_self last left out */
};

/* This thread's id, cached: the reading thread's syscalls are not captured. */
static __thread __u32 reader_tid;

static int bpf_probe(char *reason, size_t len)
{
	return scap_platform_engine_check("bpf", reason, len);
}

static int settings_push(struct bpf_engine *e)
{
	__u32 zero = 0;

	if (bpf_map_update_elem(bpf_map__fd(e->skel->maps.settings), &zero, &e->settings, BPF_ANY))
		return -errno;
	return 0;
}

/*
 * Leaves out the consumer thread (the one that opened the handle, then the
 * one that last called scap_next), as modern_bpf does, unless opts.capture_self: a
 * consumer that writes out what it reads would otherwise capture itself
 * without end. The embedding program's other threads are captured.
 */
static void set_self(struct bpf_engine *e)
{
	if (e->capture_self)
		return;
	if (reader_tid == 0)
		reader_tid = (__u32)gettid();
	if (reader_tid != e->self_seen) {
		e->self_seen = reader_tid;
		pthread_mutex_lock(&e->settings_lock);
		e->settings.self_tid = reader_tid;
		settings_push(e);
		pthread_mutex_unlock(&e->settings_lock);
	}
}

/* Kernels < 5.11 charge BPF memory to RLIMIT_MEMLOCK; later ones to the memory cgroup. */
static void raise_memlock(struct bpf_engine *e, char *why, size_t whylen)
{
	struct scap_kernel_version kv, v511 = { 5, 11, 0 };
	struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };

	why[0] = '\0';
	if (scap_platform_running_kernel(&kv) == 0 && scap_kernel_version_cmp(&kv, &v511) >= 0)
		return;
	if (setrlimit(RLIMIT_MEMLOCK, &rl) == 0)
		return;
	int err = errno;
	struct rlimit cur;

	getrlimit(RLIMIT_MEMLOCK, &cur);
	snprintf(why, whylen,
		 "; this kernel (< 5.11) charges BPF maps to RLIMIT_MEMLOCK, which could not be "
		 "raised (%s; current limit %llu bytes): run with CAP_SYS_RESOURCE or "
		 "`ulimit -l unlimited`, or use smaller buffers", strerror(err),
		 (unsigned long long)cur.rlim_cur);
	scap_engine_logf(e->ctx, SCAP_LOG_WARN, "bpf: could not raise RLIMIT_MEMLOCK: %s", strerror(err));
}

/*
 * Tracepoint mode where raw tracepoints are absent, or where the probe could
 * not tell (on old kernels its load can fail on RLIMIT_MEMLOCK, raised only
 * since) and the kernel predates them.
 */
static bool use_tracepoints(void)
{
	struct scap_kernel_version kv, v417 = { 4, 17, 0 };
	int st = scap_feature_state(SCAP_FEAT_RAW_TRACEPOINT);

	if (st >= 0)
		return st == 0;
	return scap_platform_kernel(&kv) == 0 && scap_kernel_version_cmp(&kv, &v417) < 0;
}

static size_t data_pages_for(size_t bytes)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), pages = 1;

	if (bytes < BPF_MIN_DATA_BYTES)
		bytes = BPF_MIN_DATA_BYTES;
	while (pages * page < bytes)
		pages <<= 1;
	return pages;
}

static int open_buffers(struct bpf_engine *e, const struct scap_engine_config *cfg)
{
	size_t pages = data_pages_for(cfg->buffer_bytes);
	size_t data_bytes = pages * (size_t)sysconf(_SC_PAGESIZE);
	size_t wakeup = data_bytes / 4 < BPF_MAX_WAKEUP_BYTES ? data_bytes / 4 : BPF_MAX_WAKEUP_BYTES;
	int map_fd = bpf_map__fd(e->skel->maps.events);
	int cpu, err;

	e->pbs = calloc((size_t)e->ncpus, sizeof(*e->pbs));
	if (!e->pbs)
		return -ENOMEM;
	e->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (e->epfd < 0) {
		err = -errno;
		scap_engine_errf(e->ctx, "bpf: epoll_create1 failed: %s", strerror(-err));
		return err;
	}
	/* Readable when another thread closes the handle: the wait returns at once. */
	if (e->ctx->wake_fd >= 0) {
		struct epoll_event wev = { .events = EPOLLIN, .data.u32 = UINT32_MAX };

		if (epoll_ctl(e->epfd, EPOLL_CTL_ADD, e->ctx->wake_fd, &wev)) {
			err = -errno;
			scap_engine_errf(e->ctx, "bpf: epoll_ctl failed: %s", strerror(-err));
			return err;
		}
	}
	for (cpu = 0; cpu < e->ncpus; cpu++) {
		struct scap_perf_buf *pb = &e->pbs[e->npbs];
		struct epoll_event ev = { .events = EPOLLIN };
		const char *what = "";
		__u32 key = (__u32)cpu;

		/* An offline CPU runs nothing; events of a CPU brought online later count as drops. */
		if (!scap_platform_cpu_online(cpu))
			continue;
		err = scap_perf_buf_open(pb, cpu, pages, wakeup, &what);
		if (err) {
			scap_engine_errf(e->ctx,
					 "bpf: %s for the perf buffer of CPU %d (%zu KiB) failed: %s%s", what,
					 cpu, data_bytes >> 10, strerror(-err),
					 err == -EPERM || err == -ENOMEM
						 ? "; perf buffers count against RLIMIT_MEMLOCK and "
						   "kernel.perf_event_mlock_kb unless CAP_IPC_LOCK is held: "
						   "use a smaller buffer size or raise the limits"
						 : "");
			return err;
		}
		e->npbs++;
		if (bpf_map_update_elem(map_fd, &key, &pb->fd, BPF_ANY)) {
			err = -errno;
			scap_engine_errf(e->ctx, "bpf: could not put CPU %d's perf buffer in the events map: %s",
					 cpu, strerror(-err));
			return err;
		}
		ev.data.u32 = e->npbs - 1;
		if (epoll_ctl(e->epfd, EPOLL_CTL_ADD, pb->fd, &ev)) {
			err = -errno;
			scap_engine_errf(e->ctx, "bpf: epoll_ctl on CPU %d's perf buffer failed: %s", cpu,
					 strerror(-err));
			return err;
		}
		err = scap_bufset_add(e->ctx->bufs, &pb->buf);
		if (err) {
			scap_engine_errf(e->ctx, "bpf: out of memory adding a buffer");
			return err;
		}
	}
	if (e->npbs == 0) {
		scap_engine_errf(e->ctx, "bpf: no online CPU found in /sys/devices/system/cpu");
		return -ENODEV;
	}
	return 0;
}

static int attach(struct bpf_engine *e, bool need_enter)
{
	int err;

	if (e->objs.tp_mode)
		return scap_bpf_tp_attach(e->ctx, e->skel, &e->objs, &e->tp);

	if (e->objs.syscalls)
		e->exit_link = bpf_program__attach_raw_tracepoint(e->skel->progs.scap_sys_exit, "sys_exit");
	if (e->objs.syscalls && !e->exit_link) {
		err = -errno;
		scap_engine_errf(e->ctx, "bpf: attaching to raw tracepoint sys_exit failed: %s",
				 strerror(-err));
		return err;
	}
	/* execve's old_tid, and without the CO-RE programs (no BTF, or they did not load) its pathname. */
	if (e->objs.raw_exec)
		e->exec_name_link = scap_bpf_exec_name_attach(e->ctx, e->skel, !e->objs.core);
	if (e->objs.procexit) {
		e->procexit_link = bpf_program__attach_raw_tracepoint(e->objs.procexit, "sched_process_exit");
		if (!e->procexit_link) {
			SCAP_COUNT_ADD(e->ctx->attach_failures, 1);
			scap_engine_warnf(e->ctx, "bpf: raw tracepoint sched_process_exit did not attach (%s): "
					  "procexit events are not captured", strerror(errno));
		}
	}
	/* arm64: the child's side of clone, from the arguments sys_enter keeps. */
	if (e->objs.fork_child)
		e->tp.fork = scap_bpf_fork_child_attach(e->ctx, e->skel, &e->objs);
	if (!need_enter && !e->objs.fork_child)
		return 0;
	e->enter_link = bpf_program__attach_raw_tracepoint(e->skel->progs.scap_sys_enter, "sys_enter");
	if (!e->enter_link) {
		/* Exit events still come; the core marks them as having no enter. */
		err = -errno;
		SCAP_COUNT_ADD(e->ctx->attach_failures, 1);
		scap_engine_warnf(e->ctx,
				  "bpf: raw tracepoint sys_enter did not attach (%s): enter-time "
				  "(TOCTOU) arguments are not captured%s",
				  strerror(-err), e->objs.fork_child ? ", nor the child's side of clone" : "");
	}
	return 0;
}

/* Reads every CPU's counters into e->percpu; sums the exits whose enter was not seen. */
static int read_counters(struct bpf_engine *e)
{
	__u32 zero = 0;

	if (bpf_map_lookup_elem(bpf_map__fd(e->skel->maps.counters), &zero, e->percpu))
		return -errno;
	e->no_args = 0;
	for (int cpu = 0; cpu < e->ncpus; cpu++)
		e->no_args += e->percpu[cpu].no_args;
	e->ctx->exits_without_enter = e->no_args;
	return 0;
}

/* Detaches and unloads one load of the programs (the buffers stay). */
static void unload(struct bpf_engine *e)
{
	scap_bpf_tp_detach(&e->tp);
	bpf_link__destroy(e->procexit_link);
	bpf_link__destroy(e->exec_name_link);
	bpf_link__destroy(e->enter_link);
	bpf_link__destroy(e->exit_link);
	scap_bpf_loader_destroy(&e->objs);
	e->procexit_link = e->exec_name_link = e->enter_link = e->exit_link = NULL;
	e->skel = NULL;
}

/* Makes this load the one in force: one store that every program reads first. */
static int activate(struct bpf_engine *e)
{
	__u32 zero = 0;

	if (bpf_map_update_elem(bpf_map__fd(e->skel->maps.active), &zero, &e->settings.instance, BPF_ANY))
		return -errno;
	return 0;
}

static void bpf_close(void *state)
{
	struct bpf_engine *e = state;
	unsigned i;

	if (!e)
		return;
	if (e->objs.tp_mode && e->skel)
		read_counters(e);
	if (e->no_args)
		scap_engine_logf(e->ctx, SCAP_LOG_INFO,
				 "bpf: %llu syscall exits were not captured because their enter was not seen "
				 "(tracepoint mode: the syscall began before capture started)",
				 (unsigned long long)e->no_args);
	unload(e);
	for (i = 0; i < e->npbs; i++)
		scap_perf_buf_close(&e->pbs[i]);
	free(e->pbs);
	if (e->epfd >= 0)
		close(e->epfd);
	free(e->percpu);
	pthread_mutex_destroy(&e->settings_lock);
	free(e);
}

static int bpf_init(struct scap_engine_ctx *ctx, const struct scap_engine_config *cfg, void **state)
{
	struct bpf_engine *e;
	char memlock_why[320];
	bool need_enter = false, tp_mode;
	int err;

	e = calloc(1, sizeof(*e));
	if (!e) {
		scap_engine_errf(ctx, "bpf: out of memory");
		return -ENOMEM;
	}
	e->ctx = ctx;
	e->epfd = -1;
	pthread_mutex_init(&e->settings_lock, NULL);
	e->ncpus = libbpf_num_possible_cpus();
	if (e->ncpus <= 0) {
		err = e->ncpus ? e->ncpus : -ENODEV;
		scap_engine_errf(ctx, "bpf: cannot count the possible CPUs: %s", strerror(-err));
		goto fail;
	}
	e->percpu = calloc((size_t)e->ncpus, sizeof(*e->percpu));
	if (!e->percpu) {
		err = -ENOMEM;
		scap_engine_errf(ctx, "bpf: out of memory");
		goto fail;
	}
	if (cfg->cpus_per_buffer > 1)
		scap_engine_warnf(ctx,
				  "bpf: cpus_per_buffer=%u ignored: a BPF program can only write to the perf "
				  "buffer of the CPU it runs on, so this engine keeps one buffer per CPU",
				  cfg->cpus_per_buffer);

	raise_memlock(e, memlock_why, sizeof(memlock_why));
	tp_mode = use_tracepoints();
	err = scap_bpf_loader_load(ctx, cfg, e->ncpus, tp_mode, memlock_why, &e->objs, &need_enter);
	if (err)
		goto fail;
	e->skel = e->objs.skel;
	e->settings.compat_off = scap_bpf_compat_off();
	scap_engine_logf(ctx, SCAP_LOG_INFO, "bpf: attach mode: %s",
			 tp_mode ? "tracepoint (raw_syscalls/sys_enter and sys_exit; no raw tracepoints "
				   "here: arguments are kept at enter for the exit)"
				 : "raw_tracepoint (sys_enter and sys_exit)");
#ifdef SCAP_ARCH_X86_64
	/*
	 * Elsewhere compat tasks are told by the registers read in raw
	 * tracepoint mode (arm64 pstate, powerpc msr); tracepoint mode, which
	 * reads none, is for x86_64's kernels before 4.17 only (the other
	 * ports' floors are above), so it is not told there.
	 */
	if (tp_mode && !e->settings.compat_off)
		scap_engine_warnf(ctx, "bpf: tracepoint mode without kernel BTF on a kernel older than 4.9: "
				  "syscalls of 32-bit (ia32) processes cannot be told apart and are decoded "
				  "by their x86_64 numbers");
#endif

	e->settings.snaplen = cfg->snaplen;
	e->settings.pid_filter = cfg->pid > 0 ? (__u32)cfg->pid : 0;
	e->settings.self_tgid = 0;
	e->capture_self = cfg->opts &&
			  cfg->opts->sz >= offsetof(struct scap_open_opts, capture_self) +
						   sizeof(cfg->opts->capture_self) &&
			  cfg->opts->capture_self;
	e->settings.capturing = 0;
	e->settings.instance = 1;
	err = settings_push(e);
	err = err ?: activate(e);
	if (err) {
		scap_engine_errf(ctx, "bpf: writing the settings map failed: %s", strerror(-err));
		goto fail;
	}
	set_self(e);
	err = open_buffers(e, cfg);
	if (err)
		goto fail;
	err = attach(e, need_enter);
	if (err)
		goto fail;
	scap_engine_logf(ctx, SCAP_LOG_INFO, "bpf: %u perf buffer(s) of %zu bytes for %d CPUs, %u program(s) loaded%s",
			 e->npbs, e->npbs ? e->pbs[0].buf.bytes : 0, e->ncpus, scap_bpf_loader_programs(&e->objs),
			 e->objs.core ? ", CO-RE event programs in place" : "");
	*state = e;
	return 0;
fail:
	bpf_close(e);
	return err;
}

/*
 * Entries left by a previous capture (exits that came while it was stopped)
 * would take room, or lend their arguments to a later syscall of the same
 * number on a reused thread id.
 */
static void stash_clear(struct bpf_engine *e)
{
	int fd = bpf_map__fd(e->skel->maps.stash);
	__u32 key;

	while (bpf_map_get_next_key(fd, NULL, &key) == 0)
		if (bpf_map_delete_elem(fd, &key) != 0)
			break;
}

static int bpf_start(void *state)
{
	struct bpf_engine *e = state;
	struct timespec boot, mono;

	/* The programs read CLOCK_MONOTONIC (bpf_ktime_get_ns exists on every kernel). */
	clock_gettime(CLOCK_MONOTONIC, &mono);
	clock_gettime(CLOCK_BOOTTIME, &boot);
	e->settings.boot_offset_ns = (__u64)(boot.tv_sec - mono.tv_sec) * 1000000000ull +
				     (__u64)(boot.tv_nsec - mono.tv_nsec);
	if (e->objs.tp_mode)
		stash_clear(e);
	pthread_mutex_lock(&e->settings_lock);
	e->settings.capturing = 1;
	int err = settings_push(e);
	pthread_mutex_unlock(&e->settings_lock);
	return err;
}

static int bpf_stop(void *state)
{
	struct bpf_engine *e = state;
	int err;

	pthread_mutex_lock(&e->settings_lock);
	e->settings.capturing = 0;
	err = settings_push(e);
	pthread_mutex_unlock(&e->settings_lock);
	return err;
}

static void bpf_reader_changed(void *state)
{
	set_self(state);
}

static int bpf_wait(void *state, int timeout_ms)
{
	struct bpf_engine *e = state;
	struct epoll_event evs[16];
	int n;

	/*
	 * A reader is only woken per batch of bytes, so a trickle of events
	 * could sit below the watermark: never sleep longer than one slice.
	 */
	if (timeout_ms < 0 || timeout_ms > BPF_WAIT_SLICE_MS)
		timeout_ms = BPF_WAIT_SLICE_MS;
	n = epoll_wait(e->epfd, evs, 16, timeout_ms);
	if (n < 0)
		return errno == EINTR ? -EINTR : -errno;
	return 0;
}

static int bpf_stats(void *state)
{
	struct bpf_engine *e = state;
	unsigned i;
	int err = read_counters(e);

	if (err)
		return err;
	for (i = 0; i < e->npbs; i++) {
		struct scap_perf_buf *pb = &e->pbs[i];
		const struct scap_bpf_counters *c = &e->percpu[pb->buf.cpu];

		uint64_t done, pending, inferred = 0;

		/*
		 * A full buffer is seen twice: the program's failed output and the
		 * kernel's PERF_RECORD_LOST (which arrives only with a later record).
		 * Where perf_event_output returns nothing (4.15; it returns an
		 * error by 5.10), bpf_perf_event_output returns 0 even when the
		 * buffer was full, so the program counts a
		 * lost event as sent, and the LOST record of the last burst may
		 * never come: what was sent and is neither consumed nor in the ring
		 * was lost. The counters were read before the ring is walked, so
		 * events written since only lower that figure. The three count the
		 * same events, so take the largest.
		 */
		pending = scap_perf_buf_pending(pb);
		if (pending == UINT64_MAX)
			pending = c->sent; /* no consistent walk now: infer nothing this time */
		/*
		 * Read after the walk: the reader may consume meanwhile (stats run
		 * on any thread), and an event counted in both only lowers the
		 * inferred figure, never raises it.
		 */
		done = SCAP_COUNT_GET(pb->consumed) + SCAP_COUNT_GET(pb->malformed);
		if (c->sent > done + pending)
			inferred = c->sent - done - pending;
		uint64_t lost = SCAP_COUNT_GET(pb->lost), full = c->full > lost ? c->full : lost;

		if (inferred > full)
			full = inferred;
		/*
		 * Each figure is at most what was lost, but the inferred one moves
		 * with what is in flight when it is taken: keep the largest seen,
		 * so that a count of drops never goes back.
		 */
		if (full > pb->buf.drops_buffer_full)
			SCAP_COUNT_SET(pb->buf.drops_buffer_full, full);
		SCAP_COUNT_SET(pb->buf.drops_other, c->other + SCAP_COUNT_GET(pb->malformed));
		SCAP_COUNT_SET(pb->buf.kernel_events, c->sent);
	}
	/*
	 * A CPU without a buffer (offline at open, online since) can only fail
	 * its outputs: charge them to the first buffer rather than lose them.
	 */
	if (e->npbs) {
		int cpu;
		unsigned j = 0;

		for (cpu = 0; cpu < e->ncpus; cpu++) {
			if (j < e->npbs && e->pbs[j].buf.cpu == cpu) {
				j++;
				continue;
			}
			e->pbs[0].buf.drops_other += e->percpu[cpu].full + e->percpu[cpu].other;
		}
	}
	return 0;
}

/* ---- live settings (scap_set_*) ---------------------------------------------- */

/*
 * Waits until no BPF program that started before is still running: an RCU
 * grace period, which membarrier's global command waits for (tracing
 * programs run inside RCU read sections). Where it is refused (nohz_full),
 * a pause far longer than any program runs.
 */
static void quiesce(struct bpf_engine *e)
{
	if (syscall(SYS_membarrier, MEMBARRIER_CMD_GLOBAL, 0) == 0)
		return;
	scap_engine_logf(e->ctx, SCAP_LOG_DEBUG, "bpf: membarrier: %s; pausing 50 ms instead", strerror(errno));
	nanosleep(&(struct timespec){ 0, 50 * 1000 * 1000 }, NULL);
}

/*
 * Clears every CPU's claims (scap_bpf_in_force): a claim left by a hit the
 * new load's programs did not follow (one that began before they were
 * attached) would make them yield a later hit of the same thread.
 */
static int claims_clear(struct bpf_engine *e)
{
	struct scap_bpf_claim *zero = calloc((size_t)e->ncpus, sizeof(*zero));
	int fd = bpf_map__fd(e->skel->maps.claims), err = 0;

	if (!zero)
		return -ENOMEM;
	for (__u32 kind = 0; kind < SCAP_BPF_HIT_KINDS && !err; kind++)
		if (bpf_map_update_elem(fd, &kind, zero, BPF_ANY))
			err = -errno;
	free(zero);
	return err;
}

/*
 * A new load of the programs for cfg, sharing the perf buffers, counters,
 * scratch and the tracepoint mode's per-thread maps, attached beside the
 * running one; one store to the map `active` switches every program of
 * every CPU to it (a hit that straddles the store is taken by the old load
 * only: scap_bpf_in_force); then the old load goes.
 */
static int bpf_reconfigure(void *state, const struct scap_engine_config *cfg)
{
	struct bpf_engine *e = state, n = { .ctx = e->ctx };
	unsigned failures = e->ctx->attach_failures;
	bool need_enter = false;
	int err;

	err = scap_bpf_loader_load_shared(e->ctx, cfg, e->ncpus, &e->objs, &n.objs, &need_enter);
	if (err)
		return err;
	n.skel = n.objs.skel;
	pthread_mutex_lock(&e->settings_lock);
	n.settings = e->settings;
	pthread_mutex_unlock(&e->settings_lock);
	n.settings.snaplen = cfg->snaplen;
	n.settings.pid_filter = cfg->pid > 0 ? (__u32)cfg->pid : 0;
	n.settings.instance = e->settings.instance + 1;
	err = settings_push(&n);
	if (err)
		scap_engine_errf(e->ctx, "bpf: writing the settings map failed: %s", strerror(-err));
	err = err ?: attach(&n, need_enter);
	if (!err) {
		/*
		 * Once the hits that began before the attach are over, every
		 * hit runs the old load's program then the new one's, the
		 * first writing the claim the second reads.
		 */
		quiesce(e);
		err = claims_clear(e);
		if (err)
			scap_engine_errf(e->ctx, "bpf: clearing the claims map failed: %s", strerror(-err));
		/*
		 * A hit whose old program claimed before the clear and whose
		 * new program runs after the switch would find no claim and
		 * take the hit again: let every hit that straddles the clear
		 * end first (seen under qemu TCG, where a vCPU can stop between
		 * the two programs: 1 open of 44738 captured twice on arm64).
		 */
		if (!err)
			quiesce(e);
	}
	if (!err)
		scap_engine_switch_pause(e->ctx);
	if (!err) {
		pthread_mutex_lock(&e->settings_lock);
		/* The reader may have changed threads, or capture started, meanwhile. */
		n.settings.self_tid = e->settings.self_tid;
		n.settings.capturing = e->settings.capturing;
		n.settings.boot_offset_ns = e->settings.boot_offset_ns;
		err = settings_push(&n);
		err = err ?: activate(&n);
		if (err) {
			pthread_mutex_unlock(&e->settings_lock);
			scap_engine_errf(e->ctx, "bpf: switching to the new programs failed: %s", strerror(-err));
		}
	}
	if (err) {
		unload(&n);
		SCAP_COUNT_SET(e->ctx->attach_failures, failures);
		return err;
	}
	/* e takes the new load, n the old one (to unload). */
#define BPF_SWAP(field)                                                                         \
	do {                                                                                    \
		__typeof__(e->field) t_ = e->field;                                             \
		e->field = n.field;                                                             \
		n.field = t_;                                                                   \
	} while (0)
	BPF_SWAP(objs);
	BPF_SWAP(skel);
	BPF_SWAP(exit_link);
	BPF_SWAP(enter_link);
	BPF_SWAP(exec_name_link);
	BPF_SWAP(procexit_link);
	BPF_SWAP(tp);
	BPF_SWAP(settings);
#undef BPF_SWAP
	pthread_mutex_unlock(&e->settings_lock);
	/* What did not attach counts for the load in force only. */
	SCAP_COUNT_SET(e->ctx->attach_failures, e->ctx->attach_failures - failures);
	/* Once this returns, nothing is captured under the old settings. */
	quiesce(e);
	unload(&n);
	scap_engine_logf(e->ctx, SCAP_LOG_INFO, "bpf: settings changed (load %u)", e->settings.instance);
	return 0;
}

const struct scap_engine_ops scap_engine_bpf = {
	.name = "bpf",
	.flags = SCAP_ENGINE_F_BOOTTIME | SCAP_ENGINE_F_LIVE,
	.description = "eBPF on raw tracepoints (>= 4.17) or raw_syscalls tracepoints (>= 4.14) with perf "
		       "buffers, no BTF needed",
	.probe = bpf_probe,
	.init = bpf_init,
	.start = bpf_start,
	.stop = bpf_stop,
	.next = NULL,
	.wait = bpf_wait,
	.reader_changed = bpf_reader_changed,
	.stats = bpf_stats,
	.reconfigure = bpf_reconfigure,
	.close = bpf_close,
};
