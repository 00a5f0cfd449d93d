// SPDX-License-Identifier: Apache-2.0
/*
 * libbpf has one print hook for the whole process (libbpf_set_print), and it
 * belongs to the program that embeds scap. scap does not swap it around its
 * calls (another thread's messages would land in scap's handler meanwhile,
 * and a hook the program set in between would be undone by the "restore"):
 * the first time scap needs libbpf's messages it installs this router, once,
 * chained to the hook in place then, and never touches the hook again. A
 * message libbpf prints on a thread while scap has a sink set there (an
 * engine loading, a feature probe) goes to that sink; every other message
 * goes on to the previous hook, or is dropped if there was none (libbpf's
 * default hook is what the router replaced, so it is the previous one).
 * A program that sets its own hook afterwards gets scap's messages too.
 */
#include <pthread.h>

#include "platform.h"

static libbpf_print_fn_t router_prev;
static pthread_once_t router_once = PTHREAD_ONCE_INIT;
static __thread libbpf_print_fn_t router_sink;

static int router(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	libbpf_print_fn_t sink = router_sink;

	if (sink)
		return sink(level, fmt, ap);
	return router_prev ? router_prev(level, fmt, ap) : 0;
}

static void router_install(void)
{
	router_prev = libbpf_set_print(router);
}

libbpf_print_fn_t scap_platform_libbpf_sink(libbpf_print_fn_t sink)
{
	libbpf_print_fn_t old = router_sink;

	pthread_once(&router_once, router_install);
	router_sink = sink;
	return old;
}

libbpf_print_fn_t scap_platform_libbpf_current_sink(void)
{
	return router_sink;
}
