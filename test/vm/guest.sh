#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Runs inside the VM (see run.sh): the kmod checks, the live suite per engine,
# the "auto" choice, and load/unload cycles with capture active. Prints one
# line per check and the result line SCAP-VM-RESULT; init.sh turns the result
# into qemu's exit code.
PASS=0 FAIL=0 SKIP=0
FAILED=""

result() { # name rc
	case $2 in
	0) PASS=$((PASS + 1)); echo "--- PASS $1" ;;
	77) SKIP=$((SKIP + 1)); echo "--- SKIP $1" ;;
	*) FAIL=$((FAIL + 1)); FAILED="$FAILED $1"; echo "--- FAIL $1 (exit $2)" ;;
	esac
}

check() { # name command...
	name=$1; shift
	echo "=== $name: $*"
	"$@"
	result "$name" $?
}

check_fails() { # name command... (must fail)
	name=$1; shift
	echo "=== $name: $* (must fail)"
	if "$@"; then result "$name" 1; else result "$name" 0; fi
}

skip() { # name reason
	echo "=== $1"; echo "SKIP: $2"; result "$1" 77
}

dmesg_clean() {
	if dmesg | grep -E "BUG:|WARNING:|Oops|general protection|refcount_t|list_del corruption|sleeping function"; then
		echo "the kernel log shows the problems above"
		return 1
	fi
	return 0
}

# Why a binary of the library's checks is missing: this architecture has no
# library build (run.sh says why in SCAP_VM_NO_LIBSCAP: riscv64), or its
# build failed.
not_built() { # binary
	if [ -n "${SCAP_VM_NO_LIBSCAP:-}" ]; then echo "$SCAP_VM_NO_LIBSCAP"; else echo "$1 was not built (see run.sh output)"; fi
}

dev_absent() { [ ! -e /dev/scap ]; }
dev_mode_0600() { [ "$(stat -c %a /dev/scap)" = 600 ]; }

PHASE=${scapvm_phase:-all}
echo "guest: $(uname -r), $(nproc) CPUs, phase $PHASE"
in_phase() { [ "$PHASE" = all ] || [ "$PHASE" = "$1" ]; }

# The kernel's TCP reset for a closed loopback port, captured and its
# checksum recomputed (kmod_check rst). Debian's s390x 6.12 under qemu 7.2
# TCG sends it with a wrong checksum, the receiver drops it (Tcp
# InCsumErrors) and a connect to 127.0.0.1:1 times out instead of being
# refused (docs/engines.md, "s390x: results"). Only then do the checks
# expect ETIMEDOUT for that connect, exactly, and one SYN retry keeps the
# wait at 3 s instead of 127.
if [ -x /bin/kmod_check ] && in_phase main; then
	echo "=== tcp_reset_probe: /bin/kmod_check rst"
	/bin/kmod_check rst
	case $? in
	0 | 77) ;;
	3)
		echo "guest: this kernel's TCP resets fail their own checksum check: a refused connect times out here"
		grep -E '^Tcp:' /proc/net/snmp
		echo 1 > /proc/sys/net/ipv4/tcp_syn_retries
		SCAP_TEST_REFUSED_CONNECT=ETIMEDOUT
		export SCAP_TEST_REFUSED_CONNECT
		;;
	*) result tcp_reset_probe 1 ;;
	esac
fi

# The engines in the static build (run.sh: the bpf engine is not built for
# every architecture); one that is not is skipped with its reason.
built() { # engine
	case $1 in
	bpf) [ "${SCAP_VM_HAVE_BPF:-1}" = 1 ] ;;
	modern_bpf) [ "${SCAP_VM_HAVE_MODERN_BPF:-0}" != 0 ] ;;
	*) true ;;
	esac
}
check_engine() { # name engine command...
	if built "$2"; then
		n=$1; shift 2; check "$n" "$@"
	else
		skip "$1" "the $2 engine is not in this architecture's static build ($(uname -m))"
	fi
}

# modern_bpf is built but this kernel must refuse it with its reason: below
# its minimum (too-old), or built without BTF (no-btf: Debian 12's ppc64el 6.1).
modern_refused() { case ${SCAP_VM_HAVE_MODERN_BPF:-0} in too-old | no-btf) true ;; *) false ;; esac; }

# A kernel below the kmod engine's minimum (run.sh read it from the table in
# platform/engine_check.c) boots without a module: only the eBPF engines are
# checked there, modern_bpf too when the kernel is new enough for it, else
# it must be refused with its reason; "auto" must then pick bpf.
if [ -n "${SCAP_VM_NO_KMOD:-}" ] && in_phase main; then
	skip kmod_checks "$SCAP_VM_NO_KMOD"
	engines=bpf
	[ "${SCAP_VM_HAVE_MODERN_BPF:-0}" = 1 ] && engines="modern_bpf bpf"
	for engine in $engines; do
		check_engine "live_$engine" $engine /bin/scap_live "$engine"
		check_engine "conformance_$engine" $engine /bin/scap_conformance "$engine"
	done
	if modern_refused; then
		check modern_bpf_refused env SCAP_VM_LOG=1 /bin/auto_check --open-fails modern_bpf "modern_bpf needs"
		check auto_picks_bpf env SCAP_VM_LOG=1 /bin/auto_check bpf
	elif [ "${SCAP_VM_HAVE_MODERN_BPF:-0}" = 1 ]; then
		check auto_picks_modern_bpf env SCAP_VM_LOG=1 /bin/auto_check modern_bpf
	else
		check auto_picks_bpf env SCAP_VM_LOG=1 /bin/auto_check bpf
	fi
	# Everything else of this phase needs the module.
	PHASE=ebpf-only
