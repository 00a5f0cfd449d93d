#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Cuts the kernel's BTF (.BTF section) out of a kernel image.

Debian's arm64 vmlinuz is an uncompressed "ARM64 boot executable Image", and
its ppc64el kernel an ELF vmlinux (boot/vmlinux-<abi>); both hold the
kernel's .BTF section as raw bytes. Debian's s390x vmlinuz is a boot loader
followed by the kernel compressed with zstd (CONFIG_KERNEL_ZSTD): the first
zstd frame in it that decompresses (zstd --long=31, the zstd command of
Debian's zstd package) to more than 1 MiB is the kernel. A big-endian
kernel's BTF is big-endian (magic bytes eb 9f) and is copied as it is:
bpftool and libbpf read either byte order. So the BTF of another
architecture's kernel is available without its -dbg package: find the BTF
header (magic 0xeb9f, version 1), check that it is a whole vmlinux BTF
(hdr_len 24, types first, strings right after them) and copy header, types
and strings. `bpftool btf dump file OUT format c` then gives that kernel's
vmlinux.h (the modern_bpf driver is compiled against it for that
architecture; CO-RE relocates it at load time).

    scripts/btf-from-image.py vmlinuz OUT
"""
import struct
import subprocess
import sys

ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"


def unzstd_payload(data):
    """The kernel zstd-compressed inside a boot image (s390x), or None."""
    pos = data.find(ZSTD_MAGIC)
    while pos >= 0:
        try:
            r = subprocess.run(["zstd", "-dcq", "--long=31"], input=data[pos:], capture_output=True, check=False)
        except FileNotFoundError:
            sys.exit("btf-from-image: the image holds a zstd-compressed kernel and zstd is not installed (apt-get install zstd)")
        # Trailing bytes after the frame make zstd fail after writing it all.
        if len(r.stdout) > 1 << 20:
            return r.stdout
        pos = data.find(ZSTD_MAGIC, pos + 1)
    return None


def find_btf(data, out):
    """Writes the vmlinux BTF found in data to out; False if there is none."""
    # 0xeb9f, version 1, flags 0: little endian, then big endian (s390x).
    for magic, order in ((b"\x9f\xeb\x01\x00", "<"), (b"\xeb\x9f\x01\x00", ">")):
        pos = data.find(magic)
        while pos >= 0:
            hdr_len, type_off, type_len, str_off, str_len = struct.unpack_from(order + "IIIII", data, pos + 4)
            end = pos + hdr_len + str_off + str_len
            # vmlinux's BTF has thousands of types: skip small look-alikes.
            if hdr_len == 24 and type_off == 0 and str_off == type_len and type_len > 1 << 20 and end <= len(data):
                open(out, "wb").write(data[pos:end])
                kind = "big" if order == ">" else "little"
                print(f"btf-from-image: {end - pos} bytes of {kind}-endian BTF at offset {pos:#x}", file=sys.stderr)
                return True
            pos = data.find(magic, pos + 1)
    return False


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: btf-from-image.py IMAGE OUT")
    data = open(sys.argv[1], "rb").read()
    if data[:2] == b"\x1f\x8b" or data[:4] == b"\x28\xb5\x2f\xfd":
        sys.exit(f"{sys.argv[1]} is compressed: give the uncompressed Image (zcat/unzstd it first)")
    if find_btf(data, sys.argv[2]):
        return
    kernel = unzstd_payload(data)
    if kernel is not None and find_btf(kernel, sys.argv[2]):
        return
    sys.exit(f"no vmlinux BTF found in {sys.argv[1]} (a kernel built without CONFIG_DEBUG_INFO_BTF?)")


if __name__ == "__main__":
    main()
