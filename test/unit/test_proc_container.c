// SPDX-License-Identifier: Apache-2.0
/*
 * Container ids from cgroup paths as runtimes make them (cgroup v1 and v2,
 * cgroupfs and systemd drivers), the engines' cgroup rule applied to
 * /proc/<pid>/cgroup texts of real hosts, and the /proc parsers.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "scap/scap.h"
#include "platform/procfs.h"

#define ID64 "3f0b4c1ee9e95df1c1a5fbcd0c6fb4a0f5c0b77b29f5e4e3ab44e4fa3a5b6c7d"
#define ID64B "9ec39b91f3d70e1beff50a308f77067065ea6be0d91a3378375056cd4422cf3d"
#define ID12 "4f797c539e6c"

struct cid_case {
	const char *path;
	const char *want;
};

static const struct cid_case cid_cases[] = {
	/* docker, cgroupfs driver (v1 "4:memory:/docker/<id>", v2 "0::/docker/<id>") */
	{ "/docker/" ID64, ID64 },
	/* docker, systemd driver (CentOS, Fedora; v1 and v2 alike) */
	{ "/system.slice/docker-" ID64B ".scope", ID64B },
	/* systemd running inside a docker container: its own sub-cgroups */
	{ "/system.slice/docker-" ID64B ".scope/init.scope", ID64B },
	{ "/docker/" ID64 "/system.slice/nginx.service", ID64 },
	/* docker in docker: the innermost container */
	{ "/docker/" ID64 "/docker/" ID64B, ID64B },
	/* docker's --cgroup-parent (GitHub Actions runners) */
	{ "/actions_job/" ID64, ID64 },
	/* short ids under a runtime's directory */
	{ "/docker/" ID12, ID12 },
	{ "/system.slice/docker-" ID12 ".scope", ID12 },
	/* Kubernetes, cgroupfs driver (v1), docker or containerd underneath */
	{ "/kubepods/besteffort/pod0f6e8b7c-45a4-4c32-9d13-8e6a3b6d2f10/" ID64, ID64 },
	{ "/kubepods/pod5d1c5fbb-3b0c-4f3e-8f7a-8ac2e6b8c1d2/" ID64B, ID64B },
	/* Kubernetes, systemd driver, containerd (CRI) */
	{ "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod0f6e8b7c_45a4_4c32_9d13_8e6a3b6d2f10.slice/"
	  "cri-containerd-" ID64 ".scope", ID64 },
	/* Kubernetes, systemd driver, CRI-O */
	{ "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod5d1c5fbb_3b0c_4f3e_8f7a_8ac2e6b8c1d2.slice/"
	  "crio-" ID64B ".scope", ID64B },
	/* CRI-O, cgroupfs driver */
	{ "/kubepods/burstable/pod5d1c5fbb-3b0c-4f3e-8f7a-8ac2e6b8c1d2/crio-" ID64, ID64 },
	/* podman, root and rootless (v2), and its cgroupfs layout */
	{ "/machine.slice/libpod-" ID64 ".scope", ID64 },
	{ "/machine.slice/libpod-" ID64 ".scope/container", ID64 },
	{ "/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" ID64B ".scope", ID64B },
	{ "/libpod_parent/libpod-" ID64, ID64 },
	/* nerdctl (containerd without Kubernetes) */
	{ "/system.slice/nerdctl-" ID64 ".scope", ID64 },
	/* the host: systemd units, sessions, runtimes' own services and monitors */
	{ "/", "host" },
	{ "", "host" },
	{ "/user.slice/user-1000.slice/session-2.scope", "host" },
	{ "/system.slice/containerd.service", "host" },
	{ "/system.slice/docker.service", "host" },
	{ "/machine.slice/libpod-conmon-" ID64 ".scope", "host" },
	{ "/system.slice/crio-conmon-" ID64 ".scope", "host" },
	{ "/kubepods/besteffort/pod0f6e8b7c-45a4-4c32-9d13-8e6a3b6d2f10", "host" },
	{ "/kubepods.slice", "host" },
	/* this project's CI host: a 32-digit id of its own, not a runtime's */
	{ "/process_api/0f45facf0639c8544065f9f0d0c5076e", "host" },
	/* near misses: 63 or 65 digits, upper case, a short id out of place */
	{ "/docker/" "3f0b4c1ee9e95df1c1a5fbcd0c6fb4a0f5c0b77b29f5e4e3ab44e4fa3a5b6c7", "host" },
	{ "/docker/" ID64 "0", "host" },
	{ "/docker/3F0B4C1EE9E95DF1C1A5FBCD0C6FB4A0F5C0B77B29F5E4E3AB44E4FA3A5B6C7D", "host" },
	{ "/user.slice/" ID12, "host" },
	{ "/system.slice/docker-" ID64B ".service", "host" },
	{ "docker/" ID64, ID64 },
	{ "/docker/" ID64 "/", ID64 },
};

