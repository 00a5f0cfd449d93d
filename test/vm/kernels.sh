# SPDX-License-Identifier: Apache-2.0
# Sourced by run.sh: fetches a Debian or Ubuntu kernel (the boot image and the
# headers to build modules against) without installing anything. Each release
# gets its own apt state under $WORK/apt/<release>, so the host's apt lists
# and dpkg database are never touched; the packages are unpacked with
# dpkg-deb -x under $WORK/<kernel version>/root.

say() { printf '[vm] %s\n' "$*"; }
die() { printf '[vm] SET-UP FAILED: %s\n' "$*" >&2; exit 2; }
fail() { printf '[vm] FAIL: %s\n' "$*" >&2; exit 1; }

# debian_mirrors, apt_private and apt_private_update (a private apt state,
# and what happens when a mirror's security index cannot be fetched).
. "$ROOT/scripts/debian-apt.sh"
KEYRING=$DEBIAN_KEYRING

# The Debian architecture of the kernels fetched (amd64, or arm64 / ppc64el /
# s390x for the SCAP_VM_KERNELS=arm64-<release> / ppc64el-<release> /
# s390x-<release> sets); each gets its own apt state.
KARCH=${KARCH:-amd64}
# Debian's kernel flavour of an architecture (linux-image-<flavour>, the ABI's
# suffix): the architecture's name except on ppc64el.
kflavour() { if [ "$KARCH" = ppc64el ]; then echo powerpc64le; else echo "$KARCH"; fi; }
# The GNU triplet's prefix of Debian's cross compiler for KARCH.
kcross() {
	case $KARCH in
	arm64) echo aarch64-linux-gnu- ;;
	ppc64el) echo powerpc64le-linux-gnu- ;;
	riscv64) echo riscv64-linux-gnu- ;;
	s390x) echo s390x-linux-gnu- ;;
	*) echo "" ;;
	esac
}
# Backports too (APT_BPO=1): bookworm-security no longer carries s390x (its
# Release lists amd64 arm64 armhf i386 ppc64el), so Debian 12's 6.12 for
# s390x is the one in bookworm-backports (linux-image-6.12.*+deb12-s390x,
# no linux-image-6.12-s390x meta package), and the amd64 linux-kbuild of
# the same version is there too. Kept in its own apt state.
apt_bpo() { [ "${APT_BPO:-0}" = 1 ] || [ "$KARCH" = s390x ]; }
# The kernel release's state went without its security suite
# (apt_private_update): its kernel may then be a backport, and so is the
# amd64 linux-kbuild of the same version.
apt_nosec() { [ -e "$(apt_dir "$1")/without-security" ]; }
apt_dir() { # release
	local bpo=
	[ "$KARCH" = amd64 ] && apt_bpo && bpo=-bpo
	if [ "$KARCH" = amd64 ]; then echo "$WORK/apt/$1$bpo"; else echo "$WORK/apt/$1-$KARCH"; fi
}

# apt-get or apt-cache on the private state of one release.
apt_rel() { # release tool args...
	local dir
	dir=$(apt_dir "$1")
	shift
	apt_private "$dir" "$KARCH" "$@"
}

apt_setup() { # release
	local rel=$1 dir
	dir=$(apt_dir "$1")
	[ -r "$KEYRING" ] || die "$KEYRING is missing (apt-get install debian-archive-keyring)"
	mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial"
	case $rel in
	ubuntu-*)
		ubuntu_keyring
		printf 'deb [arch=amd64 signed-by=%s] %s %s main\n' \
			"$UBUNTU_KEYRING" "$UBUNTU_ARCHIVE" "${rel#ubuntu-}" \
			"$UBUNTU_KEYRING" "$UBUNTU_ARCHIVE" "${rel#ubuntu-}-updates" \
			"$UBUNTU_KEYRING" "$UBUNTU_ARCHIVE" "${rel#ubuntu-}-security" >"$dir/sources.list"
		;;
	*)
		local msg
		msg=$(apt_private_update "$dir" "$KARCH" "$rel" "$(apt_bpo && echo 1)" 2>&1) || die "$msg"
		[ -z "$msg" ] || say "$msg"
		return 0
		;;
	esac
	apt_rel "$rel" apt-get update >"$dir/update.log" 2>&1 ||
		die "apt-get update for '$rel' failed (network? see $dir/update.log)"
	grep -q -E "^E:|^W:.*(NO_PUBKEY|not signed)|Failed to fetch" "$dir/update.log" &&
		die "apt-get update for '$rel' was incomplete (see $dir/update.log)"
	return 0
}

