// SPDX-License-Identifier: GPL-2.0
/*
 * test_browser.sh's driver: headless Chromium (Debian's chromium) driven
 * over the DevTools protocol on a pipe (--remote-debugging-pipe: fd 3 in,
 * fd 4 out, NUL-terminated JSON), no network access but the page's.
 *
 *   node browser_driver.js URL SCREENSHOT.png
 *
 * Opens URL (the page, with add= instrumentations), waits (at most 90 s)
 * until every panel shows what the workload makes, clicks the heat map's
 * busiest cell, measures the update cost (CPU seconds of the server and of
 * each ktrace over 10 s, from /api/sessions), saves a screenshot and prints
 * one JSON object: {"checks": {...}, "cost": {...}, "errors": [...]}.
 */
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');

const [url, shot] = process.argv.slice(2);
const chrome = ['chromium', 'chromium-browser'].find((c) => {
	try {
		require('child_process').execFileSync('sh', ['-c', `command -v ${c}`], { stdio: 'ignore' });
		return true;
	} catch (e) {
		return false;
	}
});
const prof = fs.mkdtempSync('/tmp/ka-chrome.');
const proc = spawn(chrome, ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
	'--disable-background-networking', '--disable-component-update', '--disable-sync',
	'--disable-background-timer-throttling', '--disable-renderer-backgrounding',
	`--user-data-dir=${prof}`, '--window-size=1280,1500', '--remote-debugging-pipe', 'about:blank'],
	{ stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] });
