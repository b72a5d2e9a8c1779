// SPDX-License-Identifier: GPL-2.0
/*
 * ktrace-analytics' page.  The first half is pure functions over the data
 * the server relays (ktrace's --format json lines), unit-tested with node
 * (selftests/analytics/test_page.js): the heat map's cells, the flame
 * graph's tree and layout, the thread timeline's spans, the count view's
 * stacked columns.  The second half
 * drives the page: the instrumentation form, one panel per session, an
 * update every second, and the sessions stopped when the page goes away.
 */
(function (root) {
	'use strict';
	const KA = {};

	/* ------------------------------------------------ heat map --- */
	/*
	 * A heat map's rows.  quantize (step 0): bucket value 0, 1, 2, 4, ...
	 * -> row 0, 1, 2, 3, ...; lquantize (its step): value v -> row v / step.
	 */
	KA.bucketRow = (v, step) => (step ? Math.floor(v / step) : v <= 0 ? 0 : Math.round(Math.log2(v)) + 1);
	KA.rowLow = (r, step) => (step ? r * step : r === 0 ? 0 : 2 ** (r - 1));
	KA.rowHigh = (r, step) => (step ? (r + 1) * step : 2 * KA.rowLow(r) || 1);
	KA.fmtNs = (ns) => {
		const u = [[1e9, 's'], [1e6, 'ms'], [1e3, 'us']];
		for (const [d, n] of u)
			if (ns >= d)
				return `${+(ns / d).toPrecision(3)}${n}`;
		return `${ns}ns`;
	};
	KA.fmtBytes = (b) => {
		const u = [[2 ** 40, 'TiB'], [2 ** 30, 'GiB'], [2 ** 20, 'MiB'], [2 ** 10, 'KiB']];
		for (const [d, n] of u)
			if (b >= d)
				return `${+(b / d).toPrecision(3)}${n}`;
		return `${b}B`;
	};
	/* a heat map bucket's bound in the metric's yunit (ns, bytes or %) */
	KA.fmtY = (v, yunit) => (yunit === 'bytes' ? KA.fmtBytes(v) : yunit === '%' ? `${v}%` : KA.fmtNs(v));
	/* a flame graph's value in its metric's unit: nanoseconds as a time, else "N unit" */
	KA.fmtValue = (v, unit) => (unit === 'ns' ? KA.fmtNs(v) : `${v} ${unit || 'samples'}`);
	KA.keyText = (k) => (Array.isArray(k) ? k.join(';') : String(k));
	/* step: the metric's lquantize step (0: quantize) */
	KA.heatNew = (step) => ({ cols: new Map(), step: step || 0 });
	/* one aggregation snapshot (quantize or lquantize) arrived at tMs: into its second's column */
	KA.heatAdd = (heat, tMs, agg) => {
		if (!agg || agg.type !== 'aggregation' || agg.function !== (heat.step ? 'lquantize' : 'quantize'))
			return 0;
		const sec = Math.floor(tMs / 1000);
		let col = heat.cols.get(sec), n = 0;
		if (!col)
			heat.cols.set(sec, (col = new Map()));
		for (const e of agg.entries) {
			const key = e.keys.length ? e.keys.map(KA.keyText).join(', ') : '(all)';
			for (const b of e.buckets || []) {
				if (b.value < 0 || b.count <= 0)
					continue;
				const r = KA.bucketRow(b.value, heat.step);
				let cell = col.get(r);
				if (!cell)
					col.set(r, (cell = { n: 0, keys: new Map() }));
				cell.n += b.count;
				cell.keys.set(key, (cell.keys.get(key) || 0) + b.count);
				n += b.count;
			}
		}
		return n;
	};
	/* the last `width` seconds up to `now` (s): cells with column/row, and the row range */
	KA.heatCells = (heat, now, width) => {
		const cells = [];
		let lo = Infinity, hi = -Infinity, max = 0;
		for (const [sec, col] of heat.cols) {
			const x = width - 1 - (now - sec);
			if (x < 0 || x >= width)
				continue;
			for (const [r, c] of col) {
				cells.push({ x, sec, row: r, n: c.n, keys: c.keys });
				lo = Math.min(lo, r);
				hi = Math.max(hi, r);
				max = Math.max(max, c.n);
			}
		}
		return { cells, lo, hi, max };
	};
	KA.heatPrune = (heat, now, width) => {
		for (const sec of [...heat.cols.keys()])
			if (now - sec >= width)
				heat.cols.delete(sec);
	};
	KA.hashHue = (s) => {
		let h = 0;
		for (let i = 0; i < s.length; i++)
			h = (h * 31 + s.charCodeAt(i)) >>> 0;
		return h % 360;
	};
	/* a count's share of the scale, 0..1: linear, log or rank (among counts) */
	KA.scaled = (n, max, scale, ranks) => {
		if (max <= 0)
			return 0;
		if (scale === 'log')
			return Math.log1p(n) / Math.log1p(max);
		if (scale === 'rank') {
			const i = ranks.indexOf(n);
			return ranks.length > 1 ? i / (ranks.length - 1) : 1;
		}
		return n / max;
	};
	KA.cellColor = (f, hue) => `hsl(${hue},80%,${Math.round(92 - 57 * f)}%)`;
	KA.dominantKey = (keys) => {
		let best = null, bn = -1;
		for (const [k, n] of keys)
			if (n > bn || (n === bn && k < best)) {
				best = k;
				bn = n;
			}
		return best;
	};

	/* ------------------------------------------------- counts --- */
	/* a count() per key each second: one column per second, a segment per key */
	KA.countNew = () => ({ cols: new Map() });
	KA.countAdd = (cnt, tMs, agg) => {
		if (!agg || agg.type !== 'aggregation' || agg.function !== 'count')
			return 0;
		const sec = Math.floor(tMs / 1000);
		let col = cnt.cols.get(sec), n = 0;
		if (!col)
			cnt.cols.set(sec, (col = new Map()));
		for (const e of agg.entries) {
			if (!(e.value > 0))
				continue;
			const key = e.keys.length ? e.keys.map(KA.keyText).join(', ') : '(all)';
			col.set(key, (col.get(key) || 0) + e.value);
			n += e.value;
		}
		return n;
	};
	KA.countPrune = (cnt, now, width) => {
		for (const sec of [...cnt.cols.keys()])
			if (now - sec >= width)
				cnt.cols.delete(sec);
	};
	/*
	 * The last `width` seconds up to `now`: the `top` keys with the most in
	 * that window keep their own colour, the rest are one "(other)" segment.
	 * Columns: {x, sec, total, segs: [{key, n, y0}]} (segments bottom-up in
	 * the keys' order), max: the highest column.
	 */
	KA.countColumns = (cnt, now, width, top) => {
		const tot = new Map();
		for (const [sec, col] of cnt.cols)
			if (now - sec < width && sec <= now)
				for (const [k, n] of col)
					tot.set(k, (tot.get(k) || 0) + n);
		const ranked = [...tot].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
		const keys = ranked.slice(0, top).map(([k]) => k);
		if (ranked.length > top)
			keys.push('(other)');
		const cols = [];
		let max = 0;
		for (const [sec, col] of cnt.cols) {
			const x = width - 1 - (now - sec);
			if (x < 0 || x >= width)
				continue;
			const by = new Map();
			for (const [k, n] of col) {
				const kk = keys.includes(k) && k !== '(other)' ? k : '(other)';
				by.set(kk, (by.get(kk) || 0) + n);
			}
			let y0 = 0;
			const segs = [];
			for (const k of keys)
				if (by.get(k)) {
					segs.push({ key: k, n: by.get(k), y0 });
					y0 += by.get(k);
				}
			cols.push({ x, sec, total: y0, segs });
			max = Math.max(max, y0);
		}
		cols.sort((a, b) => a.x - b.x);
		return { cols, keys, max };
	};

	/* --------------------------------------------- flame graph --- */
	KA.flameNew = () => ({ name: 'all', kind: 'root', value: 0, kids: new Map() });
	KA.frameName = (f) => String(f).replace(/\+0x[0-9a-f]+$/, '');
	/* an aggregation of @[key?, stack(), ustack()] = count(): every sample into the tree */
	KA.flameAdd = (tree, agg) => {
		if (!agg || agg.type !== 'aggregation')
			return 0;
		let n = 0;
		for (const e of agg.entries) {
			const path = [], stacks = e.keys.filter(Array.isArray);
			for (const k of e.keys)
				if (!Array.isArray(k))
					path.push([String(k), 'key']);
			/* root first: user frames (outermost last in ustack), then kernel */
			if (stacks[1])
				for (const f of stacks[1].slice().reverse())
					path.push([KA.frameName(f), 'user']);
			if (stacks[0])
				for (const f of stacks[0].slice().reverse())
					path.push([KA.frameName(f), 'kernel']);
			let node = tree;
			tree.value += e.value;
			for (const [name, kind] of path) {
				const id = `${kind}:${name}`;
				let kid = node.kids.get(id);
				if (!kid)
					node.kids.set(id, (kid = { name, kind, value: 0, kids: new Map() }));
				kid.value += e.value;
				node = kid;
			}
			n += e.value;
		}
		return n;
	};
	/*
	 * Frames as rectangles, root at depth 0: zoom is a list of frame ids from
	 * the root; the zoomed frame takes the full width, its ancestors too
	 * (drawn faded), everything else outside it is not drawn.  Children are
	 * sorted by name, as in ktrace-flamegraph.
	 */
	KA.flameLayout = (tree, zoom, width, minw) => {
		const out = [];
		let node = tree, depth = 0;
		const chain = [tree];
		for (const id of zoom || []) {
			const k = node.kids.get(id);
			if (!k)
				break;
			chain.push(k);
			node = k;
		}
		for (const a of chain.slice(0, -1))
			out.push({ name: a.name, kind: a.kind, value: a.value, x: 0, w: width, depth: depth++,
				   ancestor: true, path: chain.slice(1, depth).map((c) => `${c.kind}:${c.name}`) });
		const walk = (n, x, w, d, path) => {
			if (w < (minw || 0))
				return;
			out.push({ name: n.name, kind: n.kind, value: n.value, x, w, depth: d, ancestor: false, path });
			let cx = x;
			const kids = [...n.kids.entries()].sort((a, b) => (a[1].name < b[1].name ? -1 : a[1].name > b[1].name));
			for (const [id, k] of kids) {
				const kw = n.value ? (w * k.value) / n.value : 0;
				walk(k, cx, kw, d + 1, path.concat([id]));
				cx += kw;
			}
		};
		walk(node, 0, width, depth, chain.slice(1).map((c) => `${c.kind}:${c.name}`));
		return out;
	};
	/* the share of samples in frames matching re (nested matches counted once) */
	KA.flameMatched = (tree, re) => {
		const walk = (n) => {
			if (n.kind !== 'root' && re.test(n.name))
				return n.value;
			let s = 0;
			for (const k of n.kids.values())
				s += walk(k);
			return s;
		};
		return tree.value ? walk(tree) / tree.value : 0;
	};

	/* ------------------------------------------------ timeline --- */
	KA.timelineNew = () => ({ threads: new Map(), cpus: new Map(), last: 0, n: 0 });
	/* a record "ts cpu prev_tid prev_state next_tid\tprev_comm\tnext_comm" */
	KA.timelineAdd = (tl, text) => {
		const m = /^(\d+) (\d+) (\d+) (-?\d+) (\d+)\t([^\t]*)\t([^\t\n]*)\n?$/.exec(text);
		if (!m)
			return false;
		const ts = Number(m[1]), cpu = +m[2], prev = +m[3], st = +m[4], next = +m[5];
		const thr = (tid, name) => {
			let t = tl.threads.get(tid);
			if (!t)
				tl.threads.set(tid, (t = { tid, name, spans: [], open: null }));
			t.name = name;
			return t;
		};
		const close = (t) => {
			if (t.open && ts > t.open.start)
				t.spans.push({ start: t.open.start, end: ts, what: t.open.what, cpu: t.open.cpu });
			t.open = null;
		};
		/*
		 * A CPU runs one thread: whoever was switched in here last is off it
		 * now, even if its own switch-out was not recorded (a predicate
		 * keeps only some switches)
		 */
		const was = tl.threads.get(tl.cpus.get(cpu));
		if (was && was.tid !== prev && was.open && was.open.what === 'oncpu' && was.open.cpu === cpu)
			close(was);
		tl.cpus.set(cpu, next);
		if (prev) {
			const p = thr(prev, m[6]);
			close(p);
			p.open = { start: ts, what: KA.stateWhat(st), cpu };
		}
		if (next) {
			const n = thr(next, m[7]);
			close(n);
			n.open = { start: ts, what: 'oncpu', cpu };
		}
		tl.last = Math.max(tl.last, ts);
		tl.n++;
		return true;
	};
	/* off-CPU kinds from sched_switch's prev_state */
	KA.stateWhat = (st) => ((st & 0xff) === 0 ? 'runnable' : (st & 2) ? 'blocked' : 'sleeping');
	/* spans within [now - win, now] ns, open ones up to now; rows by on-CPU time */
	KA.timelineRows = (tl, win, maxRows) => {
		const now = tl.last, from = now - win, rows = [];
		for (const t of tl.threads.values()) {
			t.spans = t.spans.filter((s) => s.end > from - win);
			const spans = t.spans.filter((s) => s.end > from).map((s) => Object.assign({}, s));
			if (t.open)
				spans.push({ start: t.open.start, end: now, what: t.open.what, cpu: t.open.cpu });
			let on = 0;
			for (const s of spans) {
				s.start = Math.max(s.start, from);
				if (s.what === 'oncpu')
					on += s.end - s.start;
			}
			if (spans.length)
				rows.push({ tid: t.tid, name: t.name, on, spans });
		}
		rows.sort((a, b) => b.on - a.on || a.tid - b.tid);
		return { from, now, rows: rows.slice(0, maxRows) };
	};

	/* a line the server relays: {"seq","t","v": ktrace's JSON object} */
	KA.feed = (panel, line) => {
		const v = line.v;
		if (panel.view === 'heatmap')
			return KA.heatAdd(panel.heat, line.t, v);
		if (panel.view === 'flamegraph')
			return KA.flameAdd(panel.flame, v);
		if (panel.view === 'count')
			return KA.countAdd(panel.count, line.t, v);
		if (v.type === 'record' || v.type === 'record-continued')
			for (const d of v.data || [])
				if (d.action === 'printf')
					KA.timelineAdd(panel.timeline, d.output);
		return 0;
	};

	if (typeof module !== 'undefined' && module.exports)
		module.exports = KA;
	else
		root.KA = KA;
	if (typeof document === 'undefined')
		return;

	/* ------------------------------------------------ the page --- */
	const SVGNS = 'http://www.w3.org/2000/svg';
	const $ = (id) => document.getElementById(id);
	const el = (tag, attrs, text) => {
		const e = tag.startsWith('svg:') ? document.createElementNS(SVGNS, tag.slice(4)) : document.createElement(tag);
		for (const k in attrs || {})
			e.setAttribute(k, attrs[k]);
		if (text !== undefined)
			e.textContent = text;
		return e;
	};
	const panels = new Map();
	let metrics = [];
	const HEAT_W = 60, CELL_W = 10, CELL_H = 12, FLAME_W = 900, FRAME_H = 16, TL_W = 900, TL_ROW = 16;
	const COUNT_H = 160, COUNT_TOP = 8;

	async function api(method, path) {
		const r = await fetch(path, { method });
		const body = await r.json().catch(() => ({ error: `HTTP ${r.status}` }));
		if (!r.ok)
			throw new Error(body.error || `HTTP ${r.status}`);
		return body;
	}
	const showError = (msg) => {
		$('error').textContent = msg || '';
	};

	function fillKeys() {
		const m = metrics.find((x) => x.name === $('metric').value);
		const key = $('key');
		key.textContent = '';
		key.appendChild(el('option', { value: 'none' }, 'none'));
		for (const k of m.keys)
			key.appendChild(el('option', { value: k.name }, k.name));
		$('syscall-row').hidden = !m.syscall;
		$('fields').textContent = `fields: ${m.fields.map((f) => f.name).join(', ')}`;
	}

	async function addQuery(q) {
		const m = metrics.find((x) => x.name === q.get('metric'));
		try {
			const r = await api('POST', `/api/sessions?${q}`);
			showError('');
			addPanel(r.id, m, q.get('key') || 'none', q.get('pred') || '', q.get('syscall') || '');
		} catch (e) {
			showError(e.message);
		}
	}

	function addInstrumentation(ev) {
		ev.preventDefault();
		const q = new URLSearchParams({ metric: $('metric').value, key: $('key').value });
		if ($('pred').value.trim())
			q.set('pred', $('pred').value.trim());
		const m = metrics.find((x) => x.name === $('metric').value);
		if (m.syscall && $('syscall').value.trim())
			q.set('syscall', $('syscall').value.trim());
		return addQuery(q);
	}

	function addPanel(id, m, key, pred, sc) {
		const div = el('div', { class: `panel ${m.view}`, id: `panel-${id}`, 'data-id': id, 'data-metric': m.name });
		const head = el('div', { class: 'head' });
		head.appendChild(el('span', { class: 'title' },
			`#${id} ${m.name}${sc ? `(${sc})` : ''} by ${key}${pred ? ` where ${pred}` : ''}`));
		const state = el('span', { class: 'state' }, 'starting');
		head.appendChild(state);
		const stop = el('button', { class: 'stop' }, 'Stop');
		stop.addEventListener('click', () => stopPanel(id));
		head.appendChild(stop);
		div.appendChild(head);
		const p = { id, view: m.view, unit: m.unit, yunit: m.yunit, div, state, seq: 0, stopped: false,
			    heat: KA.heatNew(m.ystep), count: KA.countNew(), flame: KA.flameNew(), timeline: KA.timelineNew(), zoom: [], search: null,
			    scale: 'log', hue: false };
		const body = el('div', { class: 'body' });
		div.appendChild(body);
		if (m.view === 'heatmap')
			heatControls(p, body);
		else if (m.view === 'flamegraph')
			flameControls(p, body);
		p.svg = el('svg:svg', { class: 'view', width: 10, height: 10 });
		body.appendChild(p.svg);
		p.info = el('div', { class: 'info' });
		body.appendChild(p.info);
		$('panels').prepend(div);
		panels.set(id, p);
	}

	function heatControls(p, body) {
		const c = el('div', { class: 'controls' });
		const scale = el('select', { class: 'scale' });
		for (const s of ['log', 'linear', 'rank'])
			scale.appendChild(el('option', { value: s }, `colour: ${s}`));
		scale.addEventListener('change', () => { p.scale = scale.value; draw(p); });
		const hue = el('input', { type: 'checkbox', class: 'hue' });
		hue.addEventListener('change', () => { p.hue = hue.checked; draw(p); });
		const lab = el('label', {}, ' hue by key');
		lab.prepend(hue);
		c.append(scale, lab);
		body.appendChild(c);
	}

	function flameControls(p, body) {
		const c = el('div', { class: 'controls' });
		const re = el('input', { type: 'text', class: 'search', placeholder: 'regular expression' });
		const go = el('button', { class: 'search-go' }, 'Search');
		const reset = el('button', { class: 'reset-zoom' }, 'Reset zoom');
		const clear = el('button', { class: 'reset-data' }, 'Reset data');
		p.matched = el('span', { class: 'matched' });
		go.addEventListener('click', () => {
			try {
				p.search = re.value ? new RegExp(re.value) : null;
				showError('');
			} catch (e) {
				showError(`search: ${e.message}`);
			}
			draw(p);
		});
		reset.addEventListener('click', () => { p.zoom = []; draw(p); });
		clear.addEventListener('click', () => { p.flame = KA.flameNew(); p.zoom = []; draw(p); });
		c.append(re, go, reset, clear, p.matched);
		body.appendChild(c);
	}

	function drawHeat(p) {
		/* the server's clock (the lines' arrival times), not the browser's */
		const now = Math.floor((Date.now() + (p.skew || 0)) / 1000);
		KA.heatPrune(p.heat, now, HEAT_W);
		const { cells, lo, hi, max } = KA.heatCells(p.heat, now, HEAT_W);
		const rows = cells.length ? hi - lo + 1 : 0, svg = p.svg, left = 60;
		svg.textContent = '';
		svg.setAttribute('width', left + HEAT_W * CELL_W + 10);
		svg.setAttribute('height', rows * CELL_H + 30);
		const ranks = [...new Set(cells.map((c) => c.n))].sort((a, b) => a - b);
		for (let r = lo; r <= hi && rows; r++)
			if ((r - lo) % 2 === 0 || rows < 12)
				svg.appendChild(el('svg:text', { x: left - 4, y: (hi - r) * CELL_H + CELL_H - 2, class: 'axis', 'text-anchor': 'end' },
					KA.fmtY(KA.rowLow(r, p.heat.step), p.yunit)));
		svg.appendChild(el('svg:text', { x: left, y: rows * CELL_H + 20, class: 'axis' }, `${HEAT_W} s ago`));
		svg.appendChild(el('svg:text', { x: left + HEAT_W * CELL_W, y: rows * CELL_H + 20, class: 'axis', 'text-anchor': 'end' }, 'now'));
		for (const c of cells) {
			const f = KA.scaled(c.n, max, p.scale, ranks);
			const hue = p.hue ? KA.hashHue(KA.dominantKey(c.keys)) : 20;
			const rect = el('svg:rect', { class: 'cell', x: left + c.x * CELL_W, y: (hi - c.row) * CELL_H,
				width: CELL_W - 1, height: CELL_H - 1, fill: KA.cellColor(f, hue),
				'data-sec': c.sec, 'data-low': KA.rowLow(c.row, p.heat.step), 'data-count': c.n });
			rect.appendChild(el('svg:title', {}, `${bandText(p, c.row)}: ${c.n}`));
			rect.addEventListener('click', () => showCell(p, c));
			svg.appendChild(rect);
		}
	}

	/* a row's band: "1ms..2ms", "80%..90%" */
	function bandText(p, r) {
		const s = p.heat.step;
		return `${KA.fmtY(KA.rowLow(r, s), p.yunit)}..${KA.fmtY(KA.rowHigh(r, s), p.yunit)}`;
	}

	function showCell(p, c) {
		p.info.textContent = '';
		p.info.appendChild(el('div', { class: 'cell-head' },
			`${new Date(c.sec * 1000).toLocaleTimeString()}, ${bandText(p, c.row)}: ${c.n} ${p.unit}`));
		const ul = el('ul', { class: 'cell-list' });
		for (const [k, n] of [...c.keys].sort((a, b) => b[1] - a[1]))
			ul.appendChild(el('li', { 'data-key': k }, `${k}: ${n}`));
		p.info.appendChild(ul);
	}

	function drawCount(p) {
		const now = Math.floor((Date.now() + (p.skew || 0)) / 1000);
		KA.countPrune(p.count, now, HEAT_W);
		const { cols, keys, max } = KA.countColumns(p.count, now, HEAT_W, COUNT_TOP), svg = p.svg, left = 60;
		const legendY = COUNT_H + 30, hue = (k) => (k === '(other)' ? 0 : KA.hashHue(k));
		const fill = (k) => (k === '(other)' ? 'hsl(0,0%,70%)' : `hsl(${hue(k)},65%,55%)`);
		const y = (v) => COUNT_H - (max ? (v / max) * COUNT_H : 0);
		svg.textContent = '';
		svg.setAttribute('width', left + HEAT_W * CELL_W + 10);
		svg.setAttribute('height', legendY + keys.length * 14 + 6);
		svg.appendChild(el('svg:text', { x: left - 4, y: 10, class: 'axis', 'text-anchor': 'end' }, `${max}/s`));
		svg.appendChild(el('svg:text', { x: left - 4, y: COUNT_H, class: 'axis', 'text-anchor': 'end' }, '0'));
		svg.appendChild(el('svg:text', { x: left, y: COUNT_H + 16, class: 'axis' }, `${HEAT_W} s ago`));
		svg.appendChild(el('svg:text', { x: left + HEAT_W * CELL_W, y: COUNT_H + 16, class: 'axis', 'text-anchor': 'end' }, 'now'));
		for (const c of cols) {
			const g = el('svg:g', { class: 'column', 'data-sec': c.sec, 'data-total': c.total });
			for (const sg of c.segs) {
				const r = el('svg:rect', { class: 'seg', x: left + c.x * CELL_W, y: y(sg.y0 + sg.n), width: CELL_W - 1,
					height: Math.max(y(sg.y0) - y(sg.y0 + sg.n), 0.5), fill: fill(sg.key), 'data-key': sg.key, 'data-count': sg.n });
				r.appendChild(el('svg:title', {}, `${sg.key}: ${sg.n}`));
				g.appendChild(r);
			}
			g.addEventListener('click', () => showColumn(p, c));
			svg.appendChild(g);
		}
		keys.forEach((k, i) => {
			const g = el('svg:g', { class: 'legend', 'data-key': k });
			g.appendChild(el('svg:rect', { x: left, y: legendY + i * 14 - 9, width: 10, height: 10, fill: fill(k) }));
			g.appendChild(el('svg:text', { x: left + 14, y: legendY + i * 14, class: 'axis' }, k));
			svg.appendChild(g);
		});
		if (!p.picked)
			p.info.textContent = `${cols.reduce((a, c) => a + c.total, 0)} ${p.unit} in the last ${HEAT_W} s`;
	}

	function showColumn(p, c) {
		p.picked = true;
		p.info.textContent = '';
		p.info.appendChild(el('div', { class: 'cell-head' },
			`${new Date(c.sec * 1000).toLocaleTimeString()}: ${c.total} ${p.unit}`));
		const ul = el('ul', { class: 'cell-list' });
		for (const [k, n] of [...p.count.cols.get(c.sec) || []].sort((a, b) => b[1] - a[1]))
			ul.appendChild(el('li', { 'data-key': k }, `${k}: ${n}`));
		p.info.appendChild(ul);
	}

	function drawFlame(p) {
		const frames = KA.flameLayout(p.flame, p.zoom, FLAME_W, 0.5);
		const depth = frames.reduce((d, f) => Math.max(d, f.depth), 0) + 1, svg = p.svg;
		svg.textContent = '';
		svg.setAttribute('width', FLAME_W);
		svg.setAttribute('height', depth * FRAME_H + 4);
		for (const f of frames) {
			const g = el('svg:g', { class: `frame ${f.kind}${f.ancestor ? ' ancestor' : ''}`, 'data-name': f.name, 'data-kind': f.kind });
			const hit = p.search && f.kind !== 'root' && p.search.test(f.name);
			g.appendChild(el('svg:rect', { x: f.x, y: (depth - 1 - f.depth) * FRAME_H, width: Math.max(f.w - 0.5, 0.5),
				height: FRAME_H - 1, class: hit ? 'match' : f.kind }));
			if (f.w > 30)
				g.appendChild(el('svg:text', { x: f.x + 3, y: (depth - 1 - f.depth) * FRAME_H + FRAME_H - 4 },
					f.name.slice(0, Math.floor(f.w / 7))));
			g.appendChild(el('svg:title', {}, `${f.name} (${f.kind}, ${KA.fmtValue(f.value, p.unit)}, ${(100 * f.value / (p.flame.value || 1)).toFixed(1)}%)`));
			g.addEventListener('click', () => { p.zoom = f.path; draw(p); });
			svg.appendChild(g);
		}
		p.matched.textContent = p.search ? `Matched: ${(100 * KA.flameMatched(p.flame, p.search)).toFixed(1)}%` : '';
		p.info.textContent = `total: ${KA.fmtValue(p.flame.value, p.unit)}`;
	}

	function drawTimeline(p) {
		const WIN = 10e9, { from, now, rows } = KA.timelineRows(p.timeline, WIN, 100), svg = p.svg, left = 160;
		const x = (t) => left + ((t - from) / (now - from || 1)) * (TL_W - left);
		svg.textContent = '';
		svg.setAttribute('width', TL_W);
		svg.setAttribute('height', rows.length * TL_ROW + 20);
		rows.forEach((r, i) => {
			const g = el('svg:g', { class: 'thread', 'data-tid': r.tid, 'data-name': r.name });
			g.appendChild(el('svg:text', { x: 2, y: i * TL_ROW + TL_ROW - 4, class: 'label' }, `${r.name} (${r.tid})`));
			for (const s of r.spans) {
				const rect = el('svg:rect', { class: `span ${s.what}`, x: x(s.start), y: i * TL_ROW + 2,
					width: Math.max(x(s.end) - x(s.start), 0.5), height: TL_ROW - 4 });
				rect.appendChild(el('svg:title', {}, `${r.name} ${s.what} ${KA.fmtNs(s.end - s.start)}${s.what === 'oncpu' ? ` on CPU ${s.cpu}` : ''}`));
				g.appendChild(rect);
			}
			svg.appendChild(g);
		});
		svg.appendChild(el('svg:text', { x: left, y: rows.length * TL_ROW + 16, class: 'axis' }, '10 s ago'));
		p.info.textContent = `${p.timeline.n} switches, ${rows.length} threads shown`;
		svg.appendChild(el('svg:text', { x: TL_W - 2, y: rows.length * TL_ROW + 16, class: 'axis', 'text-anchor': 'end' }, 'latest switch'));
	}

	function draw(p) {
		if (p.view === 'heatmap')
			drawHeat(p);
		else if (p.view === 'flamegraph')
			drawFlame(p);
		else if (p.view === 'count')
			drawCount(p);
		else
			drawTimeline(p);
	}

	async function poll(p) {
		try {
			const d = await api('GET', `/api/sessions/${p.id}?since=${p.seq}`);
			for (const line of d.lines) {
				p.skew = line.t - Date.now();
				KA.feed(p, line);
				p.seq = Math.max(p.seq, line.seq);
			}
			p.state.textContent = d.state + (d.dropped ? ` (${d.dropped} lines dropped)` : '');
			p.div.setAttribute('data-state', d.state);
			if (d.state === 'failed' || d.state === 'stopped') {
				p.stopped = true;
				if (d.stderr)
					p.state.textContent += `: ${d.stderr}`;
			}
			draw(p);
		} catch (e) {
			p.state.textContent = e.message;
			p.stopped = true;
		}
	}

	async function stopPanel(id) {
		const p = panels.get(id);
		try {
			await api('DELETE', `/api/sessions/${id}`);
		} catch (e) {
			showError(e.message);
		}
		if (p)
			await poll(p);
	}

	async function tick() {
		for (const p of panels.values())
			if (!p.stopped)
				await poll(p);
		document.body.setAttribute('data-updated', String(Date.now()));
	}

	async function start() {
		try {
			metrics = (await api('GET', '/api/metrics')).metrics;
		} catch (e) {
			showError(`cannot load the metrics: ${e.message}`);
			return;
		}
		for (const m of metrics)
			$('metric').appendChild(el('option', { value: m.name }, `${m.name}: ${m.title}`));
		$('metric').addEventListener('change', fillKeys);
		fillKeys();
		$('form').addEventListener('submit', addInstrumentation);
		/* the page goes away: its sessions stop (the server also stops idle ones) */
		window.addEventListener('pagehide', () => {
			for (const p of panels.values())
				if (!p.stopped)
					navigator.sendBeacon(`/api/sessions/${p.id}/stop`);
		});
		/* ?add=metric%3D...: instrumentations to start, as from the form */
		for (const q of new URLSearchParams(location.search).getAll('add'))
			await addQuery(new URLSearchParams(q));
		setInterval(tick, 1000);
		document.body.setAttribute('data-ready', '1');
	}
	document.addEventListener('DOMContentLoaded', start);
})(this);