fi

if in_phase main; then

	# A bad buffer size is refused and leaves no device behind.
	check_fails insmod_bad_size insmod /scap.ko buffer_bytes=12345
	check no_device_after_bad_load dev_absent

	check insmod insmod /scap.ko
	check device_mode_0600 dev_mode_0600
	check kmod_events /bin/kmod_check events
	check kmod_busy /bin/kmod_check busy
	check kmod_hostile /bin/kmod_check hostile
	check kmod_clone /bin/kmod_check clone

	# The shared live suite against each engine compiled into the static build.
	for engine in kmod modern_bpf bpf; do
		if [ -x /bin/scap_live ]; then
			check_engine "live_$engine" $engine /bin/scap_live "$engine"
		else
			skip "live_$engine" "$(not_built scap_live)"
		fi
	done

	# The conformance workload (issue 8) per engine, and one run captured by
	# kmod and each eBPF engine at once, compared event by event (not the bpf
	# engine without BTF: its task values are empty, conformance_bpf checks that).
	for engine in kmod modern_bpf bpf; do
		if [ -x /bin/scap_conformance ]; then
			check_engine "conformance_$engine" $engine /bin/scap_conformance "$engine"
		else
			skip "conformance_$engine" "$(not_built scap_conformance)"
		fi
	done
	for engine in modern_bpf bpf; do
		[ -x /bin/scap_conformance ] &&
			check_engine "conformance_cross_kmod_$engine" $engine /bin/scap_conformance --cross kmod "$engine"
	done

	# The bpf ports to arm64, ppc64le and s390x (docs/engines.md, "aarch64: how
	# it is built"): where the guest has BTF, the BTF-free programs (the clone
	# child's tracepoint program among them) run only when forced, and the
	# tracepoint mode everywhere only when forced, as the x86_64 host's ctests
	# live_bpf_nobtf and live_bpf_tracepoint do.
	case "$(uname -m)" in aarch64 | ppc64le | s390x) bpf_port=1 ;; *) bpf_port=0 ;; esac
	if [ "$bpf_port" = 1 ] && [ -x /bin/scap_live ]; then
		check_engine live_bpf_nobtf bpf env SCAP_PROBE_OVERRIDE=btf=0 /bin/scap_live bpf
		check_engine live_bpf_tracepoint bpf env SCAP_PROBE_OVERRIDE=raw_tracepoint=0 /bin/scap_live bpf
		# Every program of both objects under this kernel's verifier (instructions and
		# processed counts, printed; docs/engines.md quotes them).
		[ -x /bin/scap_bpf_limits ] && check_engine bpf_limits bpf /bin/scap_bpf_limits
		[ -x /bin/scap_conformance ] &&
			check_engine conformance_bpf_tracepoint bpf env SCAP_PROBE_OVERRIDE=raw_tracepoint=0 \
				/bin/scap_conformance bpf
		# Without BTF the conformance_bpf above already checks the BTF-free values.
		[ -x /bin/scap_conformance ] && [ -e /sys/kernel/btf/vmlinux ] &&
			check_engine conformance_bpf_nobtf bpf env SCAP_PROBE_OVERRIDE=btf=0 /bin/scap_conformance bpf
	fi

	# The differential test against strace (issue 16) with the module's engine:
	# busybox's programs (its applets, linked in /diffbin) under Debian's strace.
	if [ -x /bin/scap_strace_diff ] && [ -x /usr/bin/strace ]; then
		mkdir -p /diffbin && /bin/busybox --install -s /diffbin
		/bin/busybox ip link set lo up
		check diff_strace_kmod env PATH=/diffbin:/usr/bin:/bin /bin/scap_strace_diff kmod \
			--strace /usr/bin/strace --workload /diff/workload.sh
	else
		skip diff_strace_kmod "scap_strace_diff or strace is not in the initramfs (see run.sh output)"
	fi

	if [ -x /bin/auto_check ]; then
		if modern_refused; then
			check modern_bpf_refused env SCAP_VM_LOG=1 /bin/auto_check --open-fails modern_bpf "modern_bpf needs"
		fi
		if [ "${SCAP_VM_HAVE_MODERN_BPF:-0}" = 0 ] && [ "${SCAP_VM_AUTO_WANT:-modern_bpf}" = modern_bpf ]; then
			skip auto_picks_modern_bpf "the modern_bpf engine is not in the static build"
		else
			want=${SCAP_VM_AUTO_WANT:-modern_bpf}
			check "auto_picks_$want" env SCAP_VM_LOG=1 /bin/auto_check "$want"
		fi
		check auto_kmod_without_ebpf env \
			SCAP_PROBE_OVERRIDE=btf=0,ringbuf=0,tp_btf=0,raw_tracepoint=0,perf_event_array=0 \
			/bin/auto_check kmod
	else
		skip auto_picks_modern_bpf "$(not_built auto_check)"
		skip auto_kmod_without_ebpf "$(not_built auto_check)"
	fi

	check rmmod rmmod scap
	check no_device_after_rmmod dev_absent

	# A module of another API version or schema is refused with a clear message.
	for variant in badver badschema; do
		check "insmod_$variant" insmod "/scap-$variant.ko"
		if [ -x /bin/auto_check ]; then
			check "kmod_refuses_$variant" /bin/auto_check --open-fails kmod 999
		else
			skip "kmod_refuses_$variant" "$(not_built auto_check)"
			# Without the library: what its refusal reads, as the module says it.
			check "kmod_announces_$variant" /bin/kmod_check announces "$variant"
		fi
		check "rmmod_$variant" rmmod scap
	done

	# Small rings: a ring nobody reads counts every event it cannot keep.
	check insmod_small insmod /scap.ko buffer_bytes=131072
	check kmod_drops /bin/kmod_check drops
	check rmmod_small rmmod scap

