// SPDX-License-Identifier: Apache-2.0
/*
 * Capture files from a host of the other byte order (docs/capture-file-format.md,
 * "Byte order"). The events of a big-endian file are written here byte by
 * byte, big endian, by this test's own putters (not by the library's
 * conversion), read on this host, and every decoded value is compared with
 * the value written: an open-family exit (path, flags, mode, dev, ino), a
 * connect (IPv4 and IPv6 addresses: network order kept, ports converted),
 * an execve exit (argv, ids), a generic event (six raw arguments) and a bind
 * to another family (its raw family number). Each is also written little
 * endian: the two files must replay to the same bytes. Damaged big-endian
 * events stop the replay with the same message, offset included, as the
 * same damage in a little-endian file. A recorded file and its big-endian
 * twin (test/common/capfile_swap.c, rules of its own) replay to the same
 * events and exit copies. A file recorded on another architecture has its
 * generic events' syscall numbers renumbered by name into this host's table
 * (the numbers written here are the kernel's own tables').
 */
#include "savefile_util.h"
#include "test/common/capfile_swap.h"
#include "scap/common/arch.h"

#define HEAD SCAP_CAPFILE_BLOCK_HEAD

#define assert_msg(msg, want)                                                                      \
	do {                                                                                       \
		if (!strstr((msg), (want)))                                                        \
			fail_msg("message \"%s\" lacks \"%s\"", (msg), (want));                    \
	} while (0)

/* ---- events, byte by byte in either order --------------------------------------- */

struct ev {
	bool be;
	uint16_t type;
	uint8_t flags, nparams;
	uint64_t ts;
	uint32_t tid;
	uint16_t words[SCAP_MAX_PARAMS];
	uint8_t data[2048];
	uint32_t dlen;
	uint8_t out[4096];
	uint32_t len;
};

static void put_n(bool be, uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		p[be ? n - 1 - i : i] = (uint8_t)(v >> (8 * i));
}

static void ev_begin(struct ev *e, bool be, uint16_t type, uint8_t flags, uint64_t ts)
{
	memset(e, 0, sizeof(*e));
	e->be = be;
	e->type = type;
	e->flags = flags;
	e->ts = ts;
	e->tid = 4242;
}

static void p_raw(struct ev *e, const void *b, uint32_t n)
{
	memcpy(e->data + e->dlen, b, n);
	e->dlen += n;
	e->words[e->nparams++] = (uint16_t)n;
}

/* An integer parameter of n bytes, in the event's order. */
static void p_int(struct ev *e, uint64_t v, unsigned n)
{
	put_n(e->be, e->data + e->dlen, v, n);
	e->dlen += n;
	e->words[e->nparams++] = (uint16_t)n;
}

static void p_str(struct ev *e, const char *s)
{
	p_raw(e, s, (uint32_t)strlen(s) + 1);
}

static void ev_end(struct ev *e)
{
	uint32_t off = SCAP_EVT_HDR_LEN + 2u * e->nparams;

	e->len = off + e->dlen;
	put_n(e->be, e->out + 0, e->ts, 8);
	put_n(e->be, e->out + 8, e->tid, 4);
	put_n(e->be, e->out + 12, e->tid, 4);
	put_n(e->be, e->out + 16, e->len, 4);
	put_n(e->be, e->out + 20, e->type, 2);
	e->out[22] = e->nparams;
	e->out[23] = e->flags;
	for (unsigned i = 0; i < e->nparams; i++)
		put_n(e->be, e->out + 24 + 2 * i, e->words[i], 2);
	memcpy(e->out + off, e->data, e->dlen);
}

#define OPENED_DEV 0x10302ull
#define OPENED_INO 1234567890123ull
#define ARG5 0x0102030405060708ull

/* The events of the tests, in order k = 0..NEVENTS-1. */
enum { E_OPENAT, E_CONNECT, E_EXECVE, E_GENERIC, E_BIND, NEVENTS };

