#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Cuts the kernel's BTF (.BTF section) out of an uncompressed kernel Image.

Debian's arm64 vmlinuz is an uncompressed "ARM64 boot executable Image", and
its ppc64el kernel an ELF vmlinux (boot/vmlinux-<abi>); both hold the
kernel's .BTF section as raw bytes, so the BTF of another
architecture's kernel is available without its -dbg package: find the BTF
header (magic 0xeb9f, version 1), check that it is a whole vmlinux BTF
(hdr_len 24, types first, strings right after them) and copy header, types
and strings. `bpftool btf dump file OUT format c` then gives that kernel's
vmlinux.h (the modern_bpf driver is compiled against it for that
architecture; CO-RE relocates it at load time).

    scripts/btf-from-image.py vmlinuz OUT
"""
import struct
import sys


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: btf-from-image.py IMAGE OUT")
    data = open(sys.argv[1], "rb").read()
    if data[:2] == b"\x1f\x8b" or data[:4] == b"\x28\xb5\x2f\xfd":
        sys.exit(f"{sys.argv[1]} is compressed: give the uncompressed Image (zcat/unzstd it first)")
    magic = b"\x9f\xeb\x01\x00"  # little endian: 0xeb9f, version 1, flags 0
    pos = data.find(magic)
    while pos >= 0:
        hdr_len, type_off, type_len, str_off, str_len = struct.unpack_from("<IIIII", data, pos + 4)
        end = pos + hdr_len + str_off + str_len
        # vmlinux's BTF has thousands of types: skip small look-alikes.
        if hdr_len == 24 and type_off == 0 and str_off == type_len and type_len > 1 << 20 and end <= len(data):
            open(sys.argv[2], "wb").write(data[pos:end])
            print(f"btf-from-image: {end - pos} bytes of BTF at offset {pos:#x}", file=sys.stderr)
            return
        pos = data.find(magic, pos + 1)
    sys.exit(f"no vmlinux BTF found in {sys.argv[1]} (a kernel built without CONFIG_DEBUG_INFO_BTF?)")


if __name__ == "__main__":
    main()
