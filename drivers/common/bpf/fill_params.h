/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Writers for parameters whose value is a syscall argument or the return
 * value: integers, user strings, byte buffers, socket addresses, argv arrays.
 * Each writes at fc->pos and returns the parameter's length; the caller
 * advances pos. Included by fill.h.
 */
#ifndef SCAP_DRIVERS_COMMON_BPF_FILL_PARAMS_H
#define SCAP_DRIVERS_COMMON_BPF_FILL_PARAMS_H

/* Address families as the syscall ABI numbers them (not in vmlinux.h). */
#define SCAP_FILL_AF_UNIX 1
#define SCAP_FILL_AF_INET 2
#define SCAP_FILL_AF_INET6 10
#define SCAP_FILL_UNIX_PATH_MAX 108u

/* Where the next parameter goes; masked so the verifier sees it in bounds. */
static __always_inline scap_u8 *scap_fill_dst(struct scap_fill_ctx *fc)
{
	return &fc->buf[fc->pos & SCAP_FILL_MASK];
}

/* Bytes still free in this event (pos never exceeds SCAP_FILL_MAX_EVENT). */
static __always_inline scap_u32 scap_fill_room(struct scap_fill_ctx *fc)
{
	return fc->pos < SCAP_FILL_MAX_EVENT ? SCAP_FILL_MAX_EVENT - fc->pos : 0;
}

static __always_inline scap_u64 scap_fill_src(struct scap_fill_ctx *fc, const scap_u8 src)
{
	switch (src) {
	case SCAP_SRC_ARG(0): return fc->args[0];
	case SCAP_SRC_ARG(1): return fc->args[1];
	case SCAP_SRC_ARG(2): return fc->args[2];
	case SCAP_SRC_ARG(3): return fc->args[3];
	case SCAP_SRC_ARG(4): return fc->args[4];
	case SCAP_SRC_ARG(5): return fc->args[5];
	case SCAP_SRC_RET: return (scap_u64)fc->ret;
	default: return 0;
	}
}

/* Integer widths per type; 0 for types that are not integers. */
static __always_inline scap_u32 scap_fill_int_size(const scap_u8 type)
{
	switch (type) {
	case SCAP_PT_INT8: case SCAP_PT_UINT8:
		return 1;
	case SCAP_PT_INT16: case SCAP_PT_UINT16:
		return 2;
	case SCAP_PT_INT32: case SCAP_PT_UINT32: case SCAP_PT_UID: case SCAP_PT_GID:
	case SCAP_PT_SYSCALLID: case SCAP_PT_FLAGS32: case SCAP_PT_ENUM32: case SCAP_PT_MODE:
		return 4;
	case SCAP_PT_INT64: case SCAP_PT_UINT64: case SCAP_PT_FD: case SCAP_PT_PID:
	case SCAP_PT_RES: case SCAP_PT_ADDR: case SCAP_PT_FLAGS64:
		return 8;
	default:
		return 0;
	}
}

static __always_inline scap_u32 scap_fill_int(struct scap_fill_ctx *fc, const scap_u8 type, scap_u64 v)
{
	scap_u8 *d = scap_fill_dst(fc);

	if (scap_fill_room(fc) < 8) {
		fc->flags |= SCAP_EVF_TRUNCATED;
		return 0;
	}
	/* Stores are unaligned; x86_64, arm64 and s390x handle that natively. */
	switch (scap_fill_int_size(type)) {
	case 1: *d = (scap_u8)v; return 1;
	case 2: *(scap_u16 *)d = (scap_u16)v; return 2;
	case 4: *(scap_u32 *)d = (scap_u32)v; return 4;
	case 8: *(scap_u64 *)d = v; return 8;
	default: return 0;
	}
}

/*
 * Whether the user string at ptr goes on past the n - 1 bytes a string read
 * of n bytes kept: the byte the read replaced with its NUL is not a NUL (or
 * cannot be read, so the string runs on into memory that faults).
 */
static __always_inline int scap_fill_str_goes_on(scap_u64 ptr, long n)
{
	char c = 1;

	SCAP_FILL_READ_USER(&c, 1, (const void *)(ptr + n - 1));
	return c != 0;
}

/*
 * A NUL-terminated user string of at most `max` bytes (NUL included): cut
 * (and marked) when longer, empty and marked when it cannot be read.
 */