static void make_event(struct ev *e, bool be, unsigned k)
{
	static const uint8_t inet[7] = { SCAP_SA_INET, 10, 1, 2, 3 };
	static const uint8_t inet6[19] = { SCAP_SA_INET6, 0x20, 0x01, 0x0d, 0xb8, [16] = 1 };
	uint8_t sa[19];

	switch (k) {
	case E_OPENAT:
		ev_begin(e, be, SCAP_EV_OPENAT_X, SCAP_EVF_PAIRED, 1000000001);
		p_int(e, 3, 8);                 /* res */
		p_int(e, (uint64_t)-100, 8);    /* dirfd: AT_FDCWD */
		p_str(e, "/etc/passwd");
		p_int(e, 0x80000 | 0x40, 4);    /* flags: O_CLOEXEC|O_CREAT (x86 values; raw here) */
		p_int(e, 0644, 4);              /* mode */
		p_str(e, "/etc/passwd");        /* opened */
		p_int(e, OPENED_DEV, 8);
		p_int(e, OPENED_INO, 8);
		break;
	case E_CONNECT:
		ev_begin(e, be, SCAP_EV_CONNECT_X, SCAP_EVF_PAIRED, 1000000002);
		p_int(e, 0, 8);
		p_int(e, 5, 8);
		memcpy(sa, inet, 7);
		put_n(be, sa + 5, 8080, 2);    /* the port: host order of the writer */
		p_raw(e, sa, 7);
		memcpy(sa, inet6, 19);
		put_n(be, sa + 17, 443, 2);
		p_raw(e, sa, 19);               /* peer */
		break;
	case E_EXECVE:
		ev_begin(e, be, SCAP_EV_EXECVE_X, SCAP_EVF_PAIRED, 1000000003);
		p_int(e, 0, 8);
		p_str(e, "/bin/ls");
		p_raw(e, "ls\0-l\0", 7);       /* two strings and the array's NUL */
		p_str(e, "/usr/bin/ls");
		p_str(e, "ls");
		p_int(e, 1, 8);                 /* ppid */
		p_int(e, 1000, 4);              /* uid */
		p_int(e, 1001, 4);              /* gid */
		p_str(e, "/home/u");
		p_str(e, "/user.slice");
		p_int(e, 1002, 4);              /* euid */
		p_int(e, 1003, 4);              /* egid */
		p_int(e, 4294967295u, 4);       /* loginuid: unset */
		p_int(e, 4242, 8);              /* old_tid */
		break;
	case E_GENERIC:
		ev_begin(e, be, SCAP_EV_GENERIC_X, 0, 1000000004);
		p_int(e, (uint64_t)-38, 8);     /* res: -ENOSYS */
		p_int(e, 39, 4);                /* syscall */
		{
			uint8_t a[48];

			for (unsigned i = 0; i < 5; i++)
				put_n(be, a + 8 * i, i + 1, 8);
			put_n(be, a + 40, ARG5, 8);
			p_raw(e, a, 48);
		}
		break;
	case E_BIND:
		ev_begin(e, be, SCAP_EV_BIND_X, 0, 1000000005);
		p_int(e, 0, 8);
		p_int(e, 7, 8);
		sa[0] = SCAP_SA_OTHER;
		put_n(be, sa + 1, 16, 2);       /* AF_NETLINK, the raw family in host order */
		p_raw(e, sa, 3);
		break;
	}
	ev_end(e);
}

/* ---- a file around them (the container: little endian whatever the events) ------ */

/*
 * A version-2 file of the given events (one buffer, cpu 0): preamble, HEADER
 * (flags PAIRED, and BIG_ENDIAN for big-endian events), one EVENTS block, END.
 * evoff[i]: the offset of event i in the file.
 */
static const char *file_arch = "s390x"; /* the HEADER's arch */