static void container_ids(void **state)
{
	char out[SCAP_PROC_CONTAINER_ID_LEN];

	for (size_t i = 0; i < sizeof(cid_cases) / sizeof(cid_cases[0]); i++) {
		int n = scap_container_id(cid_cases[i].path, out, sizeof(out));

		if (n != (int)strlen(cid_cases[i].want) || strcmp(out, cid_cases[i].want) != 0)
			fail_msg("%s: got \"%s\" (%d), want \"%s\"", cid_cases[i].path, out, n, cid_cases[i].want);
	}
	assert_int_equal(scap_container_id(NULL, out, sizeof(out)), -EINVAL);
	assert_int_equal(scap_container_id("/", out, 64), -EINVAL);
}

struct pick_case {
	const char *name;
	const char *text;
	const char *want;
};

static const struct pick_case pick_cases[] = {
	/* This project's hosts: v1 hierarchies plus cgroup2 at /sys/fs/cgroup/unified, the
	 * task in v2's root: the memory controller's path, as scap_fill_cgroup reads it. */
	{ "hybrid, v2 at its root",
	  "9:name=systemd:/\n8:pids:/\n7:blkio:/\n6:freezer:/\n5:devices:/\n"
	  "4:memory:/process_api/0f45facf0639c8544065f9f0d0c5076e\n3:cpuset:/\n2:cpuacct:/\n1:cpu:/\n0::/\n",
	  "/process_api/0f45facf0639c8544065f9f0d0c5076e" },
	/* Ubuntu 20.04 (systemd hybrid): the task is in a v2 cgroup too: v2 wins. */
	{ "hybrid, v2 not at its root",
	  "12:memory:/system.slice/docker-" ID64B ".scope\n11:pids:/system.slice/docker-" ID64B ".scope\n"
	  "1:name=systemd:/system.slice/docker-" ID64B ".scope\n0::/system.slice/docker-" ID64B ".scope\n",
	  "/system.slice/docker-" ID64B ".scope" },
	{ "v2 only (Debian 12, Fedora)", "0::/user.slice/user-1000.slice/session-2.scope\n",
	  "/user.slice/user-1000.slice/session-2.scope" },
	{ "v2 only, root", "0::/\n", "/" },
	/* CentOS 7 (v1 only: no 0:: line) */
	{ "v1 only",
	  "11:cpuset:/docker/" ID64 "\n10:memory:/docker/" ID64 "\n9:devices:/docker/" ID64 "\n"
	  "2:cpuacct,cpu:/docker/" ID64 "\n1:name=systemd:/docker/" ID64 "\n",
	  "/docker/" ID64 },
	{ "v1 only, memory in a list of controllers", "3:cpu,memory,cpuacct:/lxc/web\n1:name=systemd:/\n", "/lxc/web" },
	{ "v1 without memory, v2 root", "3:cpu:/a\n0::/\n", "/" },
	{ "v1 without memory, no v2", "3:cpu:/a\n", "/" },
	{ "no newline at the end", "4:memory:/m\n0::/x", "/x" },
	{ "a controller named like memory is not it", "4:memory_x:/m\n0::/\n", "/" },
	/* A kernel that never mounted cgroup2 shows no 0:: line; with no v1 either, nothing. */
	{ "empty", "", "/" },
};

static void cgroup_rule(void **state)
{
	char out[512];

	for (size_t i = 0; i < sizeof(pick_cases) / sizeof(pick_cases[0]); i++) {
		const struct pick_case *c = &pick_cases[i];
		int n = scap_procfs_cgroup_pick(c->text, strlen(c->text), out, sizeof(out));

		if (n != (int)strlen(c->want) || strcmp(out, c->want) != 0)
			fail_msg("%s: got \"%s\" (%d), want \"%s\"", c->name, n >= 0 ? out : "", n, c->want);
	}
	/* Cut to the room given, the full length returned. */
	assert_int_equal(scap_procfs_cgroup_pick("0::/abcdef\n", 11, out, 4), 7);
	assert_string_equal(out, "/ab");
}

static void parse_stat(void **state)
{
	/* A comm with spaces and parentheses: only the last ')' ends it. */
	static const char text[] = "4242 (a) b (c)) S 17 4242 4242 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 3 0 123456 "
				   "1000 200 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";
	struct scap_procfs_thread t = { 0 };

	assert_int_equal(scap_procfs_parse_stat(text, sizeof(text) - 1, &t), 0);
	assert_string_equal(t.comm, "a) b (c)");
	assert_int_equal(t.state, 'S');
	assert_int_equal(t.ppid, 17);
	assert_int_equal(t.start_ticks, 123456);
	assert_true(t.have & SCAP_PROCFS_STAT);
	/* Cut where the fields stop. */
	assert_int_equal(scap_procfs_parse_stat("1 (x) S 1 1 1", 13, &t), -EINVAL);
	assert_int_equal(scap_procfs_parse_stat("garbage", 7, &t), -EINVAL);
}