static __always_inline scap_u32 scap_fill_user_str(struct scap_fill_ctx *fc, scap_u64 ptr, const scap_u32 max)
{
	scap_u32 room = scap_fill_room(fc);
	scap_u32 lim = max;
	long n;

	if (!ptr)
		return 0;
	if (room < lim)
		lim = room;
	/* barrier_var: clang drops a mask it can prove redundant, then passes an
	 * unmasked copy that older verifiers (6.1) cannot bound. */
	barrier_var(lim);
	lim &= SCAP_FILL_MASK;
	if (lim == 0) {
		fc->partial = 1;
		return 0;
	}
	n = SCAP_FILL_READ_USER_STR(scap_fill_dst(fc), lim, (const void *)ptr);
	if (n < 0) {
		fc->partial = 1;
		return 0;
	}
	if (n == 0) {
		/* An empty string: some kernels (6.1 seen; 6.18 not) answer 0 for it, not 1 (the NUL). */
		*scap_fill_dst(fc) = 0;
		return 1;
	}
	if (n == lim && scap_fill_str_goes_on(ptr, n))
		fc->flags |= SCAP_EVF_TRUNCATED;
	return (scap_u32)n;
}

/* A NUL-terminated kernel string of at most `max` bytes (NUL included). */
static __always_inline scap_u32 scap_fill_kernel_str(struct scap_fill_ctx *fc, scap_u64 ptr, const scap_u32 max)
{
	scap_u32 lim = scap_fill_room(fc);
	long n;

	if (lim > max)
		lim = max;
	barrier_var(lim); /* as in scap_fill_user_str */
	lim &= SCAP_FILL_MASK;
	if (lim == 0)
		return 0;
	n = SCAP_FILL_READ_KERNEL_STR(scap_fill_dst(fc), lim, (const void *)ptr);
	return n > 0 ? (scap_u32)n : 0;
}

/* Raw user bytes, `len` of them (negative: none), cut at snaplen. */
static __always_inline scap_u32 scap_fill_user_buf(struct scap_fill_ctx *fc, scap_u64 ptr, scap_s64 len)
{
	scap_u32 room = scap_fill_room(fc);
	scap_u32 n;

	if (!ptr || len <= 0)
		return 0;
	n = len > (scap_s64)fc->snaplen ? fc->snaplen : (scap_u32)len;
	if (n > SCAP_MAX_SNAPLEN)
		n = SCAP_MAX_SNAPLEN;
	if (n > room)
		n = room;
	if ((scap_s64)n < len)
		fc->flags |= SCAP_EVF_TRUNCATED;
	barrier_var(n); /* as in scap_fill_user_str */
	n &= SCAP_FILL_MASK;
	if (n == 0) {
		fc->partial = 1;
		return 0;
	}
	if (SCAP_FILL_READ_USER(scap_fill_dst(fc), n, (const void *)ptr) != 0) {
		fc->partial = 1;
		return 0;
	}
	return n;
}

/*
 * A struct sockaddr from user memory, re-encoded as event_layout.h says:
 * family byte, then the address. `alen` is the caller's address length, and
 * only those bytes are the address, as for the kernel (move_addr_to_kernel
 * copies that many): a unix path ends at the first NUL within them, an
 * abstract name is all of them, and an IPv4/IPv6 address they do not hold
 * whole is its family alone (SCAP_SA_OTHER), marked cut. Below 2 bytes there
 * is no family, and no value. kernel (a constant): the address is in kernel
 * memory (connect's peer, built from the socket), not the caller's.
 */
#define SCAP_FILL_READ_SA(kernel, dst, sz, src)                                                   \
	((kernel) ? SCAP_FILL_READ_KERNEL(dst, sz, src) : SCAP_FILL_READ_USER(dst, sz, src))