static size_t make_file(uint8_t **out, struct ev *evs, unsigned n, bool be, size_t *evoff)
{
	struct scap_capfile_hdr h = { 0 };
	struct scap_capfile_trailer t = { 0 };
	struct scap_capfile_trailer_buf tb = { 0 };
	int32_t cpu0 = 0;
	size_t hl = scap_capfile_hdr_payload_len(1), el = scap_capfile_end_payload_len(1), cap, len, pl;
	uint8_t *f, *p;

	h.layout_version = SCAP_EVENT_LAYOUT_VERSION;
	h.flags = SCAP_CAPFILE_F_PAIRED | (be ? SCAP_CAPFILE_F_BIG_ENDIAN : 0);
	h.snaplen = 80;
	h.schema_ev_max = SCAP_EV_MAX;
	h.schema_hash = scap_capfile_schema_hash();
	h.nbuffers = 1;
	h.flush_ms = 1000;
	h.sync_ms = 1000;
	h.boot_time_ns = 1000;
	h.created_ns = 2000;
	strcpy(h.engine, "kmod");
	strcpy(h.arch, file_arch);
	strcpy(h.release, "6.1.0-s390x");
	h.cpus = &cpu0;
	cap = SCAP_CAPFILE_PREAMBLE + 3 * HEAD + hl + el + SCAP_CAPFILE_EVENTS_PREFIX;
	for (unsigned i = 0; i < n; i++)
		cap += SCAP_CAPFILE_REC_PAD(SCAP_CAPFILE_REC_HEAD + evs[i].len);
	f = calloc(1, cap);
	assert_non_null(f);
	scap_capfile_preamble_encode(f);
	len = SCAP_CAPFILE_PREAMBLE;
	scap_capfile_hdr_encode(&h, f + len + HEAD);
	scap_capfile_block_encode(f + len, SCAP_CAPFILE_BLK_HEADER, SCAP_CAPFILE_BF_MUST_UNDERSTAND, 0,
				  f + len + HEAD, (uint32_t)hl);
	len += HEAD + hl;
	p = f + len + HEAD;
	scap_capfile_put64(p, 0);
	scap_capfile_put32(p + 8, n);
	pl = SCAP_CAPFILE_EVENTS_PREFIX;
	for (unsigned i = 0; i < n; i++) {
		scap_capfile_put32(p + pl, SCAP_CAPFILE_REC_EVENT);
		scap_capfile_put32(p + pl + 4, 0);
		memcpy(p + pl + SCAP_CAPFILE_REC_HEAD, evs[i].out, evs[i].len);
		if (evoff)
			evoff[i] = len + HEAD + pl + SCAP_CAPFILE_REC_HEAD;
		pl += SCAP_CAPFILE_REC_PAD(SCAP_CAPFILE_REC_HEAD + evs[i].len);
	}
	scap_capfile_block_encode(f + len, SCAP_CAPFILE_BLK_EVENTS, SCAP_CAPFILE_BF_MUST_UNDERSTAND, 1, p,
				  (uint32_t)pl);
	len += HEAD + pl;
	t.records = t.events = n;
	t.nbuffers = 1;
	tb.events = n;
	t.bufs = &tb;
	scap_capfile_end_encode(&t, f + len + HEAD);
	scap_capfile_block_encode(f + len, SCAP_CAPFILE_BLK_END, SCAP_CAPFILE_BF_MUST_UNDERSTAND, 2, f + len + HEAD,
				  (uint32_t)el);
	len += HEAD + el;
	assert_true(len <= cap);
	*out = f;
	return len;
}

static int replay_file(const char *name, const uint8_t *f, size_t len, struct recs *back, char *msg,
		       size_t msglen)
{
	char path[128];

	path_of(path, sizeof(path), name);
	spit(path, f, len);
	return replay(path, false, back, NULL, msg, msglen, NULL);
}

static void param(const struct rec *r, const char *name, struct scap_param *p)
{
	if (scap_event_param_by_name((const struct scap_event *)r->bytes, name, p) != 0)
		fail_msg("the event has no decodable parameter %s", name);
}

static void assert_text(const struct rec *r, const char *name, const char *want)
{
	struct scap_param p;
	char buf[256];

	param(r, name, &p);
	assert_true(scap_param_format(&p, buf, sizeof(buf)) >= 0);
	assert_string_equal(buf, want);
}

static uint64_t u_of(const struct rec *r, const char *name)
{
	struct scap_param p;

	param(r, name, &p);
	assert_int_equal(p.state, SCAP_PARAM_WHOLE);
	return p.v.u;
}