fi

if in_phase teardown; then
	# The module's live settings (SET_SYSCALLS switching at one instant) while a
	# workload runs, and stats / close from other threads. They open and close
	# sessions many times while other threads run syscalls: every open and close
	# re-patches the sys_enter/sys_exit jump labels, which multi-threaded TCG
	# livelocks on (run.sh, "teardown"; seen in threads_kmod on 4.15, 5.4 and
	# 5.10 in CI), so they run here, under single-threaded TCG. The eBPF
	# engines run these on the host (ctest live_reconfig_*, live_threads_*).
	check settings_insmod insmod /scap.ko
	for t in reconfig threads; do
		if [ -x "/bin/scap_${t}_live" ]; then
			check "${t}_kmod" env SCAP_RECONFIG_PHASES=6 "/bin/scap_${t}_live" kmod
		else
			skip "${t}_kmod" "$(not_built "scap_${t}_live")"
		fi
	done
	check settings_rmmod rmmod scap
	# The arm64, ppc64le and s390x bpf ports (issue 20): their live settings and
	# threads, here for the same reason (every attach and detach patches the
	# tracepoints' jump labels).
	case "$(uname -m)" in aarch64 | ppc64le | s390x) bpf_port=1 ;; *) bpf_port=0 ;; esac
	if [ "$bpf_port" = 1 ]; then
		for t in reconfig threads; do
			[ -x "/bin/scap_${t}_live" ] &&
				check_engine "${t}_bpf" bpf env SCAP_RECONFIG_PHASES=6 "/bin/scap_${t}_live" bpf
		done
	fi

	# Load/unload cycles with capture active on every CPU.
	for i in 1 2 3; do
		check "cycle${i}_insmod" insmod /scap.ko
		check "cycle${i}_churn" /bin/kmod_check churn 3
		# A file per cycle: the shell's wait below can run before the
		# background job's redirect truncated the file, and would then read
		# the previous holder's "holding".
		/bin/kmod_check hold > /tmp/hold$i.out 2>&1 &
		holder=$!
		n=0
		while ! grep -q holding /tmp/hold$i.out 2>/dev/null && [ $n -lt 100 ]; do
			sleep 0.1; n=$((n + 1))
		done
		grep -q holding /tmp/hold$i.out || { cat /tmp/hold$i.out; ps; }
		check "cycle${i}_holder_running" grep -q holding /tmp/hold$i.out
		check_fails "cycle${i}_rmmod_refused_while_open" rmmod scap
		kill -9 $holder
		wait $holder 2>/dev/null
		check "cycle${i}_rmmod" rmmod scap
		check "cycle${i}_device_gone" dev_absent
	done

fi

check kernel_log_clean dmesg_clean

# Figures, not checks: bench_live's ratios on this kernel (TCG distorts them).
if [ "${SCAP_VM_BENCH:-0}" = 1 ] && [ -x /bin/bench_live ] && in_phase main; then
	echo "BENCH-BEGIN"
	insmod /scap.ko
	# shellcheck disable=SC2086 # options, split on purpose
	/bin/bench_live --runs 3 --window 500 ${SCAP_VM_BENCH_ARGS:-} kmod modern_bpf bpf
	rmmod scap
	echo "BENCH-END"
fi

echo "SCAP-VM-SUMMARY: $PASS passed, $FAIL failed, $SKIP skipped"
if [ $FAIL -eq 0 ]; then
	echo "SCAP-VM-RESULT: PASS"
	exit 0
fi
echo "SCAP-VM-RESULT: FAIL:$FAILED"
exit 1
