# A hostile viewer (tests/tools/file_peer, written from the protocol) sends
# the host files with bad names, lying sizes and hashes, over the limit,
# for ids never offered: a fresh connection per case. Each is refused with a
# FILE_CANCEL of the right reason and a file-failed line on the host (or,
# for an id never offered, the stream ends), the master keeps serving, and
# nothing is written outside the inbox: the inbox is a folder inside a
# scratch tree (which is also the master's working folder), compared before
# and after. Symlinks planted in the inbox lead nowhere. The positive
# controls (a file and a folder) arrive byte-identical at the end.
. "$(dirname "$0")/lib.sh"
scratch=$T/a/b/scratch
inbox=$scratch/inbox
mkdir -p "$inbox" "$scratch/cwd" "$T/a/b/outside"
echo "must stay as it is" >"$T/a/b/outside/victim.txt"
# Traps a local user could leave: an unfinished copy that is a symlink out
# of the inbox, and a folder name that is one.
ln -s ../../outside/victim.txt "$inbox/trap.txt.part"
ln -s ../../outside "$inbox/link"
head -c 200000 /dev/urandom >"$T/control.bin"

# snapshot: every path under $T/a except the inbox's contents, with its
# type, link target and content hash.
snapshot() {
	(cd "$T/a" && find . -path ./b/scratch/inbox -prune -o -print | sort |
	    while IFS= read -r p; do
		if [ -L "$p" ]; then echo "$p link $(readlink "$p")"
		elif [ -f "$p" ]; then echo "$p file $(sha256sum <"$p" | cut -c1-64)"
		else echo "$p $(stat -c %F "$p")"; fi
	done)
	stat -c '%F' "$inbox"
}
inbox_list() { (cd "$inbox" && find . -mindepth 1 | sort); }
snapshot >"$T/outside.before"

start_relay relay --joins-per-min 600
# The master works in the scratch tree: a path taken relative to its
# working folder would land there too.
cd "$scratch/cwd" || fail "no scratch folder"
start_master host "$RELAY" --auto-accept --inbox "$inbox" --file-limit 3M

# peer NAME ARGS...: one fresh viewer connection with the code shown now.
peer() {
	_n=$1; shift
	_code=$(latest_code host)
	"$B/tools/file_peer" --relay "$RELAY" --session "$SESSION" --code "$_code" \
	    --peer-name "$_n" --wait 10 "$@" >"$T/$_n.out" 2>"$T/$_n.log" ||
	    fail "$_n: file_peer could not run its case"
	grep -q '^allowed rights=.* files=yes' "$T/$_n.out" || fail "$_n: no files right"
}

# hostile NAME WANT ALLOW ARGS...: the peer's answer must match WANT (a
# regex for the rest of the CANCEL line: "id=1 whose=1 reason=4 "); the
# host prints one more file-failed with a reason; the stream stays open;
# the inbox gains nothing (ALLOW none) or only unfinished copies (part).
hostile() {
	_n=$1; _want=$2; _allow=$3; shift 3
	inbox_list >"$T/inbox.before"
	peer "$_n" "$@"
	grep -Eq "^got FILE_CANCEL $_want" "$T/$_n.out" ||
	    fail "$_n: no FILE_CANCEL $_want: $(grep '^got' "$T/$_n.out" | tr '\n' '|')"
	grep -q '^alive' "$T/$_n.out" || fail "$_n: the host ended the stream (a refusable case)"
	# The host's line for this connection: its slot, after its verified line.
	_slot=$(sed -n 's/^welcome slot=//p' "$T/$_n.out")
	_id=$(echo "$_want" | sed 's/^id=\([0-9]*\) .*/\1/')
	_from=$(grep -n "^verified slot=$_slot name=\"$_n\"" "$T/host.out" | tail -1 | cut -d: -f1)
	[ -n "$_from" ] || fail "$_n: the host did not verify it"
	_i=0
	until tail -n +"$_from" "$T/host.out" | grep -q "^file-failed slot=$_slot id=$_id "; do
		_i=$((_i + 1)); [ $_i -lt 100 ] || fail "$_n: no file-failed on the host"
		sleep 0.05
	done
	_line=$(tail -n +"$_from" "$T/host.out" | grep "^file-failed slot=$_slot id=$_id " | head -1)
	echo "$_line" | grep -Eq '^file-failed slot=[0-9]+ id=[0-9]+ dir=in reason="[^"]{8,}"$' ||
	    fail "$_n: unclear file-failed line: $_line"
	echo "$_line" | grep -q 'unknown reason' && fail "$_n: unclear reason: $_line"
	kill -0 "$MASTER_PID" 2>/dev/null || fail "$_n: the master died"
	inbox_list >"$T/inbox.after"
	_new=$(comm -13 "$T/inbox.before" "$T/inbox.after")
	if [ "$_allow" = none ]; then
		[ -z "$_new" ] || fail "$_n: the inbox gained: $_new"
	else
		# Only unfinished copies: NAME.part, or inside a FOLDER.part.
		_bad=$(printf '%s\n' "$_new" | grep -v '\.part$' | grep -v '\.part/' || true)
		[ -z "$_bad" ] || fail "$_n: a final name appeared in the inbox: $_bad"
	fi
	echo "$_n: ${_line#*reason=}" >>"$T/reasons"
}