/* A hand-written big-endian file: every value as written. */
static void test_big_endian_values(void **unused)
{
	struct ev evs[NEVENTS];
	struct recs back = { 0 };
	struct scap_param p;
	char msg[SCAP_ERRBUF_SIZE];
	uint8_t *f;
	size_t len;
	uint16_t port;
	const struct rec *r;

	for (unsigned k = 0; k < NEVENTS; k++)
		make_event(&evs[k], true, k);
	len = make_file(&f, evs, NEVENTS, true, NULL);
	assert_int_equal(replay_file("be.scap", f, len, &back, msg, sizeof(msg)), -ENODATA);
	free(f);
	assert_int_equal(back.n, NEVENTS);
	for (unsigned k = 0; k < NEVENTS; k++) {
		const struct scap_event *e = (const struct scap_event *)back.v[k].bytes;

		assert_int_equal(scap_event_ts(e), 1000000001ull + k);
		assert_int_equal(scap_event_tid(e), 4242);
		assert_int_equal(scap_event_pid(e), 4242);
		assert_int_equal(scap_event_len(e), evs[k].len);
	}

	r = &back.v[E_OPENAT];
	assert_int_equal(scap_event_type((const struct scap_event *)r->bytes), SCAP_EV_OPENAT_X);
	assert_int_equal((int64_t)u_of(r, "res"), 3);
	assert_int_equal((int64_t)u_of(r, "dirfd"), -100);
	assert_text(r, "dirfd", "AT_FDCWD");
	param(r, "pathname", &p);
	assert_string_equal(p.str, "/etc/passwd");
	assert_int_equal(u_of(r, "flags"), 0x80040);
	assert_int_equal(u_of(r, "mode"), 0644);
	assert_text(r, "mode", "0644");
	param(r, "opened", &p);
	assert_string_equal(p.str, "/etc/passwd");
	assert_int_equal(u_of(r, "opened_dev"), OPENED_DEV);
	assert_int_equal(u_of(r, "opened_ino"), OPENED_INO);

	r = &back.v[E_CONNECT];
	assert_int_equal((int64_t)u_of(r, "res"), 0);
	assert_int_equal((int64_t)u_of(r, "sockfd"), 5);
	param(r, "addr", &p);
	assert_int_equal(p.len, 7);
	/* The address in network order, untouched; the port now in this host's order. */
	assert_memory_equal(p.data, ((const uint8_t[]){ SCAP_SA_INET, 10, 1, 2, 3 }), 5);
	memcpy(&port, (const uint8_t *)p.data + 5, 2);
	assert_int_equal(port, 8080);
	assert_text(r, "addr", "10.1.2.3:8080");
	assert_text(r, "peer", "[2001:db8::1]:443");

	r = &back.v[E_EXECVE];
	assert_text(r, "pathname", "/bin/ls");
	assert_text(r, "argv", "ls -l");
	assert_text(r, "exe", "/usr/bin/ls");
	assert_int_equal(u_of(r, "ppid"), 1);
	assert_int_equal(u_of(r, "uid"), 1000);
	assert_int_equal(u_of(r, "gid"), 1001);
	assert_int_equal(u_of(r, "euid"), 1002);
	assert_int_equal(u_of(r, "egid"), 1003);
	assert_int_equal(u_of(r, "loginuid"), 4294967295u);
	assert_int_equal(u_of(r, "old_tid"), 4242);

	r = &back.v[E_GENERIC];
	assert_int_equal((int64_t)u_of(r, "res"), -38);
	assert_text(r, "res", "-38 ENOSYS");
	/* s390x's 39 is mkdir: this host's number of it (none on aarch64 and riscv64). */
	assert_int_equal(u_of(r, "syscall"), (uint32_t)scap_syscall_nr("mkdir"));
	param(r, "args", &p);
	assert_int_equal(p.len, 48);
	for (unsigned i = 0; i < 6; i++) {
		uint64_t a;

		memcpy(&a, (const uint8_t *)p.data + 8 * i, 8);
		assert_int_equal(a, i < 5 ? i + 1 : ARG5);
	}

	r = &back.v[E_BIND];
	param(r, "addr", &p);
	assert_int_equal(p.len, 3);
	memcpy(&port, (const uint8_t *)p.data + 1, 2);
	assert_int_equal(port, 16);
	assert_text(r, "addr", "AF_NETLINK");
	recs_free(&back);
}

