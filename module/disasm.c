// SPDX-License-Identifier: GPL-2.0
/*
 * disasm.c: the disassembler, generated from the uapi X-macros.  Used by
 * the host tests and by `ktrace -S`; no state, no locks, any context.
 *
 * One line per instruction, e.g.
 *   "  0012: add   %r3, %r1, %r2"
 *   "  0013: ldg   %r4, x"
 *   "  0014: call  %r5, strjoin"
 * The "  NNNN: " prefix is printed when prog is given and insn lies in
 * prog->insns; names of variables, aggregations, actions and strings
 * come from prog, names of subroutines and built-ins from the uapi.
 */
#include "vm.h"

enum dis_fmt {
	DIS_N, DIS_RRR, DIS_RRI, DIS_RR, DIS_RI, DIS_J, DIS_JR, DIS_VR, DIS_VW,
	DIS_ST, DIS_PU, DIS_CA, DIS_AC, DIS_AG, DIS_RET, DIS_PB, DIS_AB, DIS_AK,
};

struct op_info {
	const char	*name;
	u8		fmt;
};

static const struct op_info ops[256] = {
#define KTRACE_DIS_OP(nm, val, mn, fm) [val] = { mn, DIS_##fm },
	KTRACE_OPS(KTRACE_DIS_OP)
#undef KTRACE_DIS_OP
};

static const char * const subr_names[] = {
#define KTRACE_DIS_SUBR(nm, val, str, mn, mx, rs) [val] = str,
	KTRACE_SUBRS(KTRACE_DIS_SUBR)
#undef KTRACE_DIS_SUBR
};

static const char * const builtin_names[] = {
#define KTRACE_DIS_BI(nm, val, str, isstr) [val] = str,
	KTRACE_BUILTINS(KTRACE_DIS_BI)
#undef KTRACE_DIS_BI
};

static const char * const fault_names[] = {
#define KTRACE_DIS_FAULT(nm, val, str) [val] = str,
	KTRACE_FAULTS(KTRACE_DIS_FAULT)
#undef KTRACE_DIS_FAULT
};

static const char * const action_names[] = {
#define KTRACE_DIS_ACT(nm, val, str, rec, destr) [val] = str,
	KTRACE_ACTIONS(KTRACE_DIS_ACT)
#undef KTRACE_DIS_ACT
};

static const char * const tt_names[] = { "int", "str", "stack", "ustack", "usample", "bytes" };

const char *ktrace_op_name(unsigned int op)
{
	return op < ARRAY_SIZE(ops) && ops[op].name ? ops[op].name : NULL;
}

const char *ktrace_subr_name(unsigned int subr)
{
	return subr < ARRAY_SIZE(subr_names) ? subr_names[subr] : NULL;
}

const char *ktrace_builtin_name(unsigned int id)
{
	return id < ARRAY_SIZE(builtin_names) ? builtin_names[id] : NULL;
}

const char *ktrace_fault_name(unsigned int fault)
{
	return fault < ARRAY_SIZE(fault_names) ? fault_names[fault] : NULL;
}

/* snprintf that keeps appending: *pos advances by what would be written */
static __printf(4, 5) void out(char *buf, size_t size, size_t *pos, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(*pos < size ? buf + *pos : NULL, *pos < size ? size - *pos : 0,
		      fmt, ap);
	va_end(ap);
	if (n > 0)
		*pos += n;
}

static const char *str_at(const struct ktrace_prog *p, u32 off)
{
	return p && off < p->strtab_size ? p->strtab + off : NULL;
}

static void var_name(char *buf, size_t size, size_t *pos,
		     const struct ktrace_prog *p, u32 v)
{
	const char *n = p && v < p->nvars ? str_at(p, p->vars[v].name) : NULL;

	if (n && *n)
		out(buf, size, pos, "%s", n);
	else
		out(buf, size, pos, "var%u", v);
}

