// SPDX-License-Identifier: GPL-2.0
/*
 * The host half of test_instr.sh: every instrumentation of
 * ktrace-analytics' template table (GET /api/metrics), started through the
 * HTTP API of the server in the guest against guest_serve.sh's workload
 * (toolwork pipe: tw_reader blocked on a pipe that tw_writer fills after
 * computing; a direct-read loop on /dev/nullb0; toolwork opening /etc/hosts
 * and making a TCP connection to 127.0.0.1:TCP_PORT, in loops).  For each metric: one
 * session per key (and "none", which also gets a predicate naming every
 * field of the metric, so every field's D is compiled and run); each must
 * start, send data whose entries have the key's shape and the workload's
 * values, and stop when asked.
 *
 *   node instr_driver.js BASE_URL TABLE_JSON
 * TABLE_JSON: the table the host's own build serves (the guest's must be
 * the same).  Prints one JSON line per instrumentation, then
 * {"done":true,"sessions":N}.
 */
'use strict';
const http = require('http');
const fs = require('fs');

const base = process.argv[2];
const hostTable = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'));
const NCPU = 2;			/* vm/run's default --cpus */
const DATA_WAIT_MS = 90000;	/* a ktrace starting under TCG: compile, enable */
const MAX_RUNNING = 4;
const TCP_PORT = 7390;		/* guest_serve.sh's connection loop */

/* the workload thread each metric sees: a string field is compared to it */
const workload = {
	syscall_latency: 'tw_reader',	/* blocked in read(2) on the pipe */
	offcpu_latency: 'tw_reader',	/* switched out while blocked */
	oncpu: 'tw_writer',		/* computes before each write */
	offcpu_stacks: 'tw_reader',	/* blocked in pipe_read: kernel and user stacks */
	threads: 'tw_reader',
	file_opens: 'toolwork',
};
/* a key's value the workload must show before a session counts as fitting */
const expect = {
	file: '/etc/hosts',
	direction: 'accept-established',
};

/*
 * requests that met a reset or refused connection and were tried again
 * (reported).  Refused: once, in a make check on a loaded 2-core host, the
 * forward of vm/run (QEMU's user network, its thread starved) refused a
 * connection mid-test; a guest that is really gone refuses the retries too.
 */
let retried = 0;
const transient = (e) => /ECONNRESET|ECONNREFUSED|socket hang up|EPIPE/.test(String(e && (e.code || e.message)));

