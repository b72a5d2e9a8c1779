// SPDX-License-Identifier: GPL-2.0
/*
 * Host test (selftests/host-tests.list, run by node): the pure half of
 * ktrace-analytics' page script (user/analytics/analytics.js), fed the JSON
 * lines ktrace --format json writes, with every expected cell, frame and
 * span worked out by hand.  KTAP output.
 */
'use strict';
const path = require('path');
const KA = require(path.join(__dirname, '../../user/analytics/analytics.js'));

const tests = [];
const test = (name, fn) => tests.push([name, fn]);
const eq = (a, b, what) => {
	const x = JSON.stringify(a), y = JSON.stringify(b);
	if (x !== y)
		throw new Error(`${what}: got ${x}, want ${y}`);
};
const near = (a, b, what) => {
	if (Math.abs(a - b) > 1e-9)
		throw new Error(`${what}: got ${a}, want ${b}`);
};

/* what ktrace prints for @lat[execname] = quantize(...) */
const quant = (entries) => ({ type: 'aggregation', name: 'lat', function: 'quantize', entries });

test('bucket_rows_match_quantize_values', () => {
	eq([0, 1, 2, 4, 8388608].map((v) => KA.bucketRow(v)), [0, 1, 2, 3, 24], 'rows');
	eq([0, 1, 2, 3, 24].map((r) => KA.rowLow(r)), [0, 1, 2, 4, 8388608], 'lows');
	eq([999, 1000, 8388608, 1.5e9].map(KA.fmtNs), ['999ns', '1us', '8.39ms', '1.5s'], 'labels');
});

test('values_in_their_unit', () => {
	eq([KA.fmtValue(42, 'samples'), KA.fmtValue(1, 'samples'), KA.fmtValue(7, undefined)],
	   ['42 samples', '1 samples', '7 samples'], 'counts (no unit: samples, as before the field)');
	eq([0, 999, 20e6, 1.25e9].map((v) => KA.fmtValue(v, 'ns')), ['0ns', '999ns', '20ms', '1.25s'],
	   'nanoseconds as times');
});

test('heat_add_counts_cells_and_keys', () => {
	const h = KA.heatNew();
	const n = KA.heatAdd(h, 5000500, quant([
		{ keys: ['reader'], buckets: [{ value: 8388608, count: 7 }, { value: 16777216, count: 1 }] },
		{ keys: ['cat'], buckets: [{ value: 8388608, count: 2 }] },
	]));
	eq(n, 10, 'events');
	const col = h.cols.get(5000);
	eq(col.get(24).n, 9, 'cell 8ms');
	eq([...col.get(24).keys], [['reader', 7], ['cat', 2]], 'keys in cell');
	eq(col.get(25).n, 1, 'cell 16ms');
	KA.heatAdd(h, 5000900, quant([{ keys: ['cat'], buckets: [{ value: 8388608, count: 1 }] }]));
	eq(h.cols.get(5000).get(24).n, 10, 'same second adds up');
});

test('heat_ignores_other_lines', () => {
	const h = KA.heatNew();
	eq(KA.heatAdd(h, 1000, { type: 'record', data: [] }), 0, 'record');
	eq(KA.heatAdd(h, 1000, { type: 'aggregation', function: 'count', entries: [{ keys: [], value: 3 }] }), 0, 'count');
	eq(h.cols.size, 0, 'no column');
});

test('heat_cells_place_columns_and_rows', () => {
	const h = KA.heatNew();
	KA.heatAdd(h, 100000, quant([{ keys: [], buckets: [{ value: 1024, count: 4 }] }]));
	KA.heatAdd(h, 159000, quant([{ keys: [], buckets: [{ value: 4096, count: 2 }] }]));
	KA.heatAdd(h, 40000, quant([{ keys: [], buckets: [{ value: 4096, count: 9 }] }]));
	const r = KA.heatCells(h, 159, 60);
	eq(r.cells.map((c) => [c.x, c.row, c.n]).sort(), [[0, 11, 4], [59, 13, 2]], 'cells (100 s is column 0, 159 s column 59; 40 s is out)');
	eq([r.lo, r.hi, r.max], [11, 13, 4], 'range and max');
	eq([...r.cells[0].keys.keys()], ['(all)'], 'no key');
	KA.heatPrune(h, 159, 60);
	eq([...h.cols.keys()].sort(), [100, 159], 'pruned');
});

