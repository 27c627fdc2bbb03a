# The master's PipeWire stream (master/pipewire_stream.c, run by
# tests/tools/pw_portal_frame) against a source that hands out its frames
# as DMA-BUF (tests/tools/pw_dmabuf_source, a mock named so: there is no
# GPU here, so its DMA-BUF is a memfd handed over as one, which maps and
# reads as a linear DMA-BUF does), on a real PipeWire with wireplumber.
#   linear  only linear DMA-BUF, with padded rows and the picture at an
#           offset in its file and buffer: read, pixel for pixel
#   both    linear DMA-BUF offered first, shared memory second: the
#           stream takes shared memory (the compositor's own GPU read is
#           better than the processor reading graphics memory)
#   tiled   only a layout a GPU reads: no format agreed, no frame, no crash
#   short   a file smaller than the buffer claims: refused with the sizes
#           (read, it would kill the process), never mapped
#   nomap   a descriptor that cannot be mapped for reading: refused
# This runs under the sanitizers too.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/wayland_lib.sh"
start_pipewire

# stream MODE SECONDS: the mock in MODE and the master's stream on its
# node for SECONDS; the stream's lines in $T/got.MODE.
stream() {
	"$B/tools/pw_dmabuf_source" "$1" 300 200 "$T/expect.ppm" >"$T/src.$1" 2>&1 &
	_src=$!
	pids="$pids $_src"
	wait_for "$T/src.$1" '^node [0-9]+$' 10
	_node=$(sed -n 's/^node //p' "$T/src.$1" | head -1)
	"$B/tools/pw_portal_frame" -1 "$_node" "$T/out.$1.ppm" "$2" >"$T/got.$1" 2>&1
	_rc=$?
	kill "$_src" 2>/dev/null
	wait "$_src" 2>/dev/null
	grep -Eq 'Sanitizer|runtime error' "$T/got.$1" "$T/src.$1" &&
	    fail "$1: the sanitizers spoke: $(cat "$T/got.$1")"
	return 0
}

stream linear 3
[ "$_rc" = 0 ] || fail "linear: exit $_rc: $(cat "$T/got.linear")"
grep -q '^format dmabuf$' "$T/src.linear" || fail "linear: the mock says $(cat "$T/src.linear")"
[ "$(count "$T/got.linear" '^frame [0-9]+ 300x200 PipeWire DmaBuf 300x200')" -ge 5 ] ||
    fail "linear: $(cat "$T/got.linear")"
cmp -s "$T/out.linear.ppm" "$T/expect.ppm" || fail "linear: the picture is not the source's"
note "linear DMA-BUF: $(count "$T/got.linear" '^frame ') frames in 3 s, pixel for pixel" \
    "(padded rows, the picture 4096 + 256 bytes in)"

stream both 2
[ "$_rc" = 0 ] || fail "both: exit $_rc: $(cat "$T/got.both")"
grep -q '^format shm$' "$T/src.both" || fail "both: the mock says $(cat "$T/src.both")"
grep -q '^frame [0-9]* 300x200 PipeWire MemFd' "$T/got.both" || fail "both: $(cat "$T/got.both")"
cmp -s "$T/out.both.ppm" "$T/expect.ppm" || fail "both: the picture is not the source's"
note "DMA-BUF offered first, shared memory second: shared memory taken"

stream tiled 2
[ "$_rc" = 0 ] || fail "tiled: exit $_rc: $(cat "$T/got.tiled")"
grep -q '^format' "$T/src.tiled" "$T/got.tiled" && fail "tiled: a format: $(cat "$T/got.tiled")"
grep -q '^frame' "$T/got.tiled" && fail "tiled: a frame"
note "a tiled layout only: no format agreed, no frame read"

stream short 2
[ "$_rc" = 1 ] || fail "short: exit $_rc: $(cat "$T/got.short")"
grep -q "^error=the compositor's DMA-BUF buffer holds 128576 bytes, not the 257152 it claims$" \
    "$T/got.short" || fail "short: $(cat "$T/got.short")"
grep -q '^frame' "$T/got.short" && fail "short: a frame"

stream nomap 2
[ "$_rc" = 1 ] || fail "nomap: exit $_rc: $(cat "$T/got.nomap")"
grep -q "^error=cannot read the compositor's DMA-BUF frames: Permission denied$" \
    "$T/got.nomap" || fail "nomap: $(cat "$T/got.nomap")"
note "a buffer smaller than it claims, one that cannot be mapped: each refused in words"