# Ubuntu's archive key, to verify Ubuntu's Release files. Debian 12 does not
# package it (Debian 13 does, as ubuntu-keyring): use the installed one if
# there is one, else download Debian 13's package through a private apt state
# signed by Debian's own key (debian-archive-keyring knows trixie's) and
# unpack the keyring from it, never installing anything.
UBUNTU_ARCHIVE=${SCAP_VM_UBUNTU_ARCHIVE:-http://archive.ubuntu.com/ubuntu}
ubuntu_keyring() {
	local dir=$WORK/apt/ubuntu-keyring deb
	UBUNTU_KEYRING=/usr/share/keyrings/ubuntu-archive-keyring.gpg
	[ -r "$UBUNTU_KEYRING" ] && return 0
	UBUNTU_KEYRING=$dir/root/usr/share/keyrings/ubuntu-archive-keyring.gpg
	[ -r "$UBUNTU_KEYRING" ] && return 0
	say "Ubuntu's archive key: from Debian 13's ubuntu-keyring package (signed by Debian; unpacked under $dir)"
	mkdir -p "$WORK/apt/trixie/lists/partial" "$WORK/apt/trixie/cache/archives/partial" "$dir/root"
	printf 'deb [arch=amd64 signed-by=%s] http://deb.debian.org/debian trixie main\n' "$KEYRING" \
		>"$WORK/apt/trixie/sources.list"
	apt_rel trixie apt-get update >"$dir.log" 2>&1 && ! grep -q -E "^E:|Failed to fetch" "$dir.log" ||
		die "cannot read Debian 13's package lists for ubuntu-keyring (see $dir.log)"
	(cd "$dir" && apt_rel trixie apt-get download ubuntu-keyring) >>"$dir.log" 2>&1 ||
		die "cannot download Debian 13's ubuntu-keyring (see $dir.log)"
	for deb in "$dir"/ubuntu-keyring_*.deb; do
		dpkg-deb -x "$deb" "$dir/root" || die "cannot unpack $deb"
	done
	[ -r "$UBUNTU_KEYRING" ] || die "Debian 13's ubuntu-keyring has no $UBUNTU_KEYRING"
}

# Debian 13's amd64 linux-kbuild is built against its own glibc (2.41):
# modpost and resolve_btfids need GLIBC_2.38 and do not run on Debian 12's
# 2.36 ("version `GLIBC_2.38' not found"). Debian 12 ships the same upstream
# Kbuild built against its glibc: the 6.12 of bookworm-security, as
# linux-kbuild-<upstream>+deb12 (same scripts, only the binaries differ). So a
# Debian 13 kernel (riscv64-trixie) builds modules with that one. Sets kbuild,
# kver_deb and kbuild_rel.
kbuild_of_bookworm() { # kver
	local up=${1%%+*} have
	kbuild=linux-kbuild-$up+deb12 kbuild_rel=bookworm
	kver_deb=$( (KARCH=amd64 && apt_setup bookworm >/dev/null &&
		apt_rel bookworm apt-cache show "$kbuild" 2>/dev/null) | sed -n 's/^Version: //p' | head -n1)
	[ -n "$kver_deb" ] && return 0
	have=$( (KARCH=amd64 && apt_setup bookworm >/dev/null && apt_rel bookworm apt-cache pkgnames linux-kbuild-6 2>/dev/null) |
		sed -n 's/^linux-kbuild-\(.*\)+deb12$/\1/p' | sort -V | tr '\n' ' ')
	die "Debian 12 has no $kbuild for the Debian 13 kernel $1 (Debian 13's own amd64 Kbuild tools need glibc 2.38, Debian 12 has 2.36); name a Debian 13 kernel of an upstream version Debian 12 has ($have), e.g. SCAP_VM_KERNELS=riscv64-trixie:<version>+deb13-riscv64"
}
# The headers reach Kbuild through scripts and tools symlinks into
# /usr/lib/<the release's linux-kbuild>: point them at the one unpacked.
kbuild_relink() { # root kbuild
	local l
	for l in "$1"/usr/src/linux-headers-*/scripts "$1"/usr/src/linux-headers-*/tools; do
		[ -L "$l" ] && ln -sfn "../../lib/$2/${l##*/}" "$l"
	done
	[ -d "$1/usr/lib/$2/scripts" ] || die "$2 has no scripts/ (the unpacked Kbuild is incomplete)"
}

# Downloads and unpacks one kernel. spec is release[:version], for example
# "bullseye" (the ABI linux-image-amd64 points at today: security updates
# move it), "bookworm:6.12" (the ABI of the newest 6.12 packaged for that
# release, through linux-image-6.12-amd64) or "bookworm:6.1.0-56-amd64" (that
# ABI). Sets KVER, KDIR (the headers) and KCC (the compiler to build modules
# with); leaves $WORK/$KVER/vmlinuz.
fetch_kernel() { # spec
	local rel=${1%%:*} ver meta out root deb pkgs cc_name image kbuild kver_deb bootimg kbuild_rel=${1%%:*}
	case $rel in ubuntu-*)
		fetch_ubuntu_kernel "$@"
		return
		;;
	esac
	apt_setup "$rel"
	ver=${1#"$rel"}
	ver=${ver#:}
	meta=linux-image-$(kflavour)
	case $ver in
	"") KVER= ;;
	*.*-*) KVER=$ver ;;
	*) KVER= meta=linux-image-$ver-$(kflavour) ;;
	esac
	[ -n "$KVER" ] || KVER=$(apt_rel "$rel" apt-cache depends "$meta" 2>/dev/null |
		sed -n 's/.*Depends: linux-image-\(.*\)$/\1/p' | head -n1)
	# No meta package for that version (s390x's 6.12 in backports): the
	# newest image of it.
	case $ver in *.*-* | "") ;; *)
		[ -n "$KVER" ] || KVER=$(apt_rel "$rel" apt-cache pkgnames "linux-image-$ver." 2>/dev/null |
			grep -E "^linux-image-${ver//./\\.}\.[0-9]+\+deb[0-9]+-$(kflavour)\$" | sort -V | tail -n1 |
			sed 's/^linux-image-//')
		;;
	esac
	[ -n "$KVER" ] || die "cannot tell Debian $rel's kernel from 'apt-cache depends $meta'"
	out=$WORK/$KVER root=$WORK/$KVER/root
	KDIR=$root/usr/src/linux-headers-$KVER
	if [ ! -f "$out/.fetched" ]; then
		say "$KVER: downloading Debian $rel's kernel and headers (unpacked under $out; nothing is installed)"
		rm -rf "$out" && mkdir -p "$out/deb" "$root"
		# The headers, what they depend on for Kbuild, and the image; the
		# compiler package is skipped (see KCC below).
		pkgs=$(apt_rel "$rel" apt-cache depends "linux-headers-$KVER" 2>/dev/null |
			sed -n 's/^ *Depends: \(linux-[^ ]*\)$/\1/p' | grep -v '^linux-compiler-')
		[ -n "$pkgs" ] || die "Debian '$rel' has no linux-headers-$KVER"
		image=linux-image-$KVER kbuild=
		if [ "$KARCH" != amd64 ]; then
			# Cross-building: Kbuild's own tools (fixdep, modpost) must
			# run here, so linux-kbuild comes from amd64 (the same
			# source version); the image without the EFI signature
			# wrapper is the plain Image qemu boots (ppc64el's and
			# s390x's kernels are not signed: their one image package is
			# that already).
			kbuild=$(echo "$pkgs" | grep '^linux-kbuild-')
			kver_deb=$(apt_rel "$rel" apt-cache show "linux-headers-$KVER" 2>/dev/null |
				sed -n 's/^Version: //p' | head -n1)
			pkgs=$(echo "$pkgs" | grep -v '^linux-kbuild-')
			image=linux-image-$KVER-unsigned
			# (Debian 13's riscv64 kernel is not signed either.)
			case $KARCH in ppc64el | s390x | riscv64) image=linux-image-$KVER ;; esac
			kbuild_rel=$rel
			[ "$rel" = trixie ] && kbuild_of_bookworm "$KVER" # sets kbuild, kver_deb, kbuild_rel
			( (apt_bpo || apt_nosec "$rel") && APT_BPO=1; cd "$out/deb" && KARCH=amd64 && apt_setup "$kbuild_rel" &&
				apt_rel "$kbuild_rel" apt-get download "$kbuild=$kver_deb") \
				>"$out/download-kbuild.log" 2>&1 ||
				die "downloading amd64's $kbuild failed (see $out/download-kbuild.log)"
		fi
		(cd "$out/deb" && apt_rel "$rel" apt-get download "linux-headers-$KVER" $pkgs "$image") \
			>"$out/download.log" 2>&1 ||
			die "downloading the $KVER packages failed (network? see $out/download.log)"
		for deb in "$out"/deb/linux-headers-*.deb "$out"/deb/linux-kbuild-*.deb; do
			dpkg-deb -x "$deb" "$root" || die "cannot unpack $deb"
		done
		[ "$kbuild_rel" = "$rel" ] || kbuild_relink "$root" "$kbuild"
		# ppc64el's image is the ELF boot/vmlinux-<abi> (qemu boots it
		# as is); left as $out/vmlinuz like every other architecture's.
		bootimg=vmlinuz
		[ "$KARCH" = ppc64el ] && bootimg=vmlinux
		# riscv64's boot/vmlinux-<abi> is the uncompressed Image (an EFI
		# PE file that also boots raw), which qemu -M virt loads as is.
		[ "$KARCH" = riscv64 ] && bootimg=vmlinux
		dpkg-deb --fsys-tarfile "$out"/deb/"$image"_*.deb |
			tar -x -O "./boot/$bootimg-$KVER" >"$out/vmlinuz" && [ -s "$out/vmlinuz" ] ||
			die "cannot extract boot/$bootimg-$KVER from the package"
		rm -rf "$out/deb"
		# Debian's headers Makefile includes the common half by its
		# installed path; point it into the private root instead.
		sed -i "s#^include /usr/src/#include $root/usr/src/#" "$KDIR/Makefile"
		[ -f "$KDIR/.config" ] && [ -d "$KDIR/scripts/" ] ||
			die "the unpacked headers in $KDIR are incomplete"
		touch "$out/.fetched"
	fi
	# Debian builds each kernel with its release's gcc (gcc-10 for Debian
	# 11) and its Makefile asks for that one by name. When it is not
	# installed the host's gcc builds the module instead: the run then
	# fails on any compiler warning, and the boot shows whether it loads.
	cc_name=$(sed -n 's/^CONFIG_CC_VERSION_TEXT="\([^ ]*\) .*/\1/p' "$KDIR/.config")
	KCC=${cc_name:-gcc}
	if [ "$KARCH" != amd64 ]; then
		# The same gcc as Debian's cross compiler (gcc-aarch64-linux-gnu,
		# gcc-powerpc64le-linux-gnu, gcc-s390x-linux-gnu).
		# (Debian's 6.12 backports name the cross compiler already.)
		cc_name=${cc_name#"$(kcross)"}
		KCC=$(kcross)${cc_name:-gcc}
		command -v "$KCC" >/dev/null || KCC=$(kcross)gcc
	elif ! command -v "$KCC" >/dev/null; then
		say "$KVER: $KCC (the kernel's compiler) is not installed: building with $(gcc -dumpfullversion 2>/dev/null | sed 's/^/gcc /')"
		KCC=gcc
	fi
	say "kernel: Debian '$rel' $KVER ($KARCH)"
}