const toChrome = proc.stdio[3], fromChrome = proc.stdio[4];
let nextId = 1, buf = '';
const waiting = new Map();
fromChrome.on('data', (d) => {
	buf += d.toString();
	let z;
	while ((z = buf.indexOf('\0')) >= 0) {
		const msg = JSON.parse(buf.slice(0, z));
		buf = buf.slice(z + 1);
		const w = waiting.get(msg.id);
		if (w) {
			waiting.delete(msg.id);
			if (msg.error)
				w.reject(new Error(`${w.method}: ${msg.error.message}`));
			else
				w.resolve(msg.result);
		}
	}
});
const send = (method, params, sessionId) => new Promise((resolve, reject) => {
	const id = nextId++;
	waiting.set(id, { resolve, reject, method });
	toChrome.write(JSON.stringify({ id, method, params: params || {}, sessionId }) + '\0');
});
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function main() {
	const out = { checks: {}, cost: {}, errors: [] };
	const { targetId } = await send('Target.createTarget', { url });
	const { sessionId } = await send('Target.attachToTarget', { targetId, flatten: true });
	const js = async (expr) => {
		const r = await send('Runtime.evaluate', { expression: expr, returnByValue: true, awaitPromise: true }, sessionId);
		if (r.exceptionDetails)
			throw new Error(`page: ${r.exceptionDetails.text} ${JSON.stringify(r.exceptionDetails.exception || {}).slice(0, 200)}`);
		return r.result.value;
	};
	/* what the panels show, read from the DOM */
	const state = `(() => {
		if (!document.body || !document.getElementById('error'))
			return { ready: null, error: '', panels: [], heat_rows: {}, frames: [], threads: [] };
		const q = (s) => [...document.querySelectorAll(s)];
		const heat = document.querySelector('.panel[data-metric=syscall_latency]'), flame = document.querySelector('.panel.flamegraph'),
			tl = document.querySelector('.panel.timeline'), cnt = document.querySelector('.panel.count'),
			util = document.querySelector('.panel[data-metric=cpu_utilization]');
		const rows = {}, keys = {}, urows = {}, ucols = {};
		for (const c of heat ? heat.querySelectorAll('rect.cell') : [])
			rows[c.getAttribute('data-low')] = (rows[c.getAttribute('data-low')] || 0) + +c.getAttribute('data-count');
		for (const r of cnt ? cnt.querySelectorAll('rect.seg') : [])
			keys[r.getAttribute('data-key')] = (keys[r.getAttribute('data-key')] || 0) + +r.getAttribute('data-count');
		for (const c of util ? util.querySelectorAll('rect.cell') : []) {
			urows[c.getAttribute('data-low')] = (urows[c.getAttribute('data-low')] || 0) + +c.getAttribute('data-count');
			ucols[c.getAttribute('data-sec')] = (ucols[c.getAttribute('data-sec')] || 0) + +c.getAttribute('data-count');
		}
		return {
			ready: document.body.getAttribute('data-ready'), error: document.getElementById('error').textContent,
			panels: q('.panel').map((p) => p.className + ':' + p.getAttribute('data-state') + ':' + p.querySelector('.state').textContent),
			heat_rows: rows, count_keys: keys, util_rows: urows, util_cols: ucols,
			frames: flame ? [...new Set([...flame.querySelectorAll('g.frame')].map((g) => g.getAttribute('data-kind') + ':' + g.getAttribute('data-name')))] : [],
			threads: tl ? [...tl.querySelectorAll('g.thread')].map((g) => g.getAttribute('data-name') + ':' + g.querySelectorAll('rect.span.oncpu').length) : [],
			timeline_info: tl ? tl.querySelector('.info').textContent : null,
		};
	})()`;
	let s, t0 = Date.now();
	for (;;) {
		s = await js(state);
		const rowsum = Object.values(s.heat_rows || {}).reduce((a, b) => a + b, 0);
		/* a kernel frame too: the writer's samples reach write() only now and then */
		const done = rowsum >= 100 && s.frames.some((f) => /produce_byte/.test(f)) &&
			s.frames.some((f) => f.startsWith('kernel:')) &&
			s.threads.some((t) => /^tw_reader:[1-9]/.test(t)) && (s.count_keys['/etc/hosts'] || 0) >= 5 &&
			Object.keys(s.util_cols).length >= 4;
		if (done || Date.now() - t0 > 90000)
			break;
		await sleep(1000);
	}
	out.state = s;
	/* the heat map: the band with the most reads */
	const rows = Object.entries(s.heat_rows).sort((a, b) => b[1] - a[1]);
	out.checks.heat_busiest_band_ns = rows.length ? +rows[0][0] : null;
	out.checks.heat_total = rows.reduce((a, r) => a + r[1], 0);
	out.checks.flame_workload_frame = s.frames.filter((f) => /produce_byte|pipe_writer|spin_mix/.test(f));
	out.checks.flame_kernel_frames = s.frames.filter((f) => f.startsWith('kernel:')).length;
	out.checks.flame_user_frames = s.frames.filter((f) => f.startsWith('user:')).length;
	out.checks.timeline_threads = s.threads.filter((t) => /^tw_/.test(t));
	/* click the busiest cell: its list names the workload */
	out.checks.cell_list = await js(`(() => {
		const cells = [...document.querySelectorAll('.panel.heatmap rect.cell')];
		if (!cells.length) return [];
		cells.sort((a, b) => b.getAttribute('data-count') - a.getAttribute('data-count'));
		cells[0].dispatchEvent(new MouseEvent('click', { bubbles: true }));
		return [...document.querySelectorAll('.panel.heatmap .cell-list li')].map((l) => l.textContent);
	})()`);
	/* the count view: files opened by the workload; a click lists a second's */
	out.checks.count_keys = s.count_keys;
	out.checks.count_list = await js(`(() => {
		const cols = [...document.querySelectorAll('.panel.count g.column')];
		if (!cols.length) return [];
		cols.sort((a, b) => b.getAttribute('data-total') - a.getAttribute('data-total'));
		cols[0].dispatchEvent(new MouseEvent('click', { bubbles: true }));
		return [...document.querySelectorAll('.panel.count .cell-list li')].map((l) => l.textContent);
	})()`);
	out.checks.count_legend = await js(`[...document.querySelectorAll('.panel.count g.legend')].map((g) => g.getAttribute('data-key'))`);
	/* the utilization heat map: CPUs counted by busy band, each CPU once a second */
	out.checks.util_rows = s.util_rows;
	out.checks.util_cols = s.util_cols;
	/* the flame graph: search and zoom work on live data */
	out.checks.flame_search = await js(`(() => {
		const p = document.querySelector('.panel.flamegraph');
		p.querySelector('input.search').value = '^produce_byte$|produce_byte';
		p.querySelector('button.search-go').click();
		return p.querySelector('.matched').textContent + ' ' + p.querySelectorAll('rect.match').length;
	})()`);
	/* update cost: CPU seconds over 10 s of wall time */
	const base = new URL(url).origin;
	const get = async () => (await fetch(`${base}/api/sessions`)).json();
	const a = await get(), ta = Date.now();
	await sleep(10000);
	const b = await get(), tb = Date.now();
	const wall = (tb - ta) / 1000;
	out.cost.wall_s = wall;
	out.cost.server_cpu_pct = +(100 * (b.server_cpu_s - a.server_cpu_s) / wall).toFixed(2);
	for (const sb of b.sessions) {
		const sa = a.sessions.find((x) => x.id === sb.id);
		if (sa && sa.ktrace_cpu_s >= 0 && sb.ktrace_cpu_s >= 0)
			out.cost[`ktrace_${sb.metric}_cpu_pct`] = +(100 * (sb.ktrace_cpu_s - sa.ktrace_cpu_s) / wall).toFixed(2);
	}
	out.sessions = b.sessions.map((x) => `${x.id} ${x.metric} ${x.state} pid ${x.ktrace_pid} lines ${x.lines} dropped ${x.dropped}`);
	const png = await send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true }, sessionId);
	fs.writeFileSync(shot, Buffer.from(png.data, 'base64'));
	return out;
}

const deadline = setTimeout(() => {
	console.log(JSON.stringify({ errors: ['driver timed out'] }));
	proc.kill('SIGKILL');
	process.exit(1);
}, 180000);
main().then((out) => {
	console.log(JSON.stringify(out));
}, (e) => {
	console.log(JSON.stringify({ errors: [e.message] }));
}).finally(async () => {
	clearTimeout(deadline);
	try {
		await Promise.race([send('Browser.close'), sleep(3000)]);
	} catch (e) { /* gone already */ }
	proc.kill('SIGKILL');
	fs.rmSync(prof, { recursive: true, force: true });
	process.exit(0);
});
