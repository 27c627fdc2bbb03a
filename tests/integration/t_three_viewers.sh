# One master, three viewers: each verifies the code, is let in, decodes
# frames that match what the master drew, sends input and chat; the master
# sees all three. Every recorded frame is a valid PPM image.
. "$(dirname "$0")/lib.sh"
start_relay relay
start_master host "$RELAY" --auto-accept --print-input --fps 30
printf 'pointer 10 20\nbutton 1 down\nbutton 1 up\ntype hi\nchat hello from %s\n' x >"$T/script"
k=0
for v in v1 v2 v3; do
	# The code is single-use: each viewer takes the one the host shows now.
	code=$(latest_code host)
	mkdir "$T/$v.rec"
	start_viewer "$v" "$RELAY" "$SESSION" "$code" --frames 40 --record "$T/$v.rec/" \
	    --input-script "$T/script"
	eval "pid_$v=$VIEWER_PID"
	k=$((k + 1))
	wait_for "$T/host.out" "^verified slot=.*" 20
	i=0
	while [ "$(count "$T/host.out" '^verified slot=')" -lt $k ]; do
		i=$((i + 1)); [ $i -lt 400 ] || fail "$v was not verified"; sleep 0.05
	done
done
for v in v1 v2 v3; do
	eval "wait_exit \$pid_$v 60"
	[ "$rc" = 0 ] || fail "$v exited $rc"
	grep -q '^verified host="host" check=[0-9]\{6\} cipher=' "$T/$v.out" || fail "$v not verified"
	grep -q '^allowed rights=' "$T/$v.out" || fail "$v not allowed"
	[ "$(frames $v)" -ge 40 ] || fail "$v decoded only $(frames $v) frames"
	n=$(ls "$T/$v.rec" | wc -l)
	[ "$n" -ge 40 ] || fail "$v recorded $n frames"
	f=$(ls "$T/$v.rec" | head -1)
	head -c 2 "$T/$v.rec/$f" | grep -q P6 || fail "$v: $f is not a PPM"
done
[ "$(count "$T/host.out" '^verified slot=')" = 3 ] || fail "master did not verify 3 viewers"
[ "$(count "$T/host.out" '^chat slot=[0-9]+ text="hello from x"')" = 3 ] || fail "chat missing"
[ "$(count "$T/host.out" '^input slot=.*kind=key')" -ge 12 ] || fail "key input missing"
grep -q '^input slot=.*kind=pointer.* x=10 y=20' "$T/host.out" || fail "pointer input missing"
# The check code shown on both sides is the same for each viewer.
for v in v1 v2 v3; do
	c=$(sed -n 's/^verified host=.* check=\([0-9]*\) .*/\1/p' "$T/$v.out")
	grep -q "^verified slot=.* check=$c " "$T/host.out" || fail "$v check code $c not on the host"
done
note "3 viewers: $(frames v1)/$(frames v2)/$(frames v3) frames"