/* The same events written little endian and big endian replay to the same bytes. */
static void test_both_orders_same_bytes(void **unused)
{
	struct ev le[NEVENTS], be[NEVENTS];
	struct recs a = { 0 }, b = { 0 };
	char msg[SCAP_ERRBUF_SIZE];
	uint8_t *f;
	size_t len;

	for (unsigned k = 0; k < NEVENTS; k++) {
		make_event(&le[k], false, k);
		make_event(&be[k], true, k);
		/* Not the same bytes in the file (the test would prove nothing). */
		assert_memory_not_equal(le[k].out, be[k].out, le[k].len);
	}
	/* Recorded on this host's architecture: no syscall number is renumbered. */
	file_arch = SCAP_ARCH_NAME;
	len = make_file(&f, le, NEVENTS, false, NULL);
	assert_int_equal(replay_file("le.scap", f, len, &a, msg, sizeof(msg)), -ENODATA);
	free(f);
	len = make_file(&f, be, NEVENTS, true, NULL);
	assert_int_equal(replay_file("be.scap", f, len, &b, msg, sizeof(msg)), -ENODATA);
	free(f);
	file_arch = "s390x";
	assert_int_equal(a.n, NEVENTS);
	assert_int_equal(b.n, NEVENTS);
	assert_same(&a, &b, NEVENTS);
	/* This host's order is the little-endian one: the LE file's bytes are delivered as written. */
	if (SCAP_CAPFILE_F_HOST_ORDER == 0)
		for (unsigned k = 0; k < NEVENTS; k++)
			assert_memory_equal(a.v[k].bytes, le[k].out, le[k].len);
	recs_free(&a);
	recs_free(&b);
}

/*
 * One damaged event after a good one, written in both orders: both files
 * stop with -EBADMSG and the same message, which names the event's offset.
 */
static void damaged(void (*damage)(struct ev *e), const char *want)
{
	struct ev evs[2][2];
	struct recs back[2] = { { 0 }, { 0 } };
	char msg[2][SCAP_ERRBUF_SIZE], at[64];
	size_t len, off[2];
	uint8_t *f;

	for (unsigned o = 0; o < 2; o++) {
		make_event(&evs[o][0], o == 1, E_OPENAT);
		make_event(&evs[o][1], o == 1, E_CONNECT);
		damage(&evs[o][1]);
		ev_end(&evs[o][1]);
		len = make_file(&f, evs[o], 2, o == 1, off);
		assert_int_equal(replay_file(o ? "bad_be.scap" : "bad_le.scap", f, len, &back[o], msg[o],
					     sizeof(msg[o])), -EBADMSG);
		free(f);
		/* The good event before it was delivered, as written. */
		assert_int_equal(back[o].n, 1);
		assert_int_equal(scap_event_type((const struct scap_event *)back[o].v[0].bytes), SCAP_EV_OPENAT_X);
		recs_free(&back[o]);
	}
	snprintf(at, sizeof(at), "at offset %zu", off[1]);
	assert_msg(msg[1], at);
	assert_msg(msg[1], want);
	assert_string_equal(msg[0], msg[1]);
}

static void dmg_type(struct ev *e)
{
	e->type = 0xfff0;
}

static void dmg_nparams(struct ev *e)
{
	e->nparams = 3;
	e->dlen -= 19;
}

static void dmg_word(struct ev *e)
{
	e->words[2] = 300; /* the address's length: past the event */
}

static void dmg_width(struct ev *e)
{
	/* sockfd of 4 bytes, not 8 */
	memmove(e->data + 12, e->data + 16, e->dlen - 16);
	e->dlen -= 4;
	e->words[1] = 4;
}

static void dmg_family(struct ev *e)
{
	e->data[16] = 9; /* the address's family code: unknown */
}

static void dmg_len(struct ev *e)
{
	e->dlen += 1; /* one byte no length word counts */
}

static void test_damaged_big_endian(void **unused)
{
	damaged(dmg_type, "unknown event type 65520");
	damaged(dmg_nparams, "(connect) has 4 parameters, not 3");
	damaged(dmg_word, "parameter lengths add up to 367 bytes, header says 74");
	damaged(dmg_width, "sockfd: FD of 4 bytes, expected 8");
	damaged(dmg_family, "unknown address family code 9");
	damaged(dmg_len, "parameter lengths add up to 74 bytes, header says 75");
}

