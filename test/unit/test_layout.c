// SPDX-License-Identifier: Apache-2.0
/* The event layout: sizes and offsets every engine and reader rely on. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "scap/scap.h"
#include "scap/event_builder.h"

static void header_layout(void **state)
{
	(void)state;
	assert_int_equal(sizeof(struct scap_evt_hdr), 24);
	assert_int_equal(SCAP_EVT_HDR_LEN, 24);
	assert_int_equal(offsetof(struct scap_evt_hdr, ts), 0);
	assert_int_equal(offsetof(struct scap_evt_hdr, tid), 8);
	assert_int_equal(offsetof(struct scap_evt_hdr, pid), 12);
	assert_int_equal(offsetof(struct scap_evt_hdr, len), 16);
	assert_int_equal(offsetof(struct scap_evt_hdr, type), 20);
	assert_int_equal(offsetof(struct scap_evt_hdr, nparams), 22);
	assert_int_equal(offsetof(struct scap_evt_hdr, flags), 23);
	assert_int_equal(SCAP_PARAM_LEN_SIZE, 2);
	assert_int_equal(SCAP_EVENT_LAYOUT_VERSION, 2);
	assert_int_equal(SCAP_PARAM_PARTIAL, 0x8000);
	assert_int_equal(SCAP_PARAM_LEN_MASK, 0x7fff);
	assert_true(SCAP_MAX_PARAMS <= 255);
	assert_true(SCAP_MAX_EVENT_LEN >= SCAP_EVT_HDR_LEN + SCAP_MAX_PARAMS * 2 + SCAP_MAX_SNAPLEN);
}

/* A built close exit, byte by byte: the documented layout. */
static void close_exit_bytes(void **state)
{
	struct scap_bval v[2] = { { .u = 0 }, { .u = 7 } };
	struct scap_bhdr h = { .ts = 0x0102030405060708ull, .tid = 42, .pid = 41, .flags = 0 };
	uint8_t b[64], expect[24 + 4 + 16];
	int n = scap_event_build(b, sizeof(b), SCAP_EV_CLOSE_X, &h, v, 2);
	uint16_t type = SCAP_EV_CLOSE_X;
	uint32_t len = 44;
	int64_t fd = 7, res = 0;

	(void)state;
	assert_int_equal(n, 44);
	memset(expect, 0, sizeof(expect));
	memcpy(expect, &h.ts, 8);
	memcpy(expect + 8, &h.tid, 4);
	memcpy(expect + 12, &h.pid, 4);
	memcpy(expect + 16, &len, 4);
	memcpy(expect + 20, &type, 2);
	expect[22] = 2;
	expect[23] = 0;
	expect[24] = 8; /* len[0] = 8, little endian */
	expect[26] = 8;
	memcpy(expect + 28, &res, 8);
	memcpy(expect + 36, &fd, 8);
	assert_memory_equal(b, expect, 44);
	assert_int_equal(scap_event_validate(b, 44, NULL, 0), 0);
}

static void builder_limits(void **state)
{
	struct scap_bval v[2] = { { .u = 0 }, { .u = 7 } };
	uint8_t b[64];

	(void)state;
	assert_int_equal(scap_event_build(b, 43, SCAP_EV_CLOSE_X, NULL, v, 2), -ENOSPC);
	assert_int_equal(scap_event_build(b, sizeof(b), SCAP_EV_CLOSE_X, NULL, v, 1), -EINVAL);
	assert_int_equal(scap_event_build(b, sizeof(b), SCAP_EV_MAX, NULL, v, 2), -EINVAL);
}

static void sockaddr_encoding(void **state)
{
	const uint8_t lo[4] = { 127, 0, 0, 1 };
	uint8_t out[32];

	(void)state;
	assert_int_equal(scap_sa_inet(out, lo, 8080), 7);
	assert_int_equal(out[0], SCAP_SA_INET);
	assert_memory_equal(out + 1, lo, 4);
	assert_int_equal(out[5] | out[6] << 8, 8080); /* port in host (little endian) order */
	assert_int_equal(scap_sa_unix(out, "/run/x", 6), 8);
	assert_int_equal(out[7], 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(header_layout),
		cmocka_unit_test(close_exit_bytes),
		cmocka_unit_test(builder_limits),
		cmocka_unit_test(sockaddr_encoding),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
