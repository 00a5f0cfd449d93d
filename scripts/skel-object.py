#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Puts another BPF object's bytes into a bpftool skeleton.

Debian 12's bpftool (7.1, libbpf 1.1) cannot open an object of the other
byte order ("Endian mismatch"): the big-endian object an s390x kernel loads
(clang -target bpfeb) gets no skeleton from it on a little-endian build
host. The skeleton is therefore generated from the same source compiled
little-endian, whose maps, programs and global-data layout are the same
(same C types, same sizes and alignment), and this script swaps the object
it embeds (<name>__elf_bytes) for the big-endian one.

  skel-object.py <skel.h in> <object.o> <skeleton name> <skel.h out>
"""
import re
import sys


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    src, obj, name, out = sys.argv[1:]
    text = open(src, encoding="utf-8").read()
    data = open(obj, "rb").read()
    if data[:4] != b"\x7fELF":
        sys.exit(f"skel-object.py: {obj} is not an ELF object")
    head = f"static inline const void *{name}__elf_bytes(size_t *sz)\n{{\n"
    start = text.find(head)
    if start < 0:
        sys.exit(f"skel-object.py: {src} has no {name}__elf_bytes() (another bpftool's skeleton?)")
    body = start + len(head)
    end = text.find("\n}\n", body)
    if end < 0 or not re.match(r"\t\*sz = \d+;\n\treturn \(const void \*\)\"", text[body:end]):
        sys.exit(f"skel-object.py: {name}__elf_bytes() in {src} is not the form this script knows")
    lines = []
    for i in range(0, len(data), 16):
        lines.append("\t\t" + ",".join(f"0x{b:02x}" for b in data[i:i + 16]) + ",")
    new = ("\tstatic const unsigned char bytes[] = {\n" + "\n".join(lines) +
           "\n\t};\n\n\t*sz = sizeof(bytes);\n\treturn bytes;")
    open(out, "w", encoding="utf-8").write(text[:body] + new + text[end:])


if __name__ == "__main__":
    main()