/* A header length word beyond the block: refused before any byte of it is converted. */
static void test_big_endian_length_past_block(void **unused)
{
	struct ev evs[2];
	struct recs back = { 0 };
	char msg[SCAP_ERRBUF_SIZE], want[96];
	size_t len, off[2], blk;
	uint8_t *f;

	make_event(&evs[0], true, E_OPENAT);
	make_event(&evs[1], true, E_GENERIC);
	len = make_file(&f, evs, 2, true, off);
	/* The second event's len, big endian: 0x00001000, past the end of its block. */
	memcpy(f + off[1] + 16, "\x00\x00\x10\x00", 4);
	/* The EVENTS block follows the HEADER block: its CRC redone, so the length rule fires. */
	blk = SCAP_CAPFILE_PREAMBLE + HEAD + scap_capfile_hdr_payload_len(1);
	scap_capfile_block_encode(f + blk, SCAP_CAPFILE_BLK_EVENTS, SCAP_CAPFILE_BF_MUST_UNDERSTAND, 1, f + blk + HEAD,
				  scap_capfile_get32(f + blk + 8));
	assert_int_equal(replay_file("long_be.scap", f, len, &back, msg, sizeof(msg)), -EBADMSG);
	free(f);
	assert_int_equal(back.n, 1);
	snprintf(want, sizeof(want), "the event at offset %zu has length 4096", off[1]);
	assert_msg(msg, want);
	recs_free(&back);
}

/* What the writer of this host says: the order flag is this host's. */
static void test_writer_says_host_order(void **unused)
{
	char path[128];
	struct blk b[8];
	uint8_t *f;
	size_t len;

	path_of(path, sizeof(path), "w.scap");
	record(path, 200, false, false, NULL);
	f = slurp(path, &len);
	assert_true(blocks_of(f, len, b, 8) >= 2);
	assert_int_equal(scap_capfile_get32(f + b[0].off + HEAD + 12) & SCAP_CAPFILE_F_BIG_ENDIAN,
			 SCAP_CAPFILE_F_HOST_ORDER);
	free(f);
}

/*
 * A recorded file (exit copies included) and its big-endian twin made by
 * capfile_swap: the same events and exit copies, byte for byte; the twin
 * re-recorded is this host's order again, and replays to the same bytes.
 */
static void test_recorded_twin(void **unused)
{
	struct recs live = { 0 }, a = { 0 }, b = { 0 }, xa = { 0 }, xb = { 0 }, c = { 0 };
	char path[128], bepath[128], why[256], msg[SCAP_ERRBUF_SIZE];
	uint8_t *f;
	size_t len;

	path_of(path, sizeof(path), "rec.scap");
	path_of(bepath, sizeof(bepath), "rec.be.scap");
	record(path, 4000, false, false, &live);
	f = slurp(path, &len);
	if (capfile_swap_to_be(f, len, why, sizeof(why)) < 0)
		fail_msg("capfile_swap: %s", why);
	spit(bepath, f, len);
	free(f);
	g_xs = &xa;
	assert_int_equal(replay(path, false, &a, NULL, msg, sizeof(msg), NULL), -ENODATA);
	g_xs = &xb;
	assert_int_equal(replay(bepath, false, &b, NULL, msg, sizeof(msg), NULL), -ENODATA);
	g_xs = NULL;
	assert_int_equal(a.n, live.n);
	assert_int_equal(b.n, live.n);
	assert_same(&live, &b, live.n);
	assert_true(xa.n > 0);
	assert_int_equal(xa.n, xb.n);
	assert_same(&xa, &xb, xa.n);

	/* Re-recorded from the twin: written in this host's order. */
	{
		struct scap_open_opts o = { .sz = sizeof(o), .savefile_path = bepath };
		char err[SCAP_ERRBUF_SIZE], out[128];
		struct scap_dumper *d = NULL;
		const struct scap_event *ev;
		struct scap *h = NULL;
		unsigned cpu;
		int r;

		path_of(out, sizeof(out), "rerec.scap");
		assert_int_equal(scap_open(&h, "savefile", &o, err, sizeof(err)), 0);
		assert_int_equal(scap_start(h), 0);
		assert_int_equal(scap_dump_open(&d, h, out, NULL), 0);
		while ((r = scap_next(h, &ev, &cpu, 0)) == 0)
			assert_int_equal(scap_dump_event(d, ev, cpu), 0);
		assert_int_equal(r, -ENODATA);
		assert_int_equal(scap_dump_close(d), 0);
		scap_close(h);
		f = slurp(out, &len);
		assert_int_equal(scap_capfile_get32(f + SCAP_CAPFILE_PREAMBLE + HEAD + 12) & SCAP_CAPFILE_F_BIG_ENDIAN,
				 SCAP_CAPFILE_F_HOST_ORDER);
		free(f);
		assert_int_equal(replay(out, false, &c, NULL, msg, sizeof(msg), NULL), -ENODATA);
		assert_int_equal(c.n, live.n);
		assert_same(&live, &c, live.n);
	}
	recs_free(&live);
	recs_free(&a);
	recs_free(&b);
	recs_free(&c);
	recs_free(&xa);
	recs_free(&xb);
}

