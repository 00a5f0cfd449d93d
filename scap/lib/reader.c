// SPDX-License-Identifier: Apache-2.0
/*
 * The reading thread of a handle, and scap_close from another thread (the
 * contract is in include/scap/scap.h).
 *
 * A thread becomes the reader when it calls scap_next, and stays it while
 * scap_next gives it events, -EAGAIN or -EINTR: it is then expected back.
 * scap_close on another thread marks the handle closing, makes the eventfd
 * wake_fd readable (the engines' waits poll it, so a blocked reader returns
 * at once) and waits until the reader has taken -ECANCELED from scap_next
 * (at once if it was inside, at its next call otherwise), or until its
 * thread is gone. Only then is anything freed: a reader that was busy with
 * an event when close began never calls into freed memory.
 *
 * The reader's fast path is one load of `closing` and one pthread_self()
 * comparison per scap_next: no lock, no atomic read-modify-write.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "handle.h"

/* How often close looks whether a reader it waits for still exists. */
#define READER_CHECK_NS 20000000L

int scap__threads_init(struct scap *h)
{
	pthread_condattr_t ca;

	h->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (h->wake_fd < 0)
		return -errno;
	pthread_mutex_init(&h->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&h->cond, &ca);
	pthread_condattr_destroy(&ca);
	return 0;
}

void scap__threads_fini(struct scap *h)
{
	if (h->wake_fd >= 0) {
		pthread_cond_destroy(&h->cond);
		pthread_mutex_destroy(&h->lock);
		close(h->wake_fd);
		h->wake_fd = -1;
	}
}

/* A new thread reads: remember it (once per change of thread, not per event). */
static void reader_register(struct scap *h)
{
	pid_t tid = (pid_t)syscall(SYS_gettid);

	pthread_mutex_lock(&h->lock);
	h->reader = pthread_self();
	h->reader_tid = tid;
	pthread_mutex_unlock(&h->lock);
	if (h->ops->reader_changed)
		h->ops->reader_changed(h->state);
}

/* The reader takes -ECANCELED: its last access to h, made under the lock. */
static int reader_cancel(struct scap *h)
{
	pthread_mutex_lock(&h->lock);
	h->reader_acked = true;
	pthread_cond_broadcast(&h->cond);
	pthread_mutex_unlock(&h->lock);
	return -ECANCELED;
}

int scap__reader_enter(struct scap *h)
{
	/* scap__reader_leave acknowledges it. */
	if (scap__closing(h))
		return -ECANCELED;
	if (!h->reader_tid || !pthread_equal(h->reader, pthread_self()))
		reader_register(h);
	return 0;
}

int scap__reader_leave(struct scap *h, int r)
{
	if (r == 0 || r == -EAGAIN || r == -EINTR)
		return r;
	if (r == -ECANCELED)
		return reader_cancel(h);
	/* A final status (end of the events, an error): this thread is done reading. */
	pthread_mutex_lock(&h->lock);
	if (h->reader_tid && pthread_equal(h->reader, pthread_self())) {
		h->reader_tid = 0;
		pthread_cond_broadcast(&h->cond);
	}
	pthread_mutex_unlock(&h->lock);
	return r;
}

static bool thread_gone(pid_t tid)
{
	return syscall(SYS_tgkill, getpid(), tid, 0) < 0 && errno == ESRCH;
}

void scap__reader_stop(struct scap *h)
{
	uint64_t one = 1;

	pthread_mutex_lock(&h->lock);
	if (!h->reader_tid || pthread_equal(h->reader, pthread_self())) {
		pthread_mutex_unlock(&h->lock);
		return;
	}
	__atomic_store_n(&h->closing, 1, __ATOMIC_RELEASE);
	/* Level-triggered: every later wait of the reader returns at once too. */
	if (write(h->wake_fd, &one, sizeof(one)) < 0) {
		/* Only EAGAIN (counter full) is possible: it is readable already. */
	}
	while (h->reader_tid && !h->reader_acked) {
		struct timespec ts;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_nsec += READER_CHECK_NS;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&h->cond, &h->lock, &ts);
		/* A reader that ended without reading to the end will not come back. */
		if (!h->reader_acked && h->reader_tid && thread_gone(h->reader_tid))
			break;
	}
	pthread_mutex_unlock(&h->lock);
}