/* @util[cpu] = lquantize(busy%, 0, 100, 10): rows by the step, % labels */
test('heat_lquantize_rows_by_step', () => {
	eq([0, 10, 90, 100].map((v) => KA.bucketRow(v, 10)), [0, 1, 9, 10], 'rows');
	eq([0, 9, 10].map((r) => [KA.rowLow(r, 10), KA.rowHigh(r, 10)]), [[0, 10], [90, 100], [100, 110]], 'bands');
	eq([KA.rowHigh(0), KA.rowHigh(3)], [1, 8], 'quantize bands');
	const h = KA.heatNew(10);
	const lq = (entries) => ({ type: 'aggregation', name: 'util', function: 'lquantize', entries });
	eq(KA.heatAdd(h, 7000, lq([
		{ keys: [0], buckets: [{ value: 90, count: 1 }] },
		{ keys: [1], buckets: [{ value: -1, count: 1 }, { value: 0, count: 1 }] },
	])), 2, 'two CPUs (the underflow bucket is no band)');
	eq([...h.cols.get(7)].map(([r, c]) => [r, c.n, [...c.keys]]), [[9, 1, [['0', 1]]], [0, 1, [['1', 1]]]], 'cells');
	eq(KA.heatAdd(h, 7000, quant([{ keys: [], buckets: [{ value: 2, count: 1 }] }])), 0, 'a quantize is not this metric\'s');
	eq(KA.heatAdd(KA.heatNew(), 7000, { type: 'aggregation', function: 'lquantize', entries: [] }), 0, 'nor the reverse');
});

test('y_values_in_their_unit', () => {
	eq([0, 1023, 1024, 1536, 2 ** 30, 2 ** 41].map((v) => KA.fmtY(v, 'bytes')),
	   ['0B', '1023B', '1KiB', '1.5KiB', '1GiB', '2TiB'], 'bytes');
	eq([KA.fmtY(90, '%'), KA.fmtY(2000, 'ns'), KA.fmtY(2000)], ['90%', '2us', '2us'], '% and ns');
});

/* @n[copyinstr(path)] = count(), one snapshot a second */
const counts = (entries) => ({ type: 'aggregation', name: 'n', function: 'count', entries });
test('count_columns_top_keys_and_other', () => {
	const c = KA.countNew();
	eq(KA.countAdd(c, 100500, counts([{ keys: ['/etc/hosts'], value: 5 }, { keys: ['/a'], value: 2 },
					   { keys: ['/b'], value: 1 }])), 8, 'opens');
	KA.countAdd(c, 100900, counts([{ keys: ['/etc/hosts'], value: 1 }]));
	KA.countAdd(c, 102000, counts([{ keys: ['/b'], value: 4 }, { keys: ['/a'], value: 0 }]));
	KA.countAdd(c, 30000, counts([{ keys: ['/old'], value: 99 }]));
	const r = KA.countColumns(c, 102, 60, 2);
	eq(r.keys, ['/etc/hosts', '/b', '(other)'], 'top 2 of the window (/old is out), then the rest');
	eq(r.cols.map((x) => [x.x, x.sec, x.total, x.segs.map((g) => [g.key, g.n, g.y0])]),
	   [[57, 100, 9, [['/etc/hosts', 6, 0], ['/b', 1, 6], ['(other)', 2, 7]]], [59, 102, 4, [['/b', 4, 0]]]],
	   'columns stacked in the keys\' order');
	eq(r.max, 9, 'highest column');
	eq(KA.countColumns(c, 102, 60, 8).keys, ['/etc/hosts', '/b', '/a'], 'no (other) when all fit');
	KA.countPrune(c, 102, 60);
	eq([...c.cols.keys()], [100, 102], 'pruned');
	eq(KA.countAdd(c, 1000, quant([{ keys: [], buckets: [{ value: 2, count: 1 }] }])), 0, 'not a count');
});