function req1(method, path) {
	return new Promise((resolve, reject) => {
		/* a connection per request: a kept-alive one the server closes as
		 * idle can meet the next request (ECONNRESET) */
		const r = http.request(base + path, { method, timeout: 20000, agent: false }, (res) => {
			let body = '';
			res.setEncoding('utf8');
			res.on('data', (c) => { body += c; });
			res.on('end', () => {
				let json = null;
				try { json = JSON.parse(body); } catch (e) { /* reported below */ }
				resolve({ code: res.statusCode, body, json });
			});
		});
		r.on('timeout', () => r.destroy(new Error('timeout')));
		r.on('error', reject);
		r.end();
	});
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/*
 * GET and DELETE are idempotent: one whose connection was reset (the guest's
 * forward through QEMU's user network, a TCG guest under load) is tried again,
 * up to 3 times.  A POST is never blindly repeated (see startSession).
 */
async function req(method, path) {
	for (let i = 0; ; i++) {
		try {
			return await req1(method, path);
		} catch (e) {
			if (method === 'POST' || i >= 3 || !transient(e))
				throw e;
			retried++;
			await sleep(1000);
		}
	}
}

/* ids this driver started: a session found after a reset POST is adopted
 * only if no other instrumentation owns it */
const claimed = new Set();

/*
 * POST /api/sessions.  If the connection was reset, the server may or may
 * not have started the session: the list says which (a session of this
 * metric and key that nobody claimed); only if it has none is the POST sent
 * again.
 */
async function startSession(params) {
	for (let i = 0; ; i++) {
		try {
			const r = await req1('POST', `/api/sessions?${qs(params)}`);
			if (r.json && r.json.id > 0)
				claimed.add(r.json.id);
			return r;
		} catch (e) {
			if (i >= 3 || !transient(e))
				throw e;
			retried++;
			await sleep(1000);
			const l = await req('GET', '/api/sessions');
			const s = l.json && l.json.sessions.find((x) => !claimed.has(x.id) &&
				x.metric === params.metric && (x.key === params.key || (!x.key && params.key === 'none')));
			if (s) {
				claimed.add(s.id);
				return { code: 201, body: '', json: { id: s.id } };
			}
		}
	}
}
const qs = (o) => Object.entries(o).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');

/* the instrumentations: every key, and none with every field in a predicate */
function plan(table) {
	const out = [];
	for (const m of table.metrics) {
		const who = workload[m.name];
		const pred = m.fields.map((f) => (f.type === 'string' ? `${f.name} == "${who}"` :
			`${f.name} >= 0`)).join(' && ');
		out.push({ metric: m, key: null, pred });
		for (const k of m.keys)
			out.push({ metric: m, key: k, pred: '' });
	}
	return out;
}

/* why this line's data does not fit the instrumentation ('' if it does) */
function checkAgg(ins, v) {
	const m = ins.metric, k = ins.key, who = workload[m.name];
	if (v.type !== 'aggregation' || !Array.isArray(v.entries))
		return `not an aggregation: ${JSON.stringify(v).slice(0, 200)}`;
	const stacks = m.view === 'flamegraph' ? 2 : 0;
	const want = (k ? 1 : 0) + stacks;
	for (const e of v.entries) {
		if (!Array.isArray(e.keys) || e.keys.length !== want)
			return `entry keys ${JSON.stringify(e.keys).slice(0, 200)}: want ${want}`;
		if (stacks && !(Array.isArray(e.keys[want - 2]) && Array.isArray(e.keys[want - 1])))
			return `no kernel and user stacks: ${JSON.stringify(e.keys).slice(0, 200)}`;
		if (m.view === 'heatmap' && !(Array.isArray(e.buckets) && e.buckets.some((b) => b.count > 0)))
			return `no bucket counts: ${JSON.stringify(e).slice(0, 200)}`;
		if ((m.view === 'flamegraph' || m.view === 'count') && !(e.value > 0))
			return `no count: ${JSON.stringify(e).slice(0, 200)}`;
		if (!k)
			continue;
		const kv = e.keys[0];
		if (k.type === 'string' ? typeof kv !== 'string' || !kv : !Number.isInteger(kv) || kv < 0)
			return `key ${k.name} = ${JSON.stringify(kv)}: want a ${k.type}`;
		if (k.name === 'syscall' && kv !== 'read')
			return `syscall key ${kv}: only read was asked for`;
		if (k.name === 'cpu' && kv >= NCPU)
			return `cpu key ${kv}: the guest has ${NCPU}`;
		if (['pid', 'tid', 'device', 'lport', 'rport'].includes(k.name) && kv === 0)
			return `${k.name} key 0`;
		if (k.name === 'direction' && !/^(connect|accept)-established$/.test(kv))
			return `direction key ${kv}`;
	}
	if (k && expect[k.name] && !v.entries.some((e) => e.keys[0] === expect[k.name]))
		return '';	/* not yet */
	if (k && k.name === 'lport' && !v.entries.some((e) => e.keys[0] === TCP_PORT))
		return '';	/* the accepting side's port */
	/* the workload is there (none: the predicate kept only it) */
	if (k && k.name === 'execname' && who && !v.entries.some((e) => e.keys[0] === who))
		return '';	/* not yet: another snapshot may hold it */
	if (!k && who && m.view !== 'timeline' && !v.entries.length)
		return '';
	return null;
}

/* the data of one session so far: {ok, why} once decided, null meanwhile */
function judge(ins, lines) {
	const who = workload[ins.metric.name];
	for (const l of lines) {
		const v = l.v;
		if (ins.metric.view === 'timeline') {
			if (v.type !== 'record' && v.type !== 'record-continued')
				return { ok: false, why: `not a record: ${JSON.stringify(v).slice(0, 200)}` };
			/* "ts cpu prev_pid prev_state next_pid\tprev_comm\tnext_comm" */
			for (const d of v.data || []) {
				const f = String(d.output || '').split('\t');
				if (d.action !== 'printf' || f.length !== 3 || !/^\d+ \d+ \d+ -?\d+ \d+$/.test(f[0]))
					return { ok: false, why: `bad switch line ${JSON.stringify(d).slice(0, 200)}` };
				if (f[1] === who || f[2].trim() === who)
					return { ok: true };
			}
			continue;
		}
		if (!v.entries || !v.entries.length)
			continue;	/* an empty second */
		const why = checkAgg(ins, v);
		if (why === null)
			return { ok: true };
		if (why)
			return { ok: false, why };
	}
	return null;
}

async function runOne(ins) {
	const m = ins.metric.name, key = ins.key ? ins.key.name : 'none';
	const params = { metric: m, key };
	if (ins.metric.syscall)
		params.syscall = 'read';
	if (ins.pred)
		params.pred = ins.pred;
	const res = { metric: m, key, pred: ins.pred, ok: false };
	let r, t0 = Date.now();
	/* 429: no free session slot yet (stopped ones are released later) */
	while ((r = await startSession(params)).code === 429 && Date.now() - t0 < 180000)
		await sleep(2000);
	if (r.code !== 201 || !r.json || !(r.json.id > 0)) {
		res.why = `start: ${r.code} ${r.body.slice(0, 200)}`;
		return res;
	}
	const id = res.id = r.json.id;
	let since = 0, verdict = null, state = '';
	t0 = Date.now();
	while (!verdict && Date.now() - t0 < DATA_WAIT_MS) {
		await sleep(500);
		r = await req('GET', `/api/sessions/${id}?since=${since}`);
		if (r.code !== 200 || !r.json) {
			verdict = { ok: false, why: `data: ${r.code} ${r.body.slice(0, 200)}` };
			break;
		}
		state = r.json.state;
		const lines = r.json.lines || [];
		if (lines.length)
			since = lines[lines.length - 1].seq;
		verdict = judge(ins, lines);
		if (!verdict && state !== 'starting' && state !== 'running')
			verdict = { ok: false, why: `session ${state}: ${String(r.json.stderr).slice(0, 300)}` };
	}
	res.seconds = (Date.now() - t0) / 1000;
	if (!verdict)
		verdict = { ok: false, why: `no fitting data in ${DATA_WAIT_MS / 1000} s (state ${state})` };
	r = await req('DELETE', `/api/sessions/${id}`);
	const stopped = r.code === 200 && r.json && r.json.stopped === id;
	/* stopped: the server reaps its ktrace (no pid left) */
	let gone = false;
	for (t0 = Date.now(); stopped && !gone && Date.now() - t0 < 20000; await sleep(500)) {
		const l = await req('GET', '/api/sessions');
		const s = l.json && l.json.sessions.find((x) => x.id === id);
		gone = !!s && s.state === 'stopped' && s.ktrace_cpu_s < 0;
	}
	res.ok = verdict.ok && stopped && gone;
	res.why = !verdict.ok ? verdict.why : !stopped ? `stop: ${r.code} ${r.body.slice(0, 200)}` :
		!gone ? 'its ktrace still runs 20 s after the stop' : undefined;
	return res;
}

(async () => {
	const t = await req('GET', '/api/metrics');
	if (!t.json || JSON.stringify(t.json) !== JSON.stringify(hostTable)) {
		console.log(JSON.stringify({ table: false, why: t.body.slice(0, 300) }));
		return;
	}
	const plans = plan(t.json);
	let running = 0, next = 0, n = 0;
	await new Promise((done) => {
		const more = () => {
			while (running < MAX_RUNNING && next < plans.length) {
				running++;
				const ins = plans[next++];
				runOne(ins).catch((e) => ({ metric: ins.metric.name, key: ins.key ? ins.key.name : 'none',
							     ok: false, why: String(e) }))
					.then((res) => {
						console.log(JSON.stringify(res));
						n++;
						running--;
						if (n === plans.length)
							done();
						else
							more();
					});
			}
		};
		more();
	});
	console.log(JSON.stringify({ done: true, sessions: plans.length, retried }));
})();