# Ubuntu: spec is ubuntu-<codename>[:<abi>], for example "ubuntu-bionic" (the
# ABI linux-image-generic points at in bionic-updates/-security today) or
# "ubuntu-bionic:4.15.0-213-generic". The boot image comes from
# linux-image-unsigned-<abi> (the signed package only wraps the same image for
# Secure Boot); the headers are linux-headers-<abi> and the common half
# linux-headers-<base> it includes. Sets KVER, KDIR and KCC as fetch_kernel.
fetch_ubuntu_kernel() { # spec
	local rel=${1%%:*} ver out root deb base cc_name
	apt_setup "$rel"
	ver=${1#"$rel"}
	ver=${ver#:}
	KVER=$ver
	[ -n "$KVER" ] || KVER=$(apt_rel "$rel" apt-cache depends linux-image-generic 2>/dev/null |
		sed -n 's/.*Depends: linux-image-\([0-9.]*-[0-9]*-generic\)$/\1/p' | sort -V | tail -n1)
	[ -n "$KVER" ] || die "cannot tell Ubuntu $rel's kernel from 'apt-cache depends linux-image-generic'"
	base=${KVER%-generic}
	out=$WORK/$KVER root=$WORK/$KVER/root
	KDIR=$root/usr/src/linux-headers-$KVER
	if [ ! -f "$out/.fetched" ]; then
		say "$KVER: downloading Ubuntu $rel's kernel and headers (unpacked under $out; nothing is installed)"
		rm -rf "$out" && mkdir -p "$out/deb" "$root"
		(cd "$out/deb" && apt_rel "$rel" apt-get download "linux-headers-$KVER" "linux-headers-$base" \
			"linux-image-unsigned-$KVER") >"$out/download.log" 2>&1 ||
			die "downloading the $KVER packages failed (network? see $out/download.log)"
		for deb in "$out"/deb/linux-headers-*.deb; do
			dpkg-deb -x "$deb" "$root" || die "cannot unpack $deb"
		done
		dpkg-deb --fsys-tarfile "$out"/deb/linux-image-unsigned-"$KVER"_*.deb |
			tar -x -O "./boot/vmlinuz-$KVER" >"$out/vmlinuz" && [ -s "$out/vmlinuz" ] ||
			die "cannot extract boot/vmlinuz-$KVER from the package"
		rm -rf "$out/deb"
		# Ubuntu's per-flavour headers reach the common half through
		# symlinks to ../linux-headers-<base>/..., relative, so they
		# resolve inside the private root; only absolute paths need fixing.
		grep -rl "/usr/src/linux-headers-$base" "$KDIR/Makefile" 2>/dev/null |
			xargs -r sed -i "s#/usr/src/linux-headers-$base#$root/usr/src/linux-headers-$base#g"
		[ -f "$KDIR/.config" ] && [ -d "$root/usr/src/linux-headers-$base/scripts/" ] ||
			die "the unpacked headers in $KDIR are incomplete"
		touch "$out/.fetched"
	fi
	# Ubuntu 18.04 built 4.15 with gcc 7, which Debian 12 does not have: the
	# host's gcc builds modules instead.
	cc_name=$(sed -n 's/^CONFIG_CC_VERSION_TEXT="\([^ ]*\) .*/\1/p' "$KDIR/.config")
	KCC=${cc_name:-gcc}
	command -v "$KCC" >/dev/null || KCC=gcc
	say "kernel: Ubuntu '${rel#ubuntu-}' $KVER"
}