test('heat_scales', () => {
	near(KA.scaled(5, 10, 'linear'), 0.5, 'linear');
	near(KA.scaled(10, 10, 'log'), 1, 'log max');
	near(KA.scaled(1, 10, 'log'), Math.log(2) / Math.log(11), 'log');
	near(KA.scaled(7, 10, 'rank', [1, 7, 10]), 0.5, 'rank');
	eq(KA.scaled(3, 0, 'linear'), 0, 'empty');
	eq(KA.cellColor(1, 20), 'hsl(20,80%,35%)', 'darkest');
	eq(KA.dominantKey(new Map([['a', 2], ['b', 5], ['c', 5]])), 'b', 'dominant (ties by name)');
});

/* @st[execname, stack(), ustack()] = count(): kernel frames leaf first, user frames leaf first */
const stacks = (entries) => ({ type: 'aggregation', name: 'st', function: 'count', entries });

test('flame_add_builds_root_first_paths', () => {
	const t = KA.flameNew();
	KA.flameAdd(t, stacks([
		{ keys: ['toolwork', ['do_syscall_64+0x5c', 'entry_SYSCALL_64+0x6a'], ['toolwork`produce_byte+0x1c', 'toolwork`pipe_writer+0x40']], value: 3 },
		{ keys: ['toolwork', [], ['toolwork`spin_mix+0x4', 'toolwork`produce_byte+0x20', 'toolwork`pipe_writer+0x40']], value: 5 },
	]));
	eq(t.value, 8, 'total');
	const k = t.kids.get('key:toolwork');
	eq(k.value, 8, 'key frame');
	const w = k.kids.get('user:toolwork`pipe_writer');
	eq(w.value, 8, 'outermost user frame first, offsets gone');
	const p = w.kids.get('user:toolwork`produce_byte');
	eq([p.value, p.kids.get('user:toolwork`spin_mix').value], [8, 5], 'user chain');
	const e = p.kids.get('kernel:entry_SYSCALL_64');
	eq([e.value, e.kids.get('kernel:do_syscall_64').value], [3, 3], 'kernel frames after user, outermost first');
	KA.flameAdd(t, stacks([{ keys: ['toolwork', [], ['toolwork`pipe_writer']], value: 2 }]));
	eq([t.value, w.value], [10, 10], 'snapshots add up');
});

test('flame_add_sums_nanoseconds', () => {
	/* @st[execname, stack(), ustack()] = sum(off-CPU ns): the values add as they are */
	const t = KA.flameNew();
	const n = KA.flameAdd(t, { type: 'aggregation', name: 'st', function: 'sum', entries: [
		{ keys: ['tw_reader', ['vmlinux`schedule+0x3c', 'vmlinux`pipe_read+0x1a0'], ['toolwork`tw_reader+0x20']], value: 9500000 },
		{ keys: ['tw_reader', ['vmlinux`schedule+0x3c', 'vmlinux`do_nanosleep+0x80'], ['toolwork`tw_reader+0x20']], value: 500000 },
	] });
	eq(n, 10000000, 'total ns');
	const k = t.kids.get('key:tw_reader').kids.get('user:toolwork`tw_reader');
	eq(k.value, 10000000, 'user frame holds both');
	eq(k.kids.get('kernel:vmlinux`pipe_read').value, 9500000, 'pipe_read');
	eq(KA.fmtValue(t.value, 'ns'), '10ms', 'labelled as time');
});

test('flame_layout_widths_and_zoom', () => {
	const t = KA.flameNew();
	/* all 8.5 > main > {a 4.5 > {b 3, c 1.5}, d 4} */
	KA.flameAdd(t, stacks([
		{ keys: [[], ['b', 'a', 'main']], value: 3 },
		{ keys: [[], ['d', 'main']], value: 4 },
		{ keys: [[], ['c', 'a', 'main']], value: 1.5 },
	]));
	const f = (fr, n) => fr.find((x) => x.name === n);
	let fr = KA.flameLayout(t, [], 850);
	near(f(fr, 'a').w, 450, 'a width');
	near(f(fr, 'd').x, 450, 'd after a (sorted by name)');
	near(f(fr, 'c').x, 300, 'c after b');
	eq(f(fr, 'b').depth, 3, 'depth');
	fr = KA.flameLayout(t, f(fr, 'a').path, 850);
	near(f(fr, 'a').w, 850, 'zoomed frame full width');
	near(f(fr, 'b').w, 850 * 3 / 4.5, 'child scaled');
	eq(f(fr, 'd'), undefined, 'sibling not drawn');
	eq([f(fr, 'main').ancestor, f(fr, 'all').ancestor], [true, true], 'ancestors faded');
	near(KA.flameMatched(t, /^(a|b)$/), 4.5 / 8.5, 'nested match counted once');
	near(KA.flameMatched(t, /^(b|c)$/), 4.5 / 8.5, 'two matches');
});

