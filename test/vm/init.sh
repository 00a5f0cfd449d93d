#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# /init of the VM test's initramfs: mounts what the checks need, runs
# guest.sh, and reports through isa-debug-exit (qemu exits with
# (byte << 1) | 1: 1 = pass, 3 = fail). A reboot or panic exits 0 = fail.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
mkdir -p /dev/shm && mount -t tmpfs tmpfs /dev/shm
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
ip link set lo up
[ -f /vm.env ] && . /vm.env
echo 1 > /proc/sys/kernel/panic_on_oops
# Quiet boot, but full kernel messages (backtraces) from here on.
echo 7 > /proc/sys/kernel/printk
sh /guest.sh
rc=$?
sync
if [ $rc -eq 0 ]; then
	printf '\000' | dd of=/dev/port bs=1 seek=244 count=1 2>/dev/null
else
	printf '\001' | dd of=/dev/port bs=1 seek=244 count=1 2>/dev/null
fi
poweroff -f