int ktrace_disasm_insn(char *buf, size_t size, const struct ktrace_insn *in,
		       const struct ktrace_prog *p)
{
	const struct op_info *oi = &ops[in->op];
	size_t pos = 0;
	u32 imm = (u32)in->imm;
	const char *s;

	if (size)
		buf[0] = 0;
	if (p && in >= p->insns && in < p->insns + p->ninsns)
		out(buf, size, &pos, "  %04u: ", (u32)(in - p->insns));
	if (!oi->name) {
		out(buf, size, &pos, ".insn 0x%02x, %u, %u, %u, %d", in->op, in->rd,
		    in->rs1, in->rs2, in->imm);
		return (int)pos;
	}
	out(buf, size, &pos, "%-5s", oi->name);
	/* a declared array's element or address: ldgx %r1, a[%r2]; stgx a[%r1], %r2; adrg %r1, &a */
	if (in->op == KTRACE_OP_LDGX || in->op == KTRACE_OP_ADRG)
		out(buf, size, &pos, " %%r%u, %s", in->rd, in->op == KTRACE_OP_ADRG ? "&" : "");
	if (in->op == KTRACE_OP_STGX)
		out(buf, size, &pos, " ");
	if (in->op == KTRACE_OP_LDGX || in->op == KTRACE_OP_STGX || in->op == KTRACE_OP_ADRG) {
		var_name(buf, size, &pos, p, imm);
		if (in->op == KTRACE_OP_LDGX)
			out(buf, size, &pos, "[%%r%u]", in->rs1);
		else if (in->op == KTRACE_OP_STGX)
			out(buf, size, &pos, "[%%r%u], %%r%u", in->rd, in->rs1);
		return (int)pos;
	}
	switch (oi->fmt) {
	case DIS_N:
		break;
	case DIS_RRR:
		out(buf, size, &pos, " %%r%u, %%r%u, %%r%u", in->rd, in->rs1, in->rs2);
		break;
	case DIS_RRI:
		if (in->op == KTRACE_OP_LDK || in->op == KTRACE_OP_LDU ||
		    in->op == KTRACE_OP_LDS) {
			s32 off = KTRACE_LD_OFF(imm);

			out(buf, size, &pos, " %%r%u, [%%r%u", in->rd, in->rs1);
			if (off)
				out(buf, size, &pos, "%+d", off);
			out(buf, size, &pos, "], %u%s", imm & KTRACE_LD_SIZE_MASK,
			    imm & KTRACE_LD_SIGNED ? "s" : "");
		} else
			out(buf, size, &pos, " %%r%u, %%r%u, %d", in->rd, in->rs1, in->imm);
		break;
	case DIS_RR:
		out(buf, size, &pos, " %%r%u, %%r%u", in->rd, in->rs1);
		break;
	case DIS_RI:
		out(buf, size, &pos, " %%r%u, ", in->rd);
		if (in->op == KTRACE_OP_SETX && p && imm < p->nints)
			out(buf, size, &pos, "%lld", (long long)p->ints[imm]);
		else if (in->op == KTRACE_OP_SETS && (s = str_at(p, imm)))
			out(buf, size, &pos, "\"%.40s\"", s);
		else if (in->op == KTRACE_OP_LDB && (s = ktrace_builtin_name(imm)))
			out(buf, size, &pos, "%s", s);
		else if (in->op == KTRACE_OP_LDB && imm >= KTRACE_VAR_UREGS && imm < KTRACE_VAR_MAX)
			out(buf, size, &pos, "uregs[%u]", imm - KTRACE_VAR_UREGS);
		else if (in->op == KTRACE_OP_SETI)
			out(buf, size, &pos, "%d", in->imm);
		else
			out(buf, size, &pos, "#%u", imm);
		break;
	case DIS_J:
		out(buf, size, &pos, " %04u", imm);
		break;
	case DIS_JR:
		out(buf, size, &pos, " %%r%u, %04u", in->rs1, imm);
		break;
	case DIS_VR:
		out(buf, size, &pos, " %%r%u, ", in->rd);
		var_name(buf, size, &pos, p, imm);
		break;
	case DIS_VW:
		out(buf, size, &pos, " ");
		var_name(buf, size, &pos, p, imm);
		out(buf, size, &pos, ", %%r%u", in->rs1);
		break;
	case DIS_ST:
		out(buf, size, &pos, " [%%r%u], %%r%u, %u", in->rd, in->rs1, imm);
		break;
	case DIS_PU:
		out(buf, size, &pos, " %%r%u, %s", in->rs1,
		    imm < ARRAY_SIZE(tt_names) ? tt_names[imm] : "?");
		if (in->rs2)
			out(buf, size, &pos, ", %%r%u", in->rs2);
		break;
	case DIS_CA:
		s = ktrace_subr_name(imm);
		if (s)
			out(buf, size, &pos, " %%r%u, %s", in->rd, s);
		else
			out(buf, size, &pos, " %%r%u, #%u", in->rd, imm);
		break;
	case DIS_AC:
		out(buf, size, &pos, " %u", imm);
		if (p && imm < p->nactions && p->actions[imm].kind < ARRAY_SIZE(action_names))
			out(buf, size, &pos, " <%s>", action_names[p->actions[imm].kind]);
		break;
	case DIS_AG:
	case DIS_AB:
	case DIS_AK: {
		u32 agg = oi->fmt == DIS_AB ? KTRACE_AGGB_AGG(imm) :
			  oi->fmt == DIS_AK ? KTRACE_AGGKS_AGG(imm) : imm;

		s = p && agg < p->naggs ? str_at(p, p->aggs[agg].name) : NULL;
		if (s && *s)
			out(buf, size, &pos, " @%s", s);
		else
			out(buf, size, &pos, " @%u", agg);
		if (oi->fmt == DIS_AB) {
			s = ktrace_builtin_name(KTRACE_AGGB_VAR(imm));
			if (s)
				out(buf, size, &pos, "[%s]", s);
			else
				out(buf, size, &pos, "[#%u]", KTRACE_AGGB_VAR(imm));
		} else if (oi->fmt == DIS_AK) {
			if (KTRACE_AGGKS_MAX(imm))
				out(buf, size, &pos, "[stringof(%%r%u, %u)]", in->rd,
				    KTRACE_AGGKS_MAX(imm));
			else
				out(buf, size, &pos, "[stringof(%%r%u)]", in->rd);
		}
		out(buf, size, &pos, ", %%r%u, %%r%u", in->rs1, in->rs2);
		break;
	}
	case DIS_RET:
		out(buf, size, &pos, " %%r%u", in->rs1);
		break;
	case DIS_PB:
		s = ktrace_builtin_name(imm);
		if (s)
			out(buf, size, &pos, " %s", s);
		else
			out(buf, size, &pos, " #%u", imm);
		break;
	}
	return (int)pos;
}