test('timeline_spans_from_switches', () => {
	const tl = KA.timelineNew();
	/* tw_reader (110) runs 1000..3000 then sleeps (S) until 7000; tw_writer (111) runs 3000..5000, preempted */
	const lines = ['1000 0 0 0 110\tswapper/0\ttw_reader\n', '3000 0 110 1 111\ttw_reader\ttw_writer\n',
		'5000 0 111 0 0\ttw_writer\tswapper/0\n', '7000 0 0 0 110\tswapper/0\ttw_reader\n',
		'9000 1 110 2 0\ttw_reader\tswapper/1\n'];
	for (const l of lines)
		eq(KA.timelineAdd(tl, l), true, l);
	eq(KA.timelineAdd(tl, 'garbage'), false, 'bad line');
	const r = KA.timelineRows(tl, 10000, 10);
	eq(r.rows.map((x) => [x.name, x.on]), [['tw_reader', 4000], ['tw_writer', 2000]], 'rows by on-CPU time');
	eq(r.rows[0].spans.map((s) => [s.start, s.end, s.what]),
		[[1000, 3000, 'oncpu'], [3000, 7000, 'sleeping'], [7000, 9000, 'oncpu'], [9000, 9000, 'blocked']], 'reader spans');
	eq(r.rows[1].spans.map((s) => [s.start, s.end, s.what]), [[3000, 5000, 'oncpu'], [5000, 9000, 'runnable']], 'writer spans');
	const c = KA.timelineRows(tl, 3000, 10);
	eq(c.rows[0].spans[0].start, 6000, 'clipped to the window');
});

test('timeline_cpu_runs_one_thread', () => {
	const tl = KA.timelineNew();
	/* only switches involving 7 were recorded: 9 came in on CPU 0 at 2000, 7 at 5000 */
	KA.timelineAdd(tl, '1000 0 7 1 9\tr\tsh\n');
	KA.timelineAdd(tl, '5000 0 0 0 7\tswapper/0\tr\n');
	KA.timelineAdd(tl, '6000 1 8 1 5\tw\tx\n');
	const r = KA.timelineRows(tl, 10000, 10);
	const sh = r.rows.find((x) => x.name === 'sh');
	eq(sh.spans.map((s) => [s.start, s.end, s.what]), [[1000, 5000, 'oncpu']], 'sh ends when CPU 0 switches again');
	const x = r.rows.find((y) => y.name === 'x');
	eq(x.spans.map((s) => [s.start, s.end, s.what]), [[6000, 6000, 'oncpu']], 'x still on CPU 1 (open)');
});

test('feed_dispatches_by_view', () => {
	const p = { view: 'timeline', heat: KA.heatNew(), flame: KA.flameNew(), timeline: KA.timelineNew() };
	KA.feed(p, { seq: 1, t: 0, v: { type: 'record', data: [{ action: 'printf', output: '5 0 0 0 42\tswapper/0\tx\n' }] } });
	eq([...p.timeline.threads.keys()], [42], 'timeline record');
	p.view = 'heatmap';
	KA.feed(p, { seq: 2, t: 2000, v: quant([{ keys: [], buckets: [{ value: 2, count: 1 }] }]) });
	eq(p.heat.cols.get(2).get(2).n, 1, 'heat map snapshot');
	p.view = 'count';
	p.count = KA.countNew();
	KA.feed(p, { seq: 3, t: 3000, v: counts([{ keys: [7000], value: 3 }]) });
	eq([...p.count.cols.get(3)], [['7000', 3]], 'count snapshot');
});

console.log('KTAP version 1');
console.log(`1..${tests.length}`);
let fails = 0;
tests.forEach(([name, fn], i) => {
	try {
		fn();
		console.log(`ok ${i + 1} page_${name}`);
	} catch (e) {
		fails++;
		console.log(`# ${e.message}`);
		console.log(`not ok ${i + 1} page_${name}`);
	}
});
process.exit(fails ? 1 : 0);
