# SPDX-License-Identifier: GPL-2.0
# Sourced by test_swapin.sh and vm/docs-examples.sh (guest only): swap on a
# memory-backed null_blk disk made through configfs (null_blk loaded: vm/run's
# VM_EXTRA_MODULES), and a cgroup2 memory cgroup kt_swap of 8 MiB whose
# processes must swap.  swap_why says why that cannot be done here (empty if
# it can), swap_on sets it up, swap_off undoes what swap_on did.
SW_NB=/sys/kernel/config/nullb SW_CG=/sys/fs/cgroup SW_DEV=/tmp/ktswap.dev
swap_why() {
	mountpoint -q /sys/kernel/config 2>/dev/null || mount -t configfs none /sys/kernel/config 2>/dev/null
	[ -e $SW_CG/cgroup.controllers ] || { mkdir -p $SW_CG; mount -t cgroup2 none $SW_CG 2>/dev/null; }
	if [ ! -d $SW_NB ]; then echo "no null_blk configfs (null_blk not loaded)"
	elif ! grep -qw memory $SW_CG/cgroup.controllers 2>/dev/null; then echo "no cgroup2 memory controller"
	fi
}
swap_on() {
	mkdir $SW_NB/ktswap && echo 1 >$SW_NB/ktswap/memory_backed && echo 64 >$SW_NB/ktswap/size &&
		echo 1 >$SW_NB/ktswap/power || return 1
	_dev=$(cat /sys/block/ktswap/dev) || return 1
	mknod $SW_DEV b "${_dev%:*}" "${_dev#*:}" && mkswap $SW_DEV >/dev/null && swapon $SW_DEV &&
		echo +memory >$SW_CG/cgroup.subtree_control && mkdir $SW_CG/kt_swap &&
		echo 8M >$SW_CG/kt_swap/memory.max
}
swap_off() {
	rmdir $SW_CG/kt_swap 2>/dev/null
	swapoff $SW_DEV 2>/dev/null
	rm -f $SW_DEV
	if [ -d $SW_NB/ktswap ]; then echo 0 >$SW_NB/ktswap/power; rmdir $SW_NB/ktswap; fi
}