static __always_inline scap_u32 scap_fill_sockaddr_at(struct scap_fill_ctx *fc, scap_u64 ptr, scap_s64 alen,
						      const int kernel)
{
	scap_u8 *d = scap_fill_dst(fc);
	scap_u8 sa[24];
	scap_u16 fam = 0, port;
	scap_u32 plen, sz;
	long n;

	if (!ptr || alen < 2)
		return 0;
	if (scap_fill_room(fc) < SCAP_FILL_UNIX_PATH_MAX + 2 ||
	    SCAP_FILL_READ_SA(kernel, &fam, sizeof(fam), (const void *)ptr) != 0) {
		fc->partial = 1;
		return 0;
	}

	switch (fam) {
	case SCAP_FILL_AF_INET:
		/* sockaddr_in: family(2) port(2, network order) addr(4) */
		if (alen < 8)
			break;
		if (SCAP_FILL_READ_SA(kernel, sa, 8, (const void *)ptr) != 0) {
			fc->partial = 1;
			return 0;
		}
		d[0] = SCAP_SA_INET;
		__builtin_memcpy(&d[1], &sa[4], 4);
		/*
		 * The port to host order: built from its network-order bytes,
		 * then stored as a host u16 (a byte swap would be right on
		 * little-endian hosts only).
		 */
		port = (scap_u16)((sa[2] << 8) | sa[3]);
		__builtin_memcpy(&d[5], &port, 2);
		return 7;
	case SCAP_FILL_AF_INET6:
		/* sockaddr_in6: family(2) port(2) flowinfo(4) addr(16) */
		if (alen < 24)
			break;
		if (SCAP_FILL_READ_SA(kernel, sa, 24, (const void *)ptr) != 0) {
			fc->partial = 1;
			return 0;
		}
		d[0] = SCAP_SA_INET6;
		__builtin_memcpy(&d[1], &sa[8], 16);
		port = (scap_u16)((sa[2] << 8) | sa[3]);
		__builtin_memcpy(&d[17], &port, 2);
		return 19;
	case SCAP_FILL_AF_UNIX:
		d[0] = SCAP_SA_UNIX;
		plen = alen > 2 + SCAP_FILL_UNIX_PATH_MAX ? SCAP_FILL_UNIX_PATH_MAX : (scap_u32)alen - 2;
		if (plen == 0) {
			d[1] = 0; /* unnamed socket */
			return 2;
		}
		/*
		 * The sun_path bytes within the length, raw: a path may fill
		 * all 108 without a NUL. The size goes to the helper as 1..128
		 * (plen is 1..108: the same value), bounded in the register the
		 * call takes. plen itself lives on across the call, and clang
		 * spills it to the stack; Linux 4.15's verifier forgets the
		 * bounds of a spilled scalar and refused the reloaded size as
		 * possibly negative. An asm the compiler cannot see through
		 * keeps the bounded copy out of that.
		 */
		sz = plen;
		asm volatile("%0 += -1\n\t%0 &= 127\n\t%0 += 1" : "+r"(sz));
		if (SCAP_FILL_READ_SA(kernel, &d[1], sz, (const void *)(ptr + 2)) != 0) {
			fc->partial = 1;
			return 0;
		}
		/* Again after the call, for the index (same value). */
		sz = plen;
		asm volatile("%0 &= 127" : "+r"(sz));
		d[1 + sz] = 0;
		if (d[1] == 0)
			return 2 + plen; /* abstract: every byte is the name, leading NUL kept */
		/*
		 * A path ends at its first NUL (the kernel's unix_mkname_bsd):
		 * its length is what a string read of the bytes just copied
		 * finds, copying them onto themselves (no loop over 108 bytes).
		 */
		sz = plen;
		asm volatile("%0 &= 127\n\t%0 += 1" : "+r"(sz));
		n = SCAP_FILL_READ_KERNEL_STR(&d[1], sz, &d[1]);
		if (n <= 0) {
			fc->partial = 1;
			return 0;
		}
		return 1 + (scap_u32)n;
	case 0: /* AF_UNSPEC: the family alone, as the kmod writes it */
		d[0] = SCAP_SA_UNSPEC;
		return 1;
	default:
		break;
	}
	/* Another family, or an IPv4/IPv6 address cut short by the caller's length. */
	if (fam == SCAP_FILL_AF_INET || fam == SCAP_FILL_AF_INET6)
		fc->flags |= SCAP_EVF_TRUNCATED;
	d[0] = SCAP_SA_OTHER;
	__builtin_memcpy(&d[1], &fam, 2);
	return 3;
}

static __always_inline scap_u32 scap_fill_sockaddr(struct scap_fill_ctx *fc, scap_u64 ptr, scap_s64 alen)
{
	return scap_fill_sockaddr_at(fc, ptr, alen, 0);
}

/*
 * Ends a string array of `off` bytes of strings at the fill position with the
 * NUL that ends the array (an empty array is that NUL alone), and returns its
 * length; 0 when nothing could be read (then fc->partial marks it unreadable).
 */
