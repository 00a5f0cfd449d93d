#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# The differential test's workload (scap_strace_diff runs it under strace):
# real Debian programs doing what they do, in the directory $1. Every step
# runs when its program is installed (scripts/setup.sh installs them on the
# host; the VM's guest has busybox's applets), and the last line says which
# ran. Exits non-zero when a step that must work did not.
#
#   shells (sh, bash, dash), odd file names (spaces, a newline, UTF-8, '@', 250
#   bytes), long argument lists (past 32 strings, past 4096 bytes), gcc (its
#   collect2 and ld get ~46 arguments), tar, gzip, xz, cpio, perl, python3
#   (unix sockets: an abstract name holding a NUL, a path starting with '@',
#   108 bytes without a NUL; a socketpair; an HTTP server), curl and wget
#   against that server, dpkg-deb and dpkg-query, git.
set -u
# Debian's programs first (not whatever a user's PATH puts before them, as pyenv's shims)
PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH
W=$1
mkdir -p "$W" && cd "$W" || exit 1
ran=""
have() { command -v "$1" >/dev/null 2>&1; }
must() {
	"$@" || { echo "workload: $* failed ($?)" >&2; exit 1; }
}

# ---- files with odd names ------------------------------------------------------
must mkdir d
: >"d/with space"
: >"d/new
line"
: >"d/ütf8-é"
: >"d/@at"
long=$(printf '%0250d' 0)
: >"d/$long"
echo hello >d/hello.txt
must ln -s "with space" d/link
must chmod 0640 "d/with space"
must mv "d/ütf8-é" "d/renamed-é"
ls -la d >/dev/null
cat "d/with space" d/hello.txt >/dev/null
must rm "d/new
line"
cat ./no-such-file 2>/dev/null
ran="$ran sh"

# ---- shells ------------------------------------------------------------------------
if have bash; then
	must bash -c 'x=$(echo a b c); for w in $x; do printf "%s\n" "$w"; done | wc -l >/dev/null'
	ran="$ran bash"
fi
if have dash; then
	must dash -c 'i=0; while [ $i -lt 5 ]; do i=$((i + 1)); done'
	ran="$ran dash"
fi

# ---- long argument lists: 100 strings, and one string of 5000 bytes ---------------
must env true $(seq 1 100)
must env true "$(printf '%05000d' 0)"
ran="$ran env"

# ---- a compiler ------------------------------------------------------------------------
if have gcc; then
	cat >hello.c <<'EOF'
#include <stdio.h>
int main(void) { puts("hello"); return 0; }
EOF
	must gcc -O1 -o hello hello.c
	must ./hello >/dev/null
	ran="$ran gcc"
fi

# ---- archivers ---------------------------------------------------------------------------
must tar cf d.tar d
must mkdir x
must tar xf d.tar -C x
must gzip -k d.tar
gzip -dc d.tar.gz >/dev/null || exit 1
ran="$ran tar gzip"
# (busybox's xz and dpkg-deb, in the VM's guest, only unpack: the real ones are asked for)
if have xz && xz --version 2>/dev/null | grep -q 'XZ Utils'; then
	must xz -k -T1 d.tar
	ran="$ran xz"
fi
if have cpio; then
	find d | cpio -o -H newc >d.cpio 2>/dev/null || exit 1
	ran="$ran cpio"
fi

# ---- scripting languages -----------------------------------------------------------------
if have perl; then
	must perl -e 'opendir(my $d, "d") or die; my @n = readdir($d); open(my $f, ">", "p.txt") or die;
		print $f join("\n", sort @n); close($f); my @s = stat("p.txt"); unlink("p.txt") or die;'
	ran="$ran perl"
fi

# The HTTP server answers up to three requests (python's client, curl, wget), then exits.
port=""
if have python3; then
	cat >net.py <<'EOF'
import http.server, os, socket, sys, threading, urllib.request
# unix addresses: an abstract name holding a NUL, a path starting with '@', 108 bytes without a NUL
a = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
a.bind(b"\0scap-diff-%d\0rest" % os.getpid())
b = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
b.bind("@sock")
c = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
# python refuses 108 bytes without a NUL; bind(2) takes them (sizeof(struct sockaddr_un) = 110)
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
un = (ctypes.c_char * 110).from_buffer_copy(b"\x01\x00" + b"p" * 108)
if libc.bind(c.fileno(), un, 110) != 0:
    raise OSError(ctypes.get_errno(), "bind of 108 bytes")
c.sendto(b"hi", "@sock")
b.recvfrom(16)
c.connect(a.getsockname())
s1, s2 = socket.socketpair()
s1.send(b"x" * 100)
s2.recv(100)
try:
    socket.create_connection(("::1", 1), timeout=1)
except OSError:
    pass
class H(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass
srv = http.server.HTTPServer(("127.0.0.1", 0), H)
srv.timeout = 10
with open("port.tmp", "w") as f:
    f.write(str(srv.server_address[1]))
os.rename("port.tmp", "port")
def client():
    urllib.request.urlopen("http://127.0.0.1:%d/d/hello.txt" % srv.server_address[1]).read()
t = threading.Thread(target=client)
t.start()
for _ in range(int(sys.argv[1])):
    srv.handle_request()
t.join()
EOF
	n=1
	have curl && n=$((n + 1))
	have wget && n=$((n + 1))
	python3 net.py $n &
	srv=$!
	i=0
	while [ ! -f port ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	port=$(cat port 2>/dev/null)
	[ -n "$port" ] || { echo "workload: the python server did not start" >&2; exit 1; }
	if have curl; then
		must curl -s -o /dev/null "http://127.0.0.1:$port/d/hello.txt"
		ran="$ran curl"
	fi
	if have wget; then
		must wget -q -O /dev/null "http://127.0.0.1:$port/d/hello.txt"
		ran="$ran wget"
	fi
	must wait $srv
	ran="$ran python3"
elif have httpd; then
	# busybox (the VM's guest): its httpd and wget
	httpd -f -p 127.0.0.1:18080 -h . &
	srv=$!
	sleep 0.5
	must wget -q -O /dev/null "http://127.0.0.1:18080/d/hello.txt"
	kill $srv
	wait $srv 2>/dev/null
	ran="$ran httpd wget"
fi

# ---- package tools ----------------------------------------------------------------------------
if have dpkg-deb && dpkg-deb --version >/dev/null 2>&1; then
	must mkdir -p pkg/DEBIAN pkg/usr/share/scap-diff
	printf 'Package: scap-diff\nVersion: 1.0\nArchitecture: all\nMaintainer: scap <scap@localhost>\nDescription: test\n' \
		>pkg/DEBIAN/control
	must cp d/hello.txt pkg/usr/share/scap-diff/
	must dpkg-deb -b pkg scap-diff.deb >/dev/null
	must dpkg-deb -c scap-diff.deb >/dev/null
	ran="$ran dpkg-deb"
fi
if have dpkg-query && [ -d /var/lib/dpkg/info ]; then
	must dpkg-query -W dpkg >/dev/null
	ran="$ran dpkg-query"
fi

# ---- version control ------------------------------------------------------------------------------
if have git; then
	export GIT_CONFIG_NOSYSTEM=1 HOME="$W" GIT_AUTHOR_NAME=scap GIT_AUTHOR_EMAIL=scap@localhost \
		GIT_COMMITTER_NAME=scap GIT_COMMITTER_EMAIL=scap@localhost
	must git init -q repo
	must cp d/hello.txt repo/
	must git -C repo add hello.txt
	must git -C repo commit -q -m "first"
	must git -C repo log --oneline >/dev/null
	ran="$ran git"
fi

echo "workload ran:$ran"
