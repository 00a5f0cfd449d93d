// SPDX-License-Identifier: Apache-2.0
/* The schema table: every row well formed, as events.def promises. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "scap/scap.h"
#include "scap/flagsets.h"

static bool is_fixed_int(unsigned t)
{
	return t != SCAP_PT_NONE && t < SCAP_PT_PATH;
}

static void every_row_well_formed(void **state)
{
	unsigned c, i, k;

	(void)state;
	for (c = 0; c < SCAP_EV_MAX; c++) {
		const struct scap_event_info *e = scap_event_info(c);

		assert_non_null(e);
		assert_non_null(e->name);
		assert_true(e->nparams <= SCAP_MAX_PARAMS);
		assert_true(e->dir == SCAP_DIR_ENTER || e->dir == SCAP_DIR_EXIT);
		assert_true(e->category < SCAP_CAT_MAX);
		if (e->dir == SCAP_DIR_EXIT) {
			assert_true(e->nparams >= 1);
			assert_string_equal(e->params[0].name, "res");
			assert_int_equal(e->params[0].type, SCAP_PT_RES);
			assert_int_equal(e->params[0].src, SCAP_SRC_RET);
		}
		if (e->syscall_nr >= 0)
			assert_string_equal(scap_syscall_name(e->syscall_nr), e->name);
		else if (e->flags & SCAP_EF_NOT_SYSCALL)
			/* a kernel event: its name selects it and must not shadow a syscall */
			assert_int_equal(scap_syscall_nr(e->name), -1);
		else
			assert_true(e->flags & SCAP_EF_GENERIC);
		for (i = 0; i < e->nparams; i++) {
			unsigned t = e->params[i].type, aux = e->params[i].aux, src = e->params[i].src;

			assert_true(t > SCAP_PT_NONE && t < SCAP_PT_MAX);
			assert_true(src <= SCAP_SRC_DERIVED(SCAP_DRV_MAX - 1));
			if (t == SCAP_PT_FLAGS32 || t == SCAP_PT_FLAGS64 || t == SCAP_PT_ENUM32)
				assert_non_null(scap__flagset(aux));
			else if (src == SCAP_SRC_DERIVED(SCAP_DRV_CONN_PEER))
				assert_int_equal(aux, 0); /* read from the socket: no length argument */
			else if (t == SCAP_PT_BYTEBUF || t == SCAP_PT_SOCKADDR)
				assert_true(aux == SCAP_SRC_RET || SCAP_SRC_IS_ARG(aux));
			else if (src == SCAP_SRC_DERIVED(SCAP_DRV_FD_PAIR) ||
				 src == SCAP_SRC_DERIVED(SCAP_DRV_FD_PAIR_1))
				assert_true(SCAP_SRC_IS_ARG(aux)); /* the int[2] argument */
			else
				assert_int_equal(aux, 0);
			if (is_fixed_int(t) && SCAP_SRC_IS_ARG(src))
				assert_true(SCAP_SRC_ARGNO(src) < 6);
			for (k = 0; k < i; k++)
				assert_string_not_equal(e->params[k].name, e->params[i].name);
		}
	}
}

static void codes_and_names_unique(void **state)
{
	unsigned a, b;

	(void)state;
	for (a = 0; a < SCAP_EV_MAX; a++)
		for (b = a + 1; b < SCAP_EV_MAX; b++) {
			const struct scap_event_info *x = scap_event_info(a), *y = scap_event_info(b);

			/* One row per (syscall, direction). */
			assert_false(x->syscall_nr == y->syscall_nr && x->dir == y->dir);
		}
	assert_null(scap_event_info(SCAP_EV_MAX));
}

static void enter_rows_precede_exit_rows(void **state)
{
	unsigned c, i, k;

	(void)state;
	for (c = 0; c < SCAP_EV_MAX; c++) {
		const struct scap_event_info *e = scap_event_info(c), *x;

		if (e->dir != SCAP_DIR_ENTER)
			continue;
		if (e->flags & SCAP_EF_NO_EXIT) {
			/* A call that never returns: an enter row alone. */
			assert_false(e->flags & SCAP_EF_TOCTOU);
			assert_false(c + 1 < SCAP_EV_MAX && scap_event_info(c + 1)->syscall_nr == e->syscall_nr);
			continue;
		}
		assert_true(e->flags & SCAP_EF_TOCTOU);
		assert_true(c + 1 < SCAP_EV_MAX);
		x = scap_event_info(c + 1);
		assert_int_equal(x->dir, SCAP_DIR_EXIT);
		assert_int_equal(x->syscall_nr, e->syscall_nr);
		/* The exit may also carry what was opened or connected (SCAP_EF_FD_OBJ: exits only). */
		assert_false(e->flags & SCAP_EF_FD_OBJ);
		assert_int_equal(x->flags & ~SCAP_EF_FD_OBJ, e->flags);
		for (i = 0; i < e->nparams; i++) {
			bool found = false;

			for (k = 0; k < x->nparams; k++)
				if (strcmp(x->params[k].name, e->params[i].name) == 0) {
					found = true;
					assert_int_equal(x->params[k].type, e->params[i].type);
				}
			assert_true(found);
		}
	}
	/* And every TOCTOU exit has its enter right before it. */
	for (c = 0; c < SCAP_EV_MAX; c++) {
		const struct scap_event_info *x = scap_event_info(c);

		if (x->dir == SCAP_DIR_EXIT && (x->flags & SCAP_EF_TOCTOU)) {
			assert_true(c > 0);
			assert_int_equal(scap_event_info(c - 1)->dir, SCAP_DIR_ENTER);
			assert_int_equal(scap_event_info(c - 1)->syscall_nr, x->syscall_nr);
		}
	}
}

static void generic_row(void **state)
{
	const struct scap_event_info *g = scap_event_info(SCAP_EV_GENERIC_X);

	(void)state;
	assert_string_equal(g->name, "syscall");
	assert_int_equal(g->syscall_nr, -1);
	assert_int_equal(g->nparams, 3);
	assert_int_equal(g->params[1].type, SCAP_PT_SYSCALLID);
	assert_int_equal(g->params[2].type, SCAP_PT_ARGS);
}

static void syscall_names(void **state)
{
	(void)state;
	assert_int_equal(scap_syscall_nr("openat"), 257);
	assert_int_equal(scap_syscall_nr("read"), 0);
	assert_int_equal(scap_syscall_nr("execve"), 59);
	assert_int_equal(scap_syscall_nr("nope"), -1);
	assert_int_equal(scap_syscall_nr(NULL), -1);
	assert_string_equal(scap_syscall_name(257), "openat");
	assert_string_equal(scap_syscall_name(435), "clone3");
	assert_null(scap_syscall_name(400)); /* the x86_64 gap 335..423 */
	assert_null(scap_syscall_name(-1));
	assert_null(scap_syscall_name(512));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_row_well_formed),
		cmocka_unit_test(codes_and_names_unique),
		cmocka_unit_test(enter_rows_precede_exit_rows),
		cmocka_unit_test(generic_row),
		cmocka_unit_test(syscall_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