/* ---- a file of another architecture ------------------------------------------------- */

/* A generic event of the given syscall number, in this host's byte order. */
static void make_generic(struct ev *e, uint32_t nr, uint64_t ts)
{
	uint8_t a[48] = { 0 };

	ev_begin(e, SCAP_CAPFILE_F_HOST_ORDER != 0, SCAP_EV_GENERIC_X, 0, ts);
	p_int(e, 0, 8);
	p_int(e, nr, 4);
	p_raw(e, a, 48);
	ev_end(e);
}

static void replay_arch(const char *arch, const uint32_t *nrs, unsigned n, struct recs *back)
{
	struct ev evs[4];
	char msg[SCAP_ERRBUF_SIZE];
	uint8_t *f;
	size_t len;

	for (unsigned i = 0; i < n; i++)
		make_generic(&evs[i], nrs[i], 1000000001ull + i);
	file_arch = arch;
	len = make_file(&f, evs, n, SCAP_CAPFILE_F_HOST_ORDER != 0, NULL);
	file_arch = "s390x";
	assert_int_equal(replay_file("arch.scap", f, len, back, msg, sizeof(msg)), -ENODATA);
	free(f);
	assert_int_equal(back->n, n);
}

static void assert_generic(const struct rec *r, const char *want_name, uint32_t want_nr)
{
	const struct scap_event *e = (const struct scap_event *)r->bytes;

	assert_string_equal(scap_event_name(e), want_name);
	assert_int_equal(u_of(r, "syscall"), want_nr);
}

static void test_other_architecture(void **unused)
{
	struct recs back = { 0 };
	uint32_t getcwd = (uint32_t)scap_syscall_nr("getcwd");

	(void)unused;
	assert_true(scap_syscall_nr("getcwd") >= 0); /* every architecture has it */
	/* aarch64's getcwd is 17 (x86_64's 79): named and numbered as this host's getcwd. */
	{
		const uint32_t nrs[] = { 17 };

		replay_arch(strcmp(SCAP_ARCH_NAME, "aarch64") ? "aarch64" : "x86_64",
			    strcmp(SCAP_ARCH_NAME, "aarch64") ? nrs : (const uint32_t[]){ 79 }, 1, &back);
		assert_generic(&back.v[0], "getcwd", getcwd);
		recs_free(&back);
	}
	/*
	 * s390x's s390_runtime_instr (342) exists nowhere else, and 4000 is past
	 * every table: both become syscall_unknown (4294967295), never another
	 * syscall's name. getcwd (s390x 183) beside them is renumbered.
	 */
	if (strcmp(SCAP_ARCH_NAME, "s390x")) {
		const uint32_t nrs[] = { 342, 183, 4000 };

		replay_arch("s390x", nrs, 3, &back);
		assert_generic(&back.v[0], "syscall_unknown", 4294967295u);
		assert_generic(&back.v[1], "getcwd", getcwd);
		assert_generic(&back.v[2], "syscall_unknown", 4294967295u);
		recs_free(&back);
	}
	/* This host's own architecture: the numbers stay, whatever they are. */
	{
		const uint32_t nrs[] = { getcwd, 4000 };

		replay_arch(SCAP_ARCH_NAME, nrs, 2, &back);
		assert_generic(&back.v[0], "getcwd", getcwd);
		assert_int_equal(u_of(&back.v[1], "syscall"), 4000);
		recs_free(&back);
	}
	/* An architecture scap has no table for: the numbers stay (and a warning says so). */
	{
		const uint32_t nrs[] = { getcwd };

		replay_arch("mips64", nrs, 1, &back);
		assert_generic(&back.v[0], "getcwd", getcwd);
		recs_free(&back);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_big_endian_values),
		cmocka_unit_test(test_both_orders_same_bytes),
		cmocka_unit_test(test_damaged_big_endian),
		cmocka_unit_test(test_big_endian_length_past_block),
		cmocka_unit_test(test_writer_says_host_order),
		cmocka_unit_test(test_recorded_twin),
		cmocka_unit_test(test_other_architecture),
	};

	return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