static void parse_status(void **state)
{
	static const char text[] = "Name:\tsleep\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t9001\nNgid:\t0\n"
				   "Pid:\t9003\nPPid:\t8000\nTracerPid:\t0\nUid:\t1000\t0\t1000\t1000\n"
				   "Gid:\t100\t101\t100\t100\nFDSize:\t64\nGroups:\t100\n"
				   "NStgid:\t9001\t7\t1\nNSpid:\t9003\t9\t3\nNSpgid:\t9001\t7\t1\n";
	struct scap_procfs_thread t = { 0 };

	assert_int_equal(scap_procfs_parse_status(text, sizeof(text) - 1, &t), 0);
	assert_int_equal(t.pid, 9001);
	assert_int_equal(t.uid, 1000);
	assert_int_equal(t.euid, 0);
	assert_int_equal(t.gid, 100);
	assert_int_equal(t.egid, 101);
	/* The innermost namespace's ids are the last ones. */
	assert_int_equal(t.vpid, 1);
	assert_int_equal(t.vtid, 3);
	assert_true(t.have & SCAP_PROCFS_NS);
	/* Linux < 4.1 has no NSpid: the rest is still read. */
	memset(&t, 0, sizeof(t));
	{
		static const char old[] = "Tgid:\t5\nUid:\t1\t2\t3\t4\nGid:\t5\t6\t7\t8\n";

		assert_int_equal(scap_procfs_parse_status(old, sizeof(old) - 1, &t), 0);
	}
	assert_int_equal(t.euid, 2);
	assert_int_equal(t.egid, 6);
	assert_false(t.have & SCAP_PROCFS_NS);
	assert_int_equal(scap_procfs_parse_status("Tgid:\t5\n", 8, &t), -EINVAL);
}

static void argv_limits(void **state)
{
	char buf[8192];
	bool cut;
	size_t n;

	/* As execve: whole arguments kept as they are. */
	memcpy(buf, "ls\0-l\0/tmp", 11);
	assert_int_equal(scap_procfs_argv_cut(buf, 11, false, &cut), 11);
	assert_false(cut);
	/* More than SCAP_MAX_ARGV_ITEMS strings: the first 32, marked. */
	n = 0;
	for (int i = 0; i < 40; i++)
		n += (size_t)sprintf(buf + n, "a%d", i) + 1;
	n = scap_procfs_argv_cut(buf, n, false, &cut);
	assert_true(cut);
	assert_int_equal(n, 10 * 3 + 22 * 4);
	assert_string_equal(buf + n - 4, "a31");
	/* Exactly 32 strings: not cut. */
	n = 0;
	for (int i = 0; i < 32; i++)
		n += (size_t)sprintf(buf + n, "b%d", i) + 1;
	assert_int_equal(scap_procfs_argv_cut(buf, n, false, &cut), n);
	assert_false(cut);
	/* More than SCAP_MAX_ARGV_LEN bytes: 4095, the last a NUL, marked (the
	 * array's own NUL makes the event value's 4096). */
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(scap_procfs_argv_cut(buf, 5000, false, &cut), SCAP_MAX_ARGV_LEN - 1);
	assert_true(cut);
	assert_int_equal(buf[SCAP_MAX_ARGV_LEN - 2], '\0');
	/* 4095 bytes ending in a NUL: whole; one more: cut. */
	memset(buf, 'z', sizeof(buf));
	buf[SCAP_MAX_ARGV_LEN - 2] = '\0';
	assert_int_equal(scap_procfs_argv_cut(buf, SCAP_MAX_ARGV_LEN - 1, false, &cut), SCAP_MAX_ARGV_LEN - 1);
	assert_false(cut);
	memset(buf, 'z', sizeof(buf));
	buf[SCAP_MAX_ARGV_LEN - 1] = '\0';
	assert_int_equal(scap_procfs_argv_cut(buf, SCAP_MAX_ARGV_LEN, false, &cut), SCAP_MAX_ARGV_LEN - 1);
	assert_true(cut);
	/* 4096 read and more behind them. */
	memset(buf, 'y', sizeof(buf));
	assert_int_equal(scap_procfs_argv_cut(buf, SCAP_MAX_ARGV_LEN, true, &cut), SCAP_MAX_ARGV_LEN - 1);
	assert_true(cut);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(container_ids), cmocka_unit_test(cgroup_rule), cmocka_unit_test(parse_stat),
		cmocka_unit_test(parse_status), cmocka_unit_test(argv_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
