#!/bin/sh
# po-check.sh PO POT OUT: merge the translation PO with the strings the
# sources mark now (POT) into OUT, and fail, naming them, when any string
# lacks its translation or is fuzzy. The build runs this before msgfmt, so
# a new window text cannot ship in English only.
set -eu
po=$1 pot=$2 out=$3
msgmerge --quiet --no-fuzzy-matching -o "$out" "$po" "$pot"
# (in English whatever the builder's language: the words are matched below)
stats=$(LC_ALL=C LANGUAGE= msgfmt --statistics -o /dev/null "$out" 2>&1)
case $stats in
*untranslated*|*fuzzy*)
	echo "po-check: $po: $stats" >&2
	echo "po-check: these strings need a translation in $po (make po-update adds them):" >&2
	{ msgattrib --untranslated "$out"; msgattrib --only-fuzzy "$out"; } |
		grep -E '^msg(ctxt|id) ' | grep -v '^msgid ""$' | sed 's/^/  /' >&2
	exit 1
	;;
esac
