// SPDX-License-Identifier: GPL-2.0
/*
 * A check of Chrome trace-event JSON (the format ktrace-timeline writes) by
 * its specification (the "Trace Event Format" document): run by node on the
 * host.
 *
 *   node trace_event_check.js FILE     prints "valid" and a summary (JSON) on
 *                                      the second line, or the errors; exit 0/1
 *
 * Checked: the object form ({"traceEvents": [...]}, displayTimeUnit ms|ns);
 * every event has a known phase, a string name, integer pid/tid, a finite
 * ts >= 0 (not metadata); complete events ("X") a dur >= 0; metadata ("M")
 * is process_name/thread_name/..._sort_index with args.name (or sort_index);
 * flow events ("s"/"t"/"f") an id, every "f" has its "s" (same cat and id,
 * not later), and each binds to an "X" slice of its thread (the "s" to one
 * enclosing its ts, the "f" with bp "e" to one enclosing its ts, else the next
 * slice starting after); the "X" slices of one thread nest (a slice that
 * starts inside another ends inside it), as viewers require.
 *
 * The summary, per thread ("pid/tid"): name, process name, the number of
 * running slices, per slice name the count and min/max duration (us), flows
 * in and out (with the peer thread names).
 */
'use strict';

const PHASES = new Set(['B', 'E', 'X', 'i', 'I', 'C', 'b', 'n', 'e', 's', 't', 'f', 'M',
	'P', 'O', 'N', 'D', 'R', 'c']);
const META = new Set(['process_name', 'process_labels', 'process_sort_index',
	'thread_name', 'thread_sort_index']);