static __always_inline scap_u32 scap_fill_strarray_end(struct scap_fill_ctx *fc, scap_u32 off)
{
	scap_u32 at;

	if (off == 0 && fc->partial)
		return 0;
	at = fc->pos + off;
	barrier_var(at); /* as in scap_fill_user_strarray */
	fc->buf[at & SCAP_FILL_MASK] = 0;
	return off + 1;
}

/*
 * A NULL-terminated array of user string pointers (argv, envp): the strings
 * back to back, NUL-terminated, then the NUL that ends the array; at most
 * SCAP_MAX_ARGV_ITEMS strings and SCAP_MAX_ARGV_LEN bytes. A NULL array is no
 * value, an array that cannot be read an empty value marked partial; one cut
 * by a limit, or whose later strings fault, keeps what was read, marked.
 */
static __always_inline scap_u32 scap_fill_user_strarray(struct scap_fill_ctx *fc, scap_u64 ptr)
{
	scap_u32 room = scap_fill_room(fc);
	scap_u32 lim = room < SCAP_MAX_ARGV_LEN ? room : SCAP_MAX_ARGV_LEN;
	scap_u32 off = 0, rem, at;
	scap_u64 item;
	long n;
	int i;

	if (!ptr)
		return 0;
	if (lim == 0) {
		fc->partial = 1;
		return 0;
	}
	lim--; /* the array's final NUL */
#pragma unroll
	for (i = 0; i < SCAP_MAX_ARGV_ITEMS; i++) {
		off &= 2 * SCAP_MAX_ARGV_LEN - 1; /* off < SCAP_MAX_ARGV_LEN: one range for pruning */
		item = 0;
		if (SCAP_FILL_READ_USER(&item, sizeof(item), (const void *)(ptr + i * sizeof(item))) != 0) {
			fc->partial = 1;
			return scap_fill_strarray_end(fc, off);
		}
		if (!item)
			return scap_fill_strarray_end(fc, off);
		rem = lim - off;
		if (rem == 0 || rem > SCAP_MAX_ARGV_LEN) {
			fc->flags |= SCAP_EVF_TRUNCATED;
			return scap_fill_strarray_end(fc, off);
		}
		/* Same value (1..SCAP_MAX_ARGV_LEN); clang may otherwise pass a copy of
		 * rem the verifier saw unchecked and reject it as possibly negative. */
		rem = ((rem - 1) & (SCAP_MAX_ARGV_LEN - 1)) + 1;
		at = fc->pos + off;
		/* clang drops the mask when it can bound pos + off; the verifier cannot. */
		barrier_var(at);
		/* NUL first: an empty string is 0 bytes to some kernels (see scap_fill_user_str). */
		fc->buf[at & SCAP_FILL_MASK] = 0;
		n = SCAP_FILL_READ_USER_STR(&fc->buf[at & SCAP_FILL_MASK], rem, (const void *)item);
		if (n < 0) {
			fc->partial = 1;
			return scap_fill_strarray_end(fc, off);
		}
		off += (scap_u32)n + (n == 0);
		if (n == rem && scap_fill_str_goes_on(item, n)) {
			fc->flags |= SCAP_EVF_TRUNCATED;
			return scap_fill_strarray_end(fc, off & (2 * SCAP_MAX_ARGV_LEN - 1));
		}
	}
	/* More than SCAP_MAX_ARGV_ITEMS strings? */
	item = 0;
	if (SCAP_FILL_READ_USER(&item, sizeof(item), (const void *)(ptr + i * sizeof(item))) == 0 && item)
		fc->flags |= SCAP_EVF_TRUNCATED;
	return scap_fill_strarray_end(fc, off & (2 * SCAP_MAX_ARGV_LEN - 1));
}

/* The six raw arguments, u64 each. */
static __always_inline scap_u32 scap_fill_args(struct scap_fill_ctx *fc)
{
	scap_u8 *d = scap_fill_dst(fc);

	if (scap_fill_room(fc) < SCAP_GENERIC_NARGS * 8) {
		fc->flags |= SCAP_EVF_TRUNCATED;
		return 0;
	}
#pragma unroll
	for (int i = 0; i < SCAP_GENERIC_NARGS; i++)
		*(scap_u64 *)&d[i * 8] = fc->args[i];
	return SCAP_GENERIC_NARGS * 8;
}

#endif