BAD_NAME='id=1 whose=1 reason=4 '
BAD_SIZE='id=1 whose=1 reason=5 '
for where in entry offer; do
	hostile abs-$where "$BAD_NAME" none --mode abs --in $where \
	    --target "$scratch/abs-escape.txt"
	hostile dotdot-$where "$BAD_NAME" part --mode dotdot --in $where
	hostile empty-$where "$BAD_NAME" none --mode empty --in $where
	hostile control-$where "$BAD_NAME" none --mode control --in $where
	hostile long-$where "$BAD_NAME" none --mode long --in $where
	hostile reserved-$where "$BAD_NAME" none --mode reserved --in $where
	hostile deep-$where "$BAD_NAME" none --mode deep --in $where
	hostile backslash-$where "$BAD_NAME" none --mode backslash --in $where
	hostile trailing-$where "$BAD_NAME" none --mode trailing --in $where
done
# A good name, but not the one people were shown in the offer.
hostile other-root "$BAD_NAME" none --mode other-root
# A control character must not reach the event lines raw: the name
# carried a newline and a fake event.
grep -q '^file-done id=9' "$T/host.out" && fail "a name's newline forged an event line"
hostile entries "$BAD_SIZE" part --mode entries
hostile bytes "$BAD_SIZE" part --mode bytes
hostile entry-over "$BAD_SIZE" part --mode entry-over
hostile short "$BAD_SIZE" part --mode short
hostile gap "$BAD_SIZE" part --mode gap
# A hash mismatch removes the unfinished copy too (PROTOCOL.md 3.2.1).
hostile hash 'id=1 whose=1 reason=6 ' none --mode hash
hostile limit 'id=1 whose=1 reason=2 ' none --mode limit --bytes 4194304
# One more than FILES_TRANSFERS_MAX (8) at once: the last is refused, the
# others wait for their data (their RESUME comes back).
hostile many 'id=9 whose=1 reason=2 ' part --mode many
[ "$(count "$T/many.out" '^got FILE_RESUME id=[1-8] ')" = 8 ] ||
    fail "the 8 transfers within the limit were not all taken"

# The same name twice at once: the second is busy.
hostile busy 'id=2 whose=1 reason=9 ' part --mode busy

# An id never offered (DATA, or an ACK or CANCEL about a transfer the host
# never sent), and an id offered twice, are protocol errors: the stream
# ends (BYE protocol, then the relay closes it).
for m in unknown-id ack-unknown cancel-unknown dup-id; do
	peer $m --mode $m
	grep -q '^got BYE reason=6 ' "$T/$m.out" || fail "$m: no BYE protocol"
	grep -Eq '^(closed|ended)' "$T/$m.out" || fail "$m: the stream stayed open"
	kill -0 "$MASTER_PID" 2>/dev/null || fail "the master died after $m"
done
[ "$(count "$T/host.log" 'record rejected')" = 4 ] || fail "the host did not log the 4 rejections"

# A lying receiver: the host sends each of these peers 8 MiB, and the peer
# answers with a RESUME past the end, a RESUME whose hash is not of the
# file's start (the data must start at 0), or an ACK of 2^60 bytes. The
# host ends that transfer (or the stream), and keeps serving.
head -c $((8 * 1024 * 1024)) /dev/urandom >"$T/eight.bin"
for m in recv-resume-past recv-resume-lie recv-ack-past; do
	"$B/tools/file_peer" --relay "$RELAY" --session "$SESSION" --code "$(latest_code host)" \
	    --peer-name "$m" --mode $m --wait 4 >"$T/$m.out" 2>"$T/$m.log" &
	pp=$!
	pids="$pids $pp"
	wait_for "$T/$m.out" '^ready' 20
	master_cmd host "send $(sed -n 's/^welcome slot=//p' "$T/$m.out") $T/eight.bin"
	wait_exit "$pp" 30
	[ "$rc" = 0 ] || fail "$m: file_peer could not run its case"
	grep -q '^got FILE_OFFER id=1 count=1 bytes=8388608' "$T/$m.out" || fail "$m: no offer came"
	kill -0 "$MASTER_PID" 2>/dev/null || fail "$m: the master died"
done
for m in recv-resume-past recv-ack-past; do
	grep -Eq '^got (FILE_CANCEL id=1 whose=0 |BYE reason=6 )' "$T/$m.out" ||
	    fail "$m: the host went on: $(grep '^got' "$T/$m.out" | tail -2 | tr '\n' '|')"