function check(doc) {
	const errs = [];
	const err = (i, m) => { if (errs.length < 50) errs.push(`event ${i}: ${m}`); };
	let evs = doc;

	if (!Array.isArray(doc)) {
		if (doc === null || typeof doc !== 'object' || !Array.isArray(doc.traceEvents))
			return { errs: ['not a trace: neither an array nor an object with traceEvents[]'] };
		if ('displayTimeUnit' in doc && !['ms', 'ns'].includes(doc.displayTimeUnit))
			errs.push(`displayTimeUnit '${doc.displayTimeUnit}' is neither ms nor ns`);
		evs = doc.traceEvents;
	}
	const tracks = new Map();	/* "pid/tid" -> { slices: [], names... } */
	const track = (e) => {
		const k = `${e.pid}/${e.tid}`;
		if (!tracks.has(k))
			tracks.set(k, { pid: e.pid, tid: e.tid, name: null, slices: [], flows: [] });
		return tracks.get(k);
	};
	const pnames = new Map();
	const starts = new Map();
	evs.forEach((e, i) => {
		if (e === null || typeof e !== 'object')
			return err(i, 'not an object');
		if (!PHASES.has(e.ph))
			return err(i, `unknown phase ${JSON.stringify(e.ph)}`);
		if (typeof e.name !== 'string')
			err(i, 'name is not a string');
		for (const f of ['pid', 'tid'])
			if (!Number.isInteger(e[f]) || e[f] < 0)
				err(i, `${f} ${JSON.stringify(e[f])} is not an integer >= 0`);
		if (e.ph === 'M') {
			if (!META.has(e.name))
				err(i, `unknown metadata ${e.name}`);
			else if (e.name.endsWith('_name') && typeof (e.args || {}).name !== 'string')
				err(i, `${e.name} without args.name`);
			if (e.name === 'thread_name')
				track(e).name = e.args.name;
			if (e.name === 'process_name')
				pnames.set(e.pid, e.args.name);
			return;
		}
		if (typeof e.ts !== 'number' || !isFinite(e.ts) || e.ts < 0)
			return err(i, `ts ${JSON.stringify(e.ts)} is not a number >= 0`);
		if (e.ph === 'X') {
			if (typeof e.dur !== 'number' || !isFinite(e.dur) || e.dur < 0)
				return err(i, `dur ${JSON.stringify(e.dur)} is not a number >= 0`);
			track(e).slices.push({ i, name: e.name, cat: e.cat, ts: e.ts, end: e.ts + e.dur, dur: e.dur });
		}
		if (e.ph === 's' || e.ph === 't' || e.ph === 'f') {
			if (e.id === undefined)
				return err(i, 'flow event without id');
			if (e.ph !== 'f' && 'bp' in e)
				err(i, 'bp on a flow start/step');
			if (e.ph === 'f' && 'bp' in e && e.bp !== 'e')
				err(i, `bp ${JSON.stringify(e.bp)} is not "e"`);
			const k = `${e.cat}/${e.id}`;
			if (e.ph === 's') {
				if (starts.has(k))
					err(i, `flow ${k} started twice`);
				starts.set(k, { i, e, ended: false });
			}
			track(e).flows.push({ i, e });
		}
	});
	const eps = 1e-6;
	/* nesting, per thread: sorted by start, longer first */
	for (const t of tracks.values()) {
		t.slices.sort((a, b) => a.ts - b.ts || b.dur - a.dur);
		const stack = [];
		for (const s of t.slices) {
			while (stack.length && stack[stack.length - 1].end <= s.ts + eps)
				stack.pop();
			const top = stack[stack.length - 1];
			if (top && s.end > top.end + eps)
				err(s.i, `slice ${s.name} [${s.ts}, ${s.end}] overlaps ${top.name} [${top.ts}, ${top.end}] on ${t.pid}/${t.tid} without nesting`);
			stack.push(s);
		}
	}
	const enclosing = (t, ts) => t && t.slices.some((s) => s.ts <= ts + eps && ts <= s.end + eps);
	const after = (t, ts) => t && t.slices.some((s) => s.ts >= ts - eps);
	const peers = [];
	for (const t of tracks.values()) {
		for (const { i, e } of t.flows) {
			if (e.ph === 's' && !enclosing(t, e.ts))
				err(i, `flow start ${e.id} at ${e.ts} is in no slice of ${t.pid}/${t.tid}`);
			if (e.ph !== 'f')
				continue;
			const st = starts.get(`${e.cat}/${e.id}`);
			if (!st) {
				err(i, `flow end ${e.cat}/${e.id} without its start`);
				continue;
			}
			if (st.e.ts > e.ts + eps)
				err(i, `flow ${e.id} ends (${e.ts}) before it starts (${st.e.ts})`);
			st.ended = true;
			if (!(enclosing(t, e.ts) || (e.bp !== 'e' && after(t, e.ts))))
				err(i, `flow end ${e.id} at ${e.ts} binds to no slice of ${t.pid}/${t.tid}`);
			peers.push([`${st.e.pid}/${st.e.tid}`, `${t.pid}/${t.tid}`]);
		}
	}
	const summary = {};
	for (const [k, t] of tracks) {
		const names = {};
		for (const s of t.slices) {
			const n = names[s.name] || (names[s.name] = { count: 0, min_us: Infinity, max_us: 0 });
			n.count++;
			n.min_us = Math.min(n.min_us, s.dur);
			n.max_us = Math.max(n.max_us, s.dur);
		}
		summary[k] = { name: t.name, process: pnames.get(t.pid) || null, slices: names,
			flows_in: [], flows_out: [] };
	}
	const nm = (k) => (tracks.get(k) || {}).name || k;
	for (const [from, to] of peers) {
		summary[from].flows_out.push(nm(to));
		summary[to].flows_in.push(nm(from));
	}
	return { errs, summary };
}

if (require.main === module) {
	const fs = require('fs');
	let doc;

	try {
		doc = JSON.parse(fs.readFileSync(process.argv[2] || 0, 'utf8'));
	} catch (e) {
		console.log(`not JSON: ${e.message}`);
		process.exit(1);
	}
	const r = check(doc);
	if (r.errs.length) {
		console.log(r.errs.join('\n'));
		process.exit(1);
	}
	console.log('valid');
	console.log(JSON.stringify(r.summary));
}
module.exports = { check };
