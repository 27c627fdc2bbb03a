# The German catalogue is complete (msgfmt --statistics: no untranslated,
# no fuzzy string), and the build's guard works: a newly marked string
# without its translation, or a fuzzy one, stops the build and is named.
. "$(dirname "$0")/lib.sh"
command -v msgfmt >/dev/null || fail "gettext is not installed"
po="$top/build/po/de.po"
[ -s "$po" ] || po="$B/po/de.po"
[ -s "$po" ] || fail "no merged catalogue in build/po (make all makes it)"
stats=$(LC_ALL=C msgfmt --statistics -o /dev/null "$po" 2>&1)
case $stats in
*untranslated*|*fuzzy*) fail "po/de.po is incomplete: $stats" ;;
*" translated message"*) note "po/de.po: $stats" ;;
*) fail "unexpected msgfmt statistics: $stats" ;;
esac
n=$(echo "$stats" | sed -n 's/^\([0-9]*\) translated.*/\1/p')
[ "${n:-0}" -ge 200 ] || fail "only ${n:-0} strings are marked for translation"

# A string marked in a source and missing from po/de.po stops the build.
printf '#include "i18n.h"\nconst char *s(void) { return _("A string nobody has translated"); }\n' \
    >"$T/new.c"
cp "$top/net/i18n.h" "$T/"
if make -C "$top" --no-print-directory BUILD="$T/b" \
    I18N_SOURCES="$(cd "$top" && ls relay/*.c master/*.c viewer/*.c gui/*.c net/*.c endpoint/*.c | tr '\n' ' ') $T/new.c" \
    "$T/b/locale/de/LC_MESSAGES/fernsicht.mo" >"$T/build.log" 2>&1; then
	fail "a string without a translation did not stop the build"
fi
grep -q 'A string nobody has translated' "$T/build.log" ||
    fail "the build stopped without naming the string: $(tail -5 "$T/build.log")"
note "an untranslated string stops the build and is named"

# A fuzzy translation is refused the same way.
# (the first entry after the header, a block of lines after a blank one)
python3 - "$top/po/de.po" "$T/fuzzy.po" <<'PY'
import sys
blocks = open(sys.argv[1], encoding="utf-8").read().split("\n\n")
lines = blocks[1].split("\n")
flags = [i for i, l in enumerate(lines) if l.startswith("#,")]
if flags:       # one flags line per entry: a second one would be ignored
    lines[flags[0]] += ", fuzzy"
else:
    lines.insert(0, "#, fuzzy")
blocks[1] = "\n".join(lines)
open(sys.argv[2], "w", encoding="utf-8").write("\n\n".join(blocks))
PY
grep -q '^#,.*fuzzy' "$T/fuzzy.po" || fail "could not make the fuzzy control"
pot="$top/build/po/fernsicht.pot"
[ -s "$pot" ] || pot="$B/po/fernsicht.pot"
if sh "$top/scripts/po-check.sh" "$T/fuzzy.po" "$pot" "$T/merged.po" >"$T/fuzzy.log" 2>&1; then
	fail "a fuzzy translation passed the check"
fi
grep -q 'fuzzy' "$T/fuzzy.log" || fail "the fuzzy string was not reported: $(cat "$T/fuzzy.log")"
note "a fuzzy translation stops the build"

# The guard reads msgfmt's statistics: a builder working in German (whose
# msgfmt says "unübersetzt") is stopped as well.
cp "$top/po/de.po" "$T/missing.po"
python3 - "$T/missing.po" <<'PY'
import sys
p = sys.argv[1]
blocks = open(p, encoding="utf-8").read().split("\n\n")
lines = blocks[1].split("\n")
at = max(i for i, l in enumerate(lines) if l.startswith("msgstr"))
lines = lines[:at] + ['msgstr ""']
blocks[1] = "\n".join(lines)
open(p, "w", encoding="utf-8").write("\n\n".join(blocks))
PY
if LANG=C.UTF-8 LANGUAGE=de sh "$top/scripts/po-check.sh" "$T/missing.po" "$pot" "$T/m2.po" \
    >"$T/de-guard.log" 2>&1; then
	fail "with LANGUAGE=de an untranslated string passed the check"
fi
note "the guard works for a builder in German too"