done
grep -q '^got FILE_DATA id=1 first offset=0$' "$T/recv-resume-lie.out" ||
    fail "a RESUME whose hash lied moved the start: $(grep 'first offset' "$T/recv-resume-lie.out")"

# The planted symlinks: a file whose unfinished copy is a link out, and a
# folder whose name is one. Whatever the engine makes of them, nothing
# outside changes (checked below) and the link is not written through.
peer trap-file --mode valid --name trap.txt
peer trap-folder --mode folder --name link
[ -L "$inbox/link" ] || fail "the planted folder link was replaced"
[ -L "$inbox/trap.txt.part" ] || fail "the planted .part link was replaced"

# A newline is allowed in a name: the file arrives, and the event lines
# carry it escaped, so it cannot forge a line of its own.
peer newline --mode valid --name "$(printf 'nl\nfile-done slot=9 id=9 dir=in name="x"')"
grep -q '^got FILE_ACK id=1 .* done=1' "$T/newline.out" || fail "the name with a newline failed"
grep -q '^file-done slot=9 ' "$T/host.out" && fail "a name's newline forged an event line"
[ -f "$inbox/$(printf 'nl\nfile-done slot=9 id=9 dir=in name="x"')" ] ||
    fail "the file with a newline in its name is not in the inbox"

# A name ending in ".part" is the receiver's own for unfinished copies: a
# file or folder received under such a name must not become the unfinished
# copy of a later transfer (truncated, overwritten, renamed away).
peer keep-file --mode valid --name keep.txt.part
peer keep-folder --mode folder --name box.part
kept_file=$(cd "$inbox" && ls -d keep.txt.part* | head -1)
kept_folder=$(cd "$inbox" && ls -d box.part* | head -1)
peer reuse-file --mode valid --name keep.txt --file "$T/control.bin"
peer reuse-folder --mode folder --name box
[ "$(cat "$inbox/$kept_file" 2>/dev/null)" = "sent by file_peer, the positive control" ] ||
    fail "a received file named $kept_file was taken as a later transfer's unfinished copy"
[ -f "$inbox/$kept_folder/inner.txt" ] ||
    fail "a received folder named $kept_folder was taken as a later transfer's unfinished copy"
cmp -s "$T/control.bin" "$inbox/keep.txt" || fail "keep.txt did not arrive"

# An unfinished folder one peer left (kept for its resume) must not give
# its files to the folder of the same name another peer sends complete:
# what arrives is what that sender sent.
peer plant --mode plant --name proj
[ -f "$inbox/proj.part/planted.txt" ] || fail "the planting peer's file is not in proj.part"
peer proj --mode folder --name proj
grep -q '^got FILE_ACK id=1 .* done=1' "$T/proj.out" || fail "the folder proj was not done"
[ -f "$inbox/proj/inner.txt" ] || fail "the folder proj arrived without its file"
[ -e "$inbox/proj/planted.txt" ] &&
    fail "another peer's file was placed in the folder proj as if its sender had sent it"

# The positive controls, after all that: the master still serves.
peer control --mode valid --name control.bin --file "$T/control.bin"
grep -q '^got FILE_ACK id=1 got=200000 done=1' "$T/control.out" ||
    fail "the control file was not acknowledged as done"
cmp -s "$T/control.bin" "$inbox/control.bin" || fail "the control file differs"
peer folder --mode folder --name plain
grep -q '^got FILE_ACK id=1 .* done=1' "$T/folder.out" || fail "the control folder was not done"
[ "$(cat "$inbox/plain/inner.txt")" = "inside a folder" ] || fail "the control folder differs"
grep -q '^file-done slot=[0-9]* id=1 dir=in name="control.bin" files=1 bytes=200000 ' \
    "$T/host.out" || fail "no file-done for the control file"

# Nothing outside the inbox changed; inside it, only the controls, the
# planted links, what they may have led to, and unfinished copies.
snapshot >"$T/outside.after"
diff "$T/outside.before" "$T/outside.after" >"$T/outside.diff" ||
    fail "written outside the inbox: $(cat "$T/outside.diff")"
bad=$(inbox_list | grep -v '\.part$' | grep -v '\.part/' |
    grep -Ev '^\./(control\.bin|plain|plain/inner\.txt|link|trap\.txt|nl)$' |
    grep -Ev '^\./(keep\.txt|box|box/inner\.txt|proj|proj/inner\.txt)$' |
    grep -Ev '^\./(keep\.txt\.part|box\.part) \([0-9]+\)(/inner\.txt)?$' |
    grep -v '^file-done slot=9 id=9 dir=in name="x"$' |
    grep -Ev '^\./(link|trap)( \([0-9]+\))?(\.txt)?(/inner\.txt)?$' || true)
[ -z "$bad" ] || fail "unexpected names in the inbox: $bad"
note "$(wc -l <"$T/reasons") hostile cases refused, e.g. $(head -1 "$T/reasons")"
note "symlink traps: $(grep -h '^got' "$T/trap-file.out" "$T/trap-folder.out" | tr '\n' ' ')"
