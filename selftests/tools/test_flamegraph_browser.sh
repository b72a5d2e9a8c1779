#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Host test (selftests/host-tests.list) of ktrace-flamegraph's interactive
# SVG in headless Chromium (Debian's chromium, offline): a driver script
# added to a copy of the SVG clicks frames, the Search button (with
# window.prompt answering) and Ctrl-F, and records what the graph's own script
# did; --dump-dom hands the record back.  Not executable: the guest runner
# skips it.
cd "$(dirname "$0")/../.." || exit 1
. selftests/lib/ktap.sh
FG=build/user/ktrace-flamegraph
[ -x $FG ] || ktap_skip_all "$FG not built (make -C user/tools)"
CHROME=$(command -v chromium || command -v chromium-browser)
[ -n "$CHROME" ] || ktap_skip_all "no chromium (make deps installs it)"
T=${TMPDIR:-/tmp}/fgbrowser.$$
trap 'rm -rf $T' EXIT
mkdir -p $T/profile

# 8.5 samples: all > main > {a (4.5) > {b 3, c 1.5}, d 4}
printf 'main;a;b 3\nmain;d 4\nmain;a;c 1.5\n' | $FG --width 1200 >$T/g.svg || ktap_skip_all "$FG failed"
# the driver: checks in the page, results as "name ok" / "name FAIL why" lines
sed '$d' $T/g.svg >$T/t.svg
cat >>$T/t.svg <<'EOF'
<script type="text/ecmascript"><![CDATA[
var R = [];
function ok(n, c, why) { R.push(n + (c ? ' ok' : ' FAIL ' + why)); }
function frame(n) {
	var gs = document.querySelectorAll('g.f'), i, t;
	for (i = 0; i < gs.length; i++) {
		t = gs[i].getElementsByTagName('title')[0].textContent;
		if (t.indexOf(n + ' (') === 0) return gs[i];
	}
	return null;
}
function rect(n) { return frame(n).getElementsByTagName('rect')[0]; }
function w(n) { return +rect(n).getAttribute('width'); }
function x(n) { return +rect(n).getAttribute('x'); }
function shown(n) { return !frame(n).classList.contains('hide'); }
function click(el) { el.dispatchEvent(new MouseEvent('click', { bubbles: true })); }
function near(a, b) { return Math.abs(a - b) < 0.02; }
function drive() {
	var b0 = w('b'), matched = document.getElementById('matched');
	click(frame('a'));
	ok('click_zooms_frame_to_full_width', near(w('a'), 1180) && near(x('a'), 10), w('a') + '@' + x('a'));
	ok('zoom_scales_children', near(w('b'), 1180 * 3 / 4.5) && near(w('c'), 1180 * 1.5 / 4.5) &&
	   near(x('c'), 10 + 1180 * 3 / 4.5), w('b') + ' ' + w('c') + '@' + x('c'));
	ok('zoom_hides_other_frames', !shown('d'), 'd shown');
	ok('zoom_keeps_ancestors_faded', shown('main') && frame('main').classList.contains('parent') &&
	   near(w('main'), 1180), frame('main').getAttribute('class'));
	ok('zoom_relabels', frame('b').getElementsByTagName('text')[0].textContent === 'b', 'label');
	ok('reset_zoom_shown', !document.getElementById('resetzoom').classList.contains('hide'), 'hidden');
	click(document.getElementById('resetzoom'));
	ok('reset_zoom_restores', near(w('b'), b0) && shown('d') && near(w('a'), 1180 * 4.5 / 8.5),
	   w('b') + ' ' + b0);
	window.prompt = function () { return '^(b|c)$'; };
	click(document.getElementById('search'));
	ok('search_highlights_matches', rect('b').getAttribute('fill') === 'rgb(230,0,230)' &&
	   rect('c').getAttribute('fill') === 'rgb(230,0,230)' &&
	   rect('d').getAttribute('fill') !== 'rgb(230,0,230)', rect('b').getAttribute('fill'));
	ok('search_matched_percent', matched.textContent === 'Matched: 52.9%' &&
	   !matched.classList.contains('hide'), matched.textContent);
	window.prompt = function () { return '^(a|b)$'; };
	window.dispatchEvent(new KeyboardEvent('keydown', { key: 'f', ctrlKey: true }));
	ok('ctrl_f_searches_nested_once', matched.textContent === 'Matched: 52.9%' &&
	   rect('a').getAttribute('fill') === 'rgb(230,0,230)', matched.textContent);
	click(document.getElementById('resetsearch'));
	ok('reset_search_restores', rect('b').getAttribute('fill') !== 'rgb(230,0,230)' &&
	   rect('b').getAttribute('fill') === rect('b').getAttribute('data-fill') &&
	   matched.classList.contains('hide'), rect('b').getAttribute('fill'));
	document.documentElement.setAttribute('data-result', R.join('|'));
}
window.addEventListener('load', function () { setTimeout(drive, 0); });
]]></script>
</svg>
EOF
timeout 120 "$CHROME" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
	--disable-background-networking --disable-component-update --disable-sync \
	--user-data-dir=$T/profile --virtual-time-budget=3000 --dump-dom "file://$T/t.svg" \
	>$T/dom 2>$T/err
res=$(sed -n 's/.*data-result="\([^"]*\)".*/\1/p' $T/dom | head -n 1)
if [ -z "$res" ]; then	# the graph's script or the driver broke: say why
	ktap_plan 1
	ktap_fail fg_browser_driver_ran "no result: $(tail -c 300 $T/err | tr '\n' ' ')"
	ktap_finished
fi
n=$(echo "$res" | tr '|' '\n' | grep -c .)
ktap_plan "$n"
echo "$res" | tr '|' '\n' | while read -r name verdict why; do
	[ "$verdict" = ok ] && ktap_ok "fg_browser_$name" || ktap_fail "fg_browser_$name" "$why"
done >$T/ktap
cat $T/ktap
grep -q '^not ok' $T/ktap && exit 1
exit 0
