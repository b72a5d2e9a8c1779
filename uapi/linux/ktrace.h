/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * ktrace: the one ABI shared by the kernel module and user space.
 *
 * Everything that crosses /dev/ktrace is defined here: the ioctls and
 * their argument structs, the bytecode (instruction format and the
 * opcode list), the program object the compiler submits, and the
 * layout of the buffers user space maps with mmap().
 *
 * Rules (as in include/uapi/linux/bpf.h):
 *  - only __u8..__u64 / __s8..__s64; user pointers are __aligned_u64;
 *  - every struct is padded explicitly to a multiple of 8 bytes;
 *  - structs passed to ioctls start with their own size (__u32 size) so
 *    they can grow; the kernel accepts a smaller (older) size and zero
 *    fills the rest, and accepts a larger size only if the extra bytes
 *    are zero;
 *  - every reserved or padding field must be zero and every unknown
 *    flag bit is rejected with -EINVAL.
 *
 * docs/uapi.md explains each ioctl; docs/bytecode.md each instruction;
 * docs/buffers.md the mapped buffers.
 */
#ifndef _UAPI_LINUX_KTRACE_H
#define _UAPI_LINUX_KTRACE_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define KTRACE_DEVICE		"/dev/ktrace"
#define KTRACE_ABI_VERSION	1

/* ------------------------------------------------------------------ */
/* The bytecode                                                        */
/* ------------------------------------------------------------------ */

/*
 * A register machine: 16 registers of 64 bits; %r0 always reads as zero
 * and may never be written.  Instructions are 8 bytes.
 */
#define KTRACE_NREGS		16

struct ktrace_insn {
	__u8	op;	/* KTRACE_OP_* */
	__u8	rd;	/* destination register (or address register of ST) */
	__u8	rs1;	/* first source register */
	__u8	rs2;	/* second source register */
	__s32	imm;	/* immediate: constant, target, index or sub-opcode */
};

/*
 * Operand formats, used by the verifier (which fields are registers
 * read, written, must be zero) and by the disassembler.
 *   RRR  rd = rs1 op rs2                 imm must be 0
 *   RRI  rd = op(rs1, imm)               rs2 must be 0
 *   RR   rd = op(rs1)                    rs2, imm must be 0
 *   RI   rd = imm-derived value          rs1, rs2 must be 0
 *   J    jump to insn imm                rd, rs1, rs2 must be 0
 *   JR   jump to insn imm if rs1 ...     rd, rs2 must be 0
 *   VR   rd = var[imm]                   rs1, rs2 must be 0
 *   VW   var[imm] = rs1                  rd, rs2 must be 0
 *   ST   *(rd + 0) = rs1, imm = size     rd is read, not written
 *   PU   push rs1 on the tuple stack, imm = KTRACE_TT_* (rs2 = size reg or 0:
 *        STR's limit, BYTES' count)
 *   PB   push built-in variable imm       rd, rs1, rs2 must be 0
 *   AB   aggregate KTRACE_AGGB_AGG(imm) keyed on built-in KTRACE_AGGB_VAR(imm):
 *        value rs1, weight rs2 (r0: 1)     rd must be 0
 *   AK   aggregate KTRACE_AGGKS_AGG(imm) keyed on the kernel string at rd,
 *        at most KTRACE_AGGKS_MAX(imm) characters (0: strsize): value rs1,
 *        weight rs2 (r0: 1)                rd is read, not written
 *   N    no operands                     all zero
 *   CA   rd = subr imm (tuple stack args)
 *   AC   action imm (tuple stack args)   rd, rs1, rs2 must be 0
 *   AG   aggregate imm: value rs1, weight rs2 (r0 means weight 1), keys on tuple stack
 *   RET  return rs1                      rd, rs2, imm must be 0
 *
 * KTRACE_OPS(X) lists every opcode once:
 *   X(NAME, value, "mnemonic", FORMAT)
 * It generates the enum below, the verifier's allow-list, the
 * interpreter's dispatch table and the disassembler.
 */
#define KTRACE_OPS(X)						\
	X(NOP,    0x00, "nop",    N)				\
	/* integer arithmetic and logic: rd = rs1 op rs2 */	\
	X(ADD,    0x01, "add",    RRR)				\
	X(SUB,    0x02, "sub",    RRR)				\
	X(MUL,    0x03, "mul",    RRR)				\
	X(SDIV,   0x04, "sdiv",   RRR)				\
	X(UDIV,   0x05, "udiv",   RRR)				\
	X(SREM,   0x06, "srem",   RRR)				\
	X(UREM,   0x07, "urem",   RRR)				\
	X(AND,    0x08, "and",    RRR)				\
	X(OR,     0x09, "or",     RRR)				\
	X(XOR,    0x0a, "xor",    RRR)				\
	X(SHL,    0x0b, "shl",    RRR)				\
	X(SHR,    0x0c, "shr",    RRR)				\
	X(SAR,    0x0d, "sar",    RRR)				\
	/* comparisons: rd = (rs1 op rs2) ? 1 : 0 */		\
	X(SEQ,    0x10, "seq",    RRR)				\
	X(SNE,    0x11, "sne",    RRR)				\
	X(SLT,    0x12, "slt",    RRR)				\
	X(SLE,    0x13, "sle",    RRR)				\
	X(SLTU,   0x14, "sltu",   RRR)				\
	X(SLEU,   0x15, "sleu",   RRR)				\
	/* string compare: rd = strcmp(rs1, rs2) as -1, 0, 1 */	\
	X(SCMP,   0x16, "scmp",   RRR)				\
	/* unary: rd = op rs1 */				\
	X(MOV,    0x18, "mov",    RR)				\
	X(NEG,    0x19, "neg",    RR)				\
	X(NOT,    0x1a, "not",    RR)				\
	X(LNOT,   0x1b, "lnot",   RR)				\
	/* rd = rs1 + imm; rd = sign/zero-extend low imm bits */	\
	X(ADDI,   0x1c, "addi",   RRI)				\
	X(SEXT,   0x1d, "sext",   RRI)				\
	X(ZEXT,   0x1e, "zext",   RRI)				\
	/* constants */						\
	X(SETI,   0x20, "seti",   RI)	/* rd = (s64)imm */	\
	X(SETX,   0x21, "setx",   RI)	/* rd = ints[imm] */	\
	X(SETS,   0x22, "sets",   RI)	/* rd = &strtab[imm] */	\
	/* control flow; targets are absolute insn indexes */	\
	X(BA,     0x28, "ba",     J)				\
	X(BZ,     0x29, "bz",     JR)				\
	X(BNZ,    0x2a, "bnz",    JR)				\
	X(LOOP,   0x2b, "loop",   J)	/* counted back-edge */	\
	X(RET,    0x2f, "ret",    RET)				\
	/* memory: rd = *(size)(rs1 + off); imm = KTRACE_LD_* */	\
	X(LDK,    0x30, "ldk",    RRI)	/* kernel memory */	\
	X(LDU,    0x31, "ldu",    RRI)	/* user memory */	\
	X(LDS,    0x32, "lds",    RRI)	/* ktrace memory */	\
	X(ST,     0x33, "st",     ST)	/* ktrace memory */	\
	/* variables: imm is the variable index */		\
	X(LDG,    0x38, "ldg",    VR)	/* global */		\
	X(STG,    0x39, "stg",    VW)				\
	X(LDT,    0x3a, "ldt",    VR)	/* self-> */		\
	X(STT,    0x3b, "stt",    VW)				\
	X(LDL,    0x3c, "ldl",    VR)	/* this-> */		\
	X(STL,    0x3d, "stl",    VW)				\
	X(LDGA,   0x3e, "ldga",   VR)	/* global array */	\
	X(STGA,   0x3f, "stga",   VW)				\
	X(LDTA,   0x40, "ldta",   VR)	/* self-> array */	\
	X(STTA,   0x41, "stta",   VW)				\
	X(LDB,    0x42, "ldb",    RI)	/* built-in var */	\
	X(LDARG,  0x43, "ldarg",  RR)	/* args[rs1] */		\
	/* declared global arrays (int a[N]): imm is the var;	\
	 * an index >= N faults (BADINDEX) */			\
	X(LDGX,   0x44, "ldgx",   RRI)	/* rd = a[rs1] */	\
	X(STGX,   0x45, "stgx",   ST)	/* a[rd] = rs1 */	\
	X(ADRG,   0x46, "adrg",   RI)	/* rd = &a[0] */	\
	/* the tuple stack (keys and arguments) */		\
	X(PUSH,   0x48, "push",   PU)				\
	X(POPTS,  0x49, "popts",  N)				\
	/* superinstruction: ldb + push of the built-in's type	\
	 * (string built-ins STR, the others INT) */		\
	X(PUSHB,  0x4a, "pushb",  PB)				\
	/* subroutines, actions, aggregations */		\
	X(CALL,   0x50, "call",   CA)				\
	X(ACT,    0x51, "act",    AC)				\
	X(AGG,    0x52, "agg",    AG)				\
	/* superinstruction: pushb + agg of a one-key		\
	 * aggregation keyed on a built-in (@[execname]) */	\
	X(AGGB,   0x53, "aggb",   AB)				\
	/* superinstruction: call stringof(rd, max) + push str	\
	 * + agg of a one-key aggregation keyed on a string	\
	 * in kernel memory (@[curthread->comm]) */		\
	X(AGGKS,  0x54, "aggks",  AK)

enum ktrace_opcode {
#define KTRACE_OP_ENUM(name, val, mn, fmt) KTRACE_OP_##name = val,
	KTRACE_OPS(KTRACE_OP_ENUM)
#undef KTRACE_OP_ENUM
	KTRACE_OP_MAX = 0x100,
};

/* AGGB imm: the aggregation index (bits 0-15) and the built-in (bits 16-23). */
#define KTRACE_AGGB_IMM(agg, var)	((__s32)((agg) | ((var) << 16)))
#define KTRACE_AGGB_AGG(imm)		((__u32)(imm) & 0xffff)
#define KTRACE_AGGB_VAR(imm)		(((__u32)(imm) >> 16) & 0xff)

/* AGGKS imm: the aggregation index (bits 0-15) and the string's most characters (bits 16-30). */
#define KTRACE_AGGKS_MAXLEN		0x7fff
#define KTRACE_AGGKS_IMM(agg, max)	((__s32)((agg) | ((max) << 16)))
#define KTRACE_AGGKS_AGG(imm)		((__u32)(imm) & 0xffff)
#define KTRACE_AGGKS_MAX(imm)		(((__u32)(imm) >> 16) & KTRACE_AGGKS_MAXLEN)

/*
 * LDK/LDU/LDS/ST size field (imm): size in bytes, optionally signed.  A
 * load's imm bits 8-31 are a signed byte offset added to rs1 (ldk %r1,
 * [%r1+104], 8: a struct member in one dispatch, not addi + ldk); bits
 * 5-7 are zero, and ST's bits above the size too.
 */
#define KTRACE_LD_SIZE_MASK	0x0f	/* 1, 2, 4 or 8 */
#define KTRACE_LD_SIGNED	0x10	/* sign-extend (loads only) */
#define KTRACE_LD_OFF_SHIFT	8
#define KTRACE_LD_OFF_MAX	((1 << 23) - 1)	/* offsets -2^23 .. 2^23 - 1 */
#define KTRACE_LD_IMM(sizeflags, off) \
	((__s32)(((__u32)(__s32)(off) << KTRACE_LD_OFF_SHIFT) | (__u32)(sizeflags)))
#define KTRACE_LD_OFF(imm)	((__s32)(imm) >> KTRACE_LD_OFF_SHIFT)

/* Tuple element types (PUSH imm). */
enum ktrace_tuple_type {
	KTRACE_TT_INT	= 0,	/* 8-byte integer, by value */
	KTRACE_TT_STR	= 1,	/* string reference into ktrace memory */
	KTRACE_TT_STACK	= 2,	/* stack reference made by stack() */
	KTRACE_TT_USTACK = 3,	/* stack reference made by ustack() */
	KTRACE_TT_USAMPLE = 4,	/* user stack sample made by ustack() with ustackmode=dwarf */
	KTRACE_TT_BYTES	= 5,	/* rs2's value of bytes at rs1, in ktrace memory or kernel
				 * memory the push copies (trace() of a struct, union or
				 * array, tracemem()) */
	KTRACE_TT_MAX,
};

/*
 * Subroutines (CALL imm).  Arguments are on the tuple stack in order;
 * CALL consumes the whole tuple stack.  nargs min..max is checked by the
 * verifier against the tuple depth it can prove.
 *   X(NAME, value, "name", minargs, maxargs, returns-string)
 */
#define KTRACE_SUBRS(X)						\
	X(STRLEN,	 0, "strlen",	  1, 1, 0)		\
	X(STRJOIN,	 1, "strjoin",	  2, 2, 1)		\
	X(SUBSTR,	 2, "substr",	  2, 3, 1)		\
	X(INDEX,	 3, "index",	  2, 3, 0)		\
	X(RINDEX,	 4, "rindex",	  2, 3, 0)		\
	X(STRCHR,	 5, "strchr",	  2, 2, 1)		\
	X(STRRCHR,	 6, "strrchr",	  2, 2, 1)		\
	X(STRSTR,	 7, "strstr",	  2, 2, 1)		\
	X(STRTOK,	 8, "strtok",	  2, 2, 1)		\
	X(TOLOWER,	 9, "tolower",	  1, 1, 1)		\
	X(TOUPPER,	10, "toupper",	  1, 1, 1)		\
	X(LLTOSTR,	11, "lltostr",	  1, 2, 1)		\
	X(BASENAME,	12, "basename",	  1, 1, 1)		\
	X(DIRNAME,	13, "dirname",	  1, 1, 1)		\
	X(CLEANPATH,	14, "cleanpath",  1, 1, 1)		\
	X(HTONS,	15, "htons",	  1, 1, 0)		\
	X(HTONL,	16, "htonl",	  1, 1, 0)		\
	X(HTONLL,	17, "htonll",	  1, 1, 0)		\
	X(INET_NTOA,	18, "inet_ntoa",  1, 1, 1)		\
	X(RAND,		19, "rand",	  0, 0, 0)		\
	X(COPYIN,	20, "copyin",	  2, 2, 0)		\
	X(COPYINSTR,	21, "copyinstr",  1, 2, 1)		\
	X(COPYINTO,	22, "copyinto",	  3, 3, 0)		\
	X(KSTRING,	23, "stringof",	  1, 2, 1)		\
	X(STACK,	24, "stack",	  0, 1, 0)		\
	X(USTACK,	25, "ustack",	  0, 1, 0)		\
	X(SPECULATION,	26, "speculation", 0, 0, 0)		\
	X(STRTOLL,	27, "strtoll",	  1, 2, 0)		\
	X(PROGENYOF,	28, "progenyof",  1, 1, 0)		\
	X(COPYOUT,	29, "copyout",	  3, 3, 0)		\
	X(COPYOUTSTR,	30, "copyoutstr", 3, 3, 0)		\
	X(ALLOCA,	31, "alloca",	  1, 1, 0)		\
	X(BCOPY,	32, "bcopy",	  3, 3, 0)		\
	X(STRNCMP,	33, "strncmp",	  3, 3, 0)		\
	X(INET_NTOA6,	34, "inet_ntoa6", 1, 2, 1)		\
	X(INET_NTOP,	35, "inet_ntop",  2, 2, 1)		\
	X(LINK_NTOP,	36, "link_ntop",  2, 2, 1)

enum ktrace_subr {
#define KTRACE_SUBR_ENUM(name, val, str, mn, mx, rs) KTRACE_SUBR_##name = val,
	KTRACE_SUBRS(KTRACE_SUBR_ENUM)
#undef KTRACE_SUBR_ENUM
	KTRACE_SUBR_MAX
};

/*
 * Built-in variables (LDB imm).
 *   X(NAME, value, "name", is-string)
 */
#define KTRACE_BUILTINS(X)					\
	X(ARG0,		 0, "arg0",	     0)			\
	X(ARG1,		 1, "arg1",	     0)			\
	X(ARG2,		 2, "arg2",	     0)			\
	X(ARG3,		 3, "arg3",	     0)			\
	X(ARG4,		 4, "arg4",	     0)			\
	X(ARG5,		 5, "arg5",	     0)			\
	X(ARG6,		 6, "arg6",	     0)			\
	X(ARG7,		 7, "arg7",	     0)			\
	X(ARG8,		 8, "arg8",	     0)			\
	X(ARG9,		 9, "arg9",	     0)			\
	X(PID,		10, "pid",	     0)			\
	X(TID,		11, "tid",	     0)			\
	X(PPID,		12, "ppid",	     0)			\
	X(UID,		13, "uid",	     0)			\
	X(GID,		14, "gid",	     0)			\
	X(EXECNAME,	15, "execname",	     1)			\
	X(TIMESTAMP,	16, "timestamp",     0)			\
	X(VTIMESTAMP,	17, "vtimestamp",    0)			\
	X(WALLTIMESTAMP,18, "walltimestamp", 0)			\
	X(CPU,		19, "cpu",	     0)			\
	X(ID,		20, "id",	     0)			\
	X(EPID,		21, "epid",	     0)			\
	X(PROBEPROV,	22, "probeprov",     1)			\
	X(PROBEMOD,	23, "probemod",	     1)			\
	X(PROBEFUNC,	24, "probefunc",     1)			\
	X(PROBENAME,	25, "probename",     1)			\
	X(ERRNO,	26, "errno",	     0)			\
	X(CURTHREAD,	27, "curthread",     0)			\
	X(CALLER,	28, "caller",	     0)			\
	X(UCALLER,	29, "ucaller",	     0)			\
	X(STACKDEPTH,	30, "stackdepth",    0)			\
	X(USTACKDEPTH,	31, "ustackdepth",   0)			\
	X(UREGS_PC,	32, "uregs_pc",	     0)			\
	X(IPL,		33, "ipl",	     0)			\
	/* address of the tracepoint's raw record (read with LDS) */	\
	X(TPRAW,	34, "__tp_raw",	     0)			\
	X(TPRAWSIZE,	35, "__tp_rawsize",  0)			\
	/* the CPU's physical package and NUMA node (DTrace's chip, lgrp) */ \
	X(CHIP,		36, "chip",	     0)			\
	X(LGRP,		37, "lgrp",	     0)

/*
 * uregs[R] (DTrace's user registers, R a D constant R_*: user/lib/regs.d)
 * is the built-in KTRACE_VAR_UREGS + R, R < KTRACE_NUREGS: on x86-64,
 * R 0..20 are the words of struct pt_regs saved at the thread's kernel
 * entry (r15 ... ss), 21..25 ds, es, fsbase, gsbase and trap_nr of its
 * thread_struct.  The named built-ins stay below KTRACE_VAR_NAMED_END,
 * which must not reach KTRACE_VAR_UREGS; the ids between are invalid.
 */
#define KTRACE_NUREGS		26

enum ktrace_builtin {
#define KTRACE_BUILTIN_ENUM(name, val, str, isstr) KTRACE_VAR_##name = val,
	KTRACE_BUILTINS(KTRACE_BUILTIN_ENUM)
#undef KTRACE_BUILTIN_ENUM
	KTRACE_VAR_NAMED_END,
	KTRACE_VAR_UREGS	= 64,
	KTRACE_VAR_MAX		= KTRACE_VAR_UREGS + KTRACE_NUREGS
};

/* A built-in variable id the kernel knows: a named one or a uregs[R]. */
#define KTRACE_VAR_VALID(id)	((id) < KTRACE_VAR_NAMED_END || \
				 ((id) >= KTRACE_VAR_UREGS && (id) < KTRACE_VAR_MAX))

/*
 * Actions (the kind of an action descriptor; ACT imm indexes the
 * object's action table).  Data-recording actions serialise the tuple
 * stack into the firing's record; the others act in the kernel (EXIT,
 * speculations, destructive actions) or are replayed by the consumer
 * from their record (PRINTA, CLEAR, TRUNC, NORMALIZE...).
 *   X(NAME, value, "name", records-data, destructive)
 */
#define KTRACE_ACTIONS(X)					\
	X(NONE,		 0, "none",	   1, 0) /* default: epid only */ \
	X(TRACE,	 1, "trace",	   1, 0)		\
	X(PRINTF,	 2, "printf",	   1, 0)		\
	X(PRINTA,	 3, "printa",	   1, 0)		\
	X(PRINT,	 4, "print",	   1, 0)		\
	X(STACK,	 5, "stack",	   1, 0)		\
	X(USTACK,	 6, "ustack",	   1, 0)		\
	X(EXIT,		 7, "exit",	   1, 0)		\
	X(CLEAR,	 8, "clear",	   1, 0)		\
	X(TRUNC,	 9, "trunc",	   1, 0)		\
	X(NORMALIZE,	10, "normalize",   1, 0)		\
	X(DENORMALIZE,	11, "denormalize", 1, 0)		\
	X(SETOPT,	12, "setopt",	   1, 0)		\
	X(SPECULATE,	13, "speculate",   0, 0)		\
	X(COMMIT,	14, "commit",	   0, 0)		\
	X(DISCARD,	15, "discard",	   0, 0)		\
	X(SYSTEM,	16, "system",	   1, 1)		\
	X(RAISE,	17, "raise",	   1, 1) /* recorded: its probe line shows */ \
	X(STOP,		18, "stop",	   0, 1)		\
	X(CHILL,	19, "chill",	   0, 1)		\
	X(PANIC,	20, "panic",	   0, 1)		\
	X(FTRUNCATE,	21, "ftruncate",   1, 0)		\
	X(FREOPEN,	22, "freopen",	   1, 1)		\
	X(TRACEMEM,	23, "tracemem",	   1, 0) /* one BYTES value */

enum ktrace_action_kind {
#define KTRACE_ACT_ENUM(name, val, str, rec, destr) KTRACE_ACT_##name = val,
	KTRACE_ACTIONS(KTRACE_ACT_ENUM)
#undef KTRACE_ACT_ENUM
	KTRACE_ACT_MAX
};

/*
 * Aggregating functions.
 *   X(NAME, value, "name", nparams)
 */
#define KTRACE_AGGFUNCS(X)					\
	X(COUNT,	0, "count",	 0)			\
	X(SUM,		1, "sum",	 0)			\
	X(AVG,		2, "avg",	 0)			\
	X(MIN,		3, "min",	 0)			\
	X(MAX,		4, "max",	 0)			\
	X(STDDEV,	5, "stddev",	 0)			\
	X(QUANTIZE,	6, "quantize",	 0)			\
	X(LQUANTIZE,	7, "lquantize",	 3)			\
	X(LLQUANTIZE,	8, "llquantize", 4)

enum ktrace_aggfunc {
#define KTRACE_AGG_ENUM(name, val, str, np) KTRACE_AGG_##name = val,
	KTRACE_AGGFUNCS(KTRACE_AGG_ENUM)
#undef KTRACE_AGG_ENUM
	/* number of functions (KTRACE_AGG_MAX is max()'s own value) */
	KTRACE_AGGFUNC_NR
};

/* quantize(): bucket 0 is the zero bucket; 63 negative, 63 positive. */
#define KTRACE_QUANTIZE_NBUCKETS	127
#define KTRACE_QUANTIZE_ZERO		63

/*
 * Fault codes (ERROR probe arg4), numbered as DTrace numbers them.
 */
#define KTRACE_FAULTS(X)					\
	X(NONE,		0, "no fault")				\
	X(BADADDR,	1, "invalid address")			\
	X(BADALIGN,	2, "invalid alignment")			\
	X(ILLOP,	3, "illegal operation")			\
	X(DIVZERO,	4, "divide-by-zero")			\
	X(NOSCRATCH,	5, "out of scratch space")		\
	X(KPRIV,	6, "invalid kernel access")		\
	X(UPRIV,	7, "invalid user access")		\
	X(TUPOFLOW,	8, "tuple stack overflow")		\
	X(BADSTACK,	9, "bad stack")				\
	X(LOOPMAX,     10, "loop limit exceeded")		\
	X(BUDGET,      11, "instruction budget exceeded")	\
	X(BADSIZE,     12, "invalid size")			\
	X(BADINDEX,    13, "index out of bounds")

enum ktrace_fault {
#define KTRACE_FAULT_ENUM(name, val, str) KTRACE_FAULT_##name = val,
	KTRACE_FAULTS(KTRACE_FAULT_ENUM)
#undef KTRACE_FAULT_ENUM
	KTRACE_FAULT_MAX
};

/* ------------------------------------------------------------------ */
/* The program object (KTRACE_IOC_LOAD)                                */
/* ------------------------------------------------------------------ */

/*
 * The object is one flat, little-endian blob:
 *
 *   struct ktrace_obj_hdr
 *   sections, each at hdr.<x>_off (8-aligned, within obj_size,
 *   non-overlapping), with hdr.<x>_cnt elements:
 *     insns     struct ktrace_insn[]
 *     ints      __s64[]                         (SETX table)
 *     strtab    char[] (strtab_cnt bytes, NUL terminated strings; offset 0 is "")
 *     vars      struct ktrace_var_desc[]
 *     aggs      struct ktrace_agg_desc[]
 *     actions   struct ktrace_action_desc[]
 *     clauses   struct ktrace_clause_desc[]
 *     enablings struct ktrace_enabling[]      (probe id -> clause)
 *
 * Each clause has an optional predicate and a body: each is a separate
 * function (a contiguous range of insns ending in RET) verified on its
 * own.  Branches never leave their function.
 */
#define KTRACE_OBJ_MAGIC	0x4b545243	/* "KTRC" */

struct ktrace_obj_hdr {
	__u32	magic;		/* KTRACE_OBJ_MAGIC */
	__u16	version;	/* KTRACE_ABI_VERSION */
	__u16	hdr_size;	/* sizeof(struct ktrace_obj_hdr) */
	__u32	obj_size;	/* size of the whole object in bytes */
	__u32	flags;		/* KTRACE_OBJ_F_*; unknown bits rejected */
	__u32	insn_off;	/* offset of struct ktrace_insn[] */
	__u32	insn_cnt;	/* number of instructions */
	__u32	int_off;	/* offset of __s64[] integer table */
	__u32	int_cnt;	/* number of integers */
	__u32	strtab_off;	/* offset of the string table */
	__u32	strtab_cnt;	/* size of the string table in bytes */
	__u32	var_off;	/* offset of struct ktrace_var_desc[] */
	__u32	var_cnt;	/* number of variables */
	__u32	agg_off;	/* offset of struct ktrace_agg_desc[] */
	__u32	agg_cnt;	/* number of aggregations */
	__u32	action_off;	/* offset of struct ktrace_action_desc[] */
	__u32	action_cnt;	/* number of actions */
	__u32	clause_off;	/* offset of struct ktrace_clause_desc[] */
	__u32	clause_cnt;	/* number of clauses */
	__u32	enabling_off;	/* offset of struct ktrace_enabling[] */
	__u32	enabling_cnt;	/* number of enablings */
	__u32	reserved[4];	/* must be zero */
};

#define KTRACE_OBJ_F_DESTRUCTIVE	(1U << 0)	/* uses destructive actions (-w) */
#define KTRACE_OBJ_F_ALL		(KTRACE_OBJ_F_DESTRUCTIVE)

/* Variable scopes. */
enum ktrace_var_scope {
	KTRACE_SCOPE_GLOBAL	= 0,	/* LDG/STG */
	KTRACE_SCOPE_TLS	= 1,	/* LDT/STT: self->x */
	KTRACE_SCOPE_LOCAL	= 2,	/* LDL/STL: this->x */
	KTRACE_SCOPE_GARRAY	= 3,	/* LDGA/STGA: x[k...] */
	KTRACE_SCOPE_TARRAY	= 4,	/* LDTA/STTA: self->x[k...] */
	KTRACE_SCOPE_MAX,
};

/* Value types of variables, aggregation keys and record fields. */
enum ktrace_type {
	KTRACE_TYPE_INT		= 0,	/* 64-bit integer */
	KTRACE_TYPE_STRING	= 1,	/* string, at most strsize characters and a NUL */
	KTRACE_TYPE_STACK	= 2,	/* kernel stack: __u64 depth, __u64 pc[depth] */
	KTRACE_TYPE_USTACK	= 3,	/* user stack: __u64 pid, __u64 depth, __u64 pc[depth] */
	KTRACE_TYPE_USAMPLE	= 4,	/* user stack sample (ustackmode=dwarf): struct ktrace_usample */
	KTRACE_TYPE_BYTES	= 5,	/* bytes: __u64 n, n bytes, zeros to a multiple of 8
					 * (record fields only) */
	KTRACE_TYPE_MAX,
};

/*
 * A user stack sample, what ustack() records with ustackmode=dwarf for the
 * consumer to unwind from the call frame information (.eh_frame,
 * .debug_frame) of the mapped files: the user registers the unwinder
 * starts from (those saved at kernel entry, x86-64) and a copy of the
 * user stack from sp up, as much as ustacksize allows and as is mapped.
 * Encoded as a record item argument or an aggregation key element:
 *   struct ktrace_usample, then __u8 stack[size], zero padded to 8.
 */
struct ktrace_uregs {
	__u64	ip;		/* rip */
	__u64	sp;		/* rsp: stack[0] is the byte at this address */
	__u64	bp;		/* rbp */
	__u64	bx;		/* rbx */
	__u64	r12;
	__u64	r13;
	__u64	r14;
	__u64	r15;
};

struct ktrace_usample {
	__u64	pid;		/* the process (tgid) */
	__u32	size;		/* bytes of stack that follow (0..ustacksize) */
	__u32	frames;		/* most frames to unwind: ustack(n)'s n, at most ustackframes */
	struct ktrace_uregs regs;
};

struct ktrace_var_desc {
	__u32	name;		/* strtab offset of the name */
	__u8	scope;		/* enum ktrace_var_scope */
	__u8	type;		/* enum ktrace_type: INT or STRING */
	__u16	elem;		/* a declared array (GLOBAL, INT: int a[N]): its element's
				 * size (1, 2, 4, 8) | KTRACE_LD_SIGNED; else 0 */
	__u32	nkeys;		/* array scopes: number of keys (1..8); else 0 */
	__u32	nelems;		/* a declared array: N, its elements, at most
				 * KTRACE_MAX_ARRAY_SIZE bytes in all; else 0 */
};

#define KTRACE_MAX_ARRAY_SIZE	65536	/* bytes of one declared array */

#define KTRACE_MAX_KEYS		8

struct ktrace_agg_desc {
	__u32	name;		/* strtab offset of the name, without '@' */
	__u16	func;		/* enum ktrace_aggfunc */
	__u16	nkeys;		/* number of keys (0..8) */
	__u8	key_types[KTRACE_MAX_KEYS]; /* enum ktrace_type per key */
	__s64	params[4];	/* lquantize: base, limit, step; llquantize: factor, low, high, nsteps */
};

struct ktrace_action_desc {
	__u16	kind;		/* enum ktrace_action_kind */
	__u16	nargs;		/* number of data arguments (tuple elements) */
	__u32	fmt;		/* strtab offset of the format string, or 0 */
	__u32	agg;		/* aggregation index (printa, clear, trunc, ...) */
	__u32	flags;		/* consumer-only flags, opaque to the kernel */
	__u8	arg_types[16];	/* consumer-only: display type of each argument */
};

struct ktrace_clause_desc {
	__u32	pred_start;	/* first insn of the predicate */
	__u32	pred_len;	/* number of insns; 0: no predicate */
	__u32	body_start;	/* first insn of the body */
	__u32	body_len;	/* number of insns (>= 1) */
	__u32	flags;		/* must be zero */
	__u32	reserved;	/* must be zero */
};

struct ktrace_enabling {
	__u32	probe;		/* probe id (KTRACE_IOC_PROBES) */
	__u32	clause;		/* clause index; clauses run in enabling order */
};

/* ------------------------------------------------------------------ */
/* Probes                                                              */
/* ------------------------------------------------------------------ */

#define KTRACE_PROVNAMELEN	32
#define KTRACE_MODNAMELEN	64
#define KTRACE_FUNCNAMELEN	128
#define KTRACE_NAMELEN		64
/*
 * The module field of a probe in the kernel proper (not in a loadable
 * module): fbt's functions of vmlinux, and, as in DTrace, every probe of
 * the syscall provider and of the stable providers (proc, sched, io, ip,
 * tcp, udp, lockstat).
 */
#define KTRACE_MOD_VMLINUX	"vmlinux"

struct ktrace_probe_desc {
	__u32	id;		/* out: probe id (stable while the module is loaded) */
	__u32	flags;		/* in: KTRACE_PD_F_*; out: 0 */
	__u64	addr;		/* in: provider data: fbt: function address;
				 * uprobe/pid: file offset of the function */
	__aligned_u64 path;	/* in: uprobe/pid/USDT: user pointer to the binary's path */
	__u32	pid;		/* in: pid provider, PROVIDER<PID> USDT: the traced process; else 0 */
	__u32	reserved;	/* must be zero */
	char	provider[KTRACE_PROVNAMELEN];
	char	module[KTRACE_MODNAMELEN];
	char	function[KTRACE_FUNCNAMELEN];
	char	name[KTRACE_NAMELEN];
	__aligned_u64 usdt;	/* in: KTRACE_PD_F_USDT: user pointer to struct ktrace_usdt; else 0 */
};

/* ktrace_probe_desc.flags */
#define KTRACE_PD_F_USDT	(1U << 0)	/* a USDT probe: path, usdt set; addr 0 */
#define KTRACE_PD_F_ALL		KTRACE_PD_F_USDT

/*
 * USDT (<sys/sdt.h>) probes: where each site of a probe is in its binary
 * and where its arguments are when the site is hit (the note's argument
 * specs, decoded by user space).  x86-64 registers by number:
 */
enum ktrace_ureg {
	KTRACE_UREG_NONE = 0,
	KTRACE_UREG_RAX, KTRACE_UREG_RBX, KTRACE_UREG_RCX, KTRACE_UREG_RDX,
	KTRACE_UREG_RSI, KTRACE_UREG_RDI, KTRACE_UREG_RBP, KTRACE_UREG_RSP,
	KTRACE_UREG_R8, KTRACE_UREG_R9, KTRACE_UREG_R10, KTRACE_UREG_R11,
	KTRACE_UREG_R12, KTRACE_UREG_R13, KTRACE_UREG_R14, KTRACE_UREG_R15,
	KTRACE_UREG_RIP,		/* the probe site's address */
	KTRACE_UREG_COUNT
};

/* ktrace_usdt_arg.kind */
enum ktrace_usdt_argkind {
	KTRACE_USDT_ARG_NONE	= 0,	/* an operand ktrace cannot read: the argument is 0 */
	KTRACE_USDT_ARG_CONST	= 1,	/* val */
	KTRACE_USDT_ARG_REG	= 2,	/* register base */
	KTRACE_USDT_ARG_MEM	= 3,	/* size bytes at base + index * scale + val */
};

#define KTRACE_USDT_MAXARGS	10	/* arg0..arg9 (sys/sdt.h allows 12) */
#define KTRACE_USDT_MAXSITES	64	/* sites of one probe (one function) */

struct ktrace_usdt_arg {
	__u8	kind;		/* enum ktrace_usdt_argkind */
	__u8	size;		/* 1, 2, 4 or 8: the value's bytes (truncated, then extended) */
	__u8	is_signed;	/* 1: sign-extended from size bytes; else 0 (zero-extended) */
	__u8	base;		/* REG, MEM: enum ktrace_ureg (MEM: may be NONE) */
	__u8	index;		/* MEM: enum ktrace_ureg or NONE; else 0 */
	__u8	scale;		/* MEM with an index: 1, 2, 4 or 8; else 0 */
	__u16	reserved;	/* must be zero */
	__s64	val;		/* CONST: the value; MEM: the displacement; else 0 */
};

struct ktrace_usdt_site {
	__u64	offset;		/* file offset of the site's instruction (a nop) */
	__u32	nargs;		/* arguments described, at most KTRACE_USDT_MAXARGS */
	__u32	reserved;	/* must be zero */
	struct ktrace_usdt_arg args[KTRACE_USDT_MAXARGS];	/* unused ones zero */
};

/* What ktrace_probe_desc.usdt points to: a header, then nsites sites. */
struct ktrace_usdt {
	__u32	size;		/* sizeof(struct ktrace_usdt): the sites start there */
	__u32	nsites;		/* 1..KTRACE_USDT_MAXSITES */
	__u64	semaphore;	/* file offset of the probe's is-enabled counter (__u16), 0: none */
	/* struct ktrace_usdt_site sites[nsites]; */
};

/* ktrace_probe_query.op */
enum ktrace_probe_op {
	KTRACE_PROBE_LIST	= 0,	/* copy out descs of ids >= start */
	KTRACE_PROBE_LOOKUP	= 1,	/* find or create each desc, fill id */
};

struct ktrace_probe_query {
	__u32	size;		/* sizeof(struct ktrace_probe_query) */
	__u32	op;		/* enum ktrace_probe_op */
	__u32	start;		/* LIST: first id wanted */
	__u32	count;		/* in: capacity of descs; out: number filled */
	__aligned_u64 descs;	/* struct ktrace_probe_desc[count] */
	__u32	desc_size;	/* sizeof(struct ktrace_probe_desc) */
	__u32	next;		/* out (LIST): next id to ask for, 0 at end */
	__aligned_u64 errors;	/* LOOKUP: optional __s32[count], per-desc errno */
};

/* ------------------------------------------------------------------ */
/* ioctls                                                              */
/* ------------------------------------------------------------------ */

/* KTRACE_IOC_CONF: limits of this kernel (read-only). */
struct ktrace_conf {
	__u32	size;		/* sizeof(struct ktrace_conf) */
	__u32	abi_version;	/* out: KTRACE_ABI_VERSION */
	__u32	max_insns;	/* out: per object */
	__u32	max_ints;	/* out */
	__u32	max_strtab;	/* out: bytes */
	__u32	max_vars;	/* out */
	__u32	max_aggs;	/* out */
	__u32	max_actions;	/* out */
	__u32	max_clauses;	/* out */
	__u32	max_enablings;	/* out */
	__u32	max_tuple;	/* out: tuple stack depth */
	__u32	max_strsize;	/* out */
	__u32	max_loops;	/* out: upper bound for the maxloops option */
	__u32	ncpus;		/* out: nr_cpu_ids */
	__u64	max_bufsize;	/* out: per CPU */
	__u64	max_aggsize;	/* out: per CPU */
	__u64	max_dynvarsize;	/* out */
	__u32	max_stackframes; /* out: upper bound for stackframes/ustackframes */
	__u32	max_fbt_return;	/* out: fbt return probes registered at once */
	__u32	max_insn_budget; /* out: upper bound for the insn_budget option */
	__u32	max_firing_ms;	/* out: wall-clock limit of one firing (ms) */
	__u32	max_verify_work; /* out: verifier instruction visits per object */
	__u32	max_probe_query; /* out: most descriptions per KTRACE_IOC_PROBES */
	__u64	mem_limit;	/* out: bytes all loaded sessions may use together */
	__u64	mem_used;	/* out: bytes loaded sessions have reserved (the most they can hold) */
	__u32	max_ustacksize;	/* out: upper bound for the ustacksize option */
	__u32	reserved;	/* out: 0 */
	__u64	mem_resident;	/* out: bytes of mem_used allocated now (buffer pages come as used) */
	__u32	max_scratchsize; /* out: upper bound for the scratchsize option */
	__u32	reserved2;	/* out: 0 */
};

/* Buffer policies. */
enum ktrace_bufpolicy {
	KTRACE_BUFPOLICY_SWITCH	= 0,
	KTRACE_BUFPOLICY_FILL	= 1,
	KTRACE_BUFPOLICY_RING	= 2,
};

/*
 * The numeric session options (fields of struct ktrace_opts), listed once:
 * X(field, kind, default, min, max).  0 in a field means its default; any
 * other value outside [min, max] fails KTRACE_IOC_LOAD with -EINVAL and the
 * log line "opts: FIELD VALUE not in MIN..MAX".  kind says how user space
 * writes the value: SIZE (bytes, k/m/g suffixes), COUNT (a plain number) or
 * POLICY (enum ktrace_bufpolicy, by name).  The kernel's check, the CLI's
 * option table and its offline check (ktrace -e) are all generated from it.
 */
/*
 * Sizes take any value from 1 byte, as dtrace(1)'s do: the kernel rounds
 * them up as its buffers need (docs/buffers.md).  bufsize becomes a power
 * of two of at least a page; an aggregation copy holds aggsize bytes
 * (header included) in whole pages, and LOAD refuses (ENOSPC) an aggsize
 * that cannot hold one entry of each aggregation; the dynamic variable space is at
 * least a page (its bucket table); a speculation buffer
 * holds specsize bytes rounded up to 8.  strsize is DTrace's: the longest
 * string in characters, its NUL not counted (at least 2, as dtrace(1)).
 */
#define KTRACE_DEF_BUFSIZE	(4ULL << 20)
#define KTRACE_MIN_BUFSIZE	1ULL
#define KTRACE_MAX_BUFSIZE	(4ULL << 30)
#define KTRACE_DEF_AGGSIZE	(4ULL << 20)
#define KTRACE_MIN_AGGSIZE	1ULL
#define KTRACE_MAX_AGGSIZE	(256ULL << 20)
#define KTRACE_DEF_DYNVARSIZE	(1ULL << 20)
#define KTRACE_MIN_DYNVARSIZE	1ULL
#define KTRACE_MAX_DYNVARSIZE	(1ULL << 30)
#define KTRACE_DEF_SPECSIZE	(32ULL << 10)
#define KTRACE_MIN_SPECSIZE	1ULL
#define KTRACE_MAX_SPECSIZE	(16ULL << 20)
#define KTRACE_DEF_STRSIZE	256
#define KTRACE_MIN_STRSIZE	2
#define KTRACE_MAX_STRSIZE	8192
#define KTRACE_DEF_NSPEC	1
#define KTRACE_MAX_NSPEC	1024
#define KTRACE_DEF_MAXLOOPS	65536
#define KTRACE_MAX_LOOPS	(1U << 24)
#define KTRACE_DEF_STACKFRAMES	20
#define KTRACE_DEF_USTACKFRAMES	100
#define KTRACE_MAX_STACKFRAMES	128
#define KTRACE_DEF_USTACKSIZE	4096
#define KTRACE_MIN_USTACKSIZE	64
#define KTRACE_MAX_USTACKSIZE	8192
#define KTRACE_DEF_SCRATCHSIZE	256
#define KTRACE_MAX_SCRATCHSIZE	(64U << 10)
#define KTRACE_DEF_BUDGET	(1U << 20)
/* one firing's instructions: far below the lockup detectors (docs/architecture.md) */
#define KTRACE_MAX_BUDGET	(1U << 24)

#define KTRACE_OPTS_LIMITS(X)						\
	X(bufsize,	SIZE,	KTRACE_DEF_BUFSIZE,	KTRACE_MIN_BUFSIZE,	\
	  KTRACE_MAX_BUFSIZE)						\
	X(aggsize,	SIZE,	KTRACE_DEF_AGGSIZE,	KTRACE_MIN_AGGSIZE,	\
	  KTRACE_MAX_AGGSIZE)						\
	X(dynvarsize,	SIZE,	KTRACE_DEF_DYNVARSIZE,	KTRACE_MIN_DYNVARSIZE,	\
	  KTRACE_MAX_DYNVARSIZE)					\
	X(specsize,	SIZE,	KTRACE_DEF_SPECSIZE,	KTRACE_MIN_SPECSIZE,	\
	  KTRACE_MAX_SPECSIZE)						\
	X(strsize,	SIZE,	KTRACE_DEF_STRSIZE,	KTRACE_MIN_STRSIZE, KTRACE_MAX_STRSIZE) \
	X(bufpolicy,	POLICY,	KTRACE_BUFPOLICY_SWITCH, KTRACE_BUFPOLICY_SWITCH, \
	  KTRACE_BUFPOLICY_RING)					\
	X(nspec,	COUNT,	KTRACE_DEF_NSPEC,	1,	KTRACE_MAX_NSPEC) \
	X(maxloops,	COUNT,	KTRACE_DEF_MAXLOOPS,	1,	KTRACE_MAX_LOOPS) \
	X(stackframes,	COUNT,	KTRACE_DEF_STACKFRAMES,	1,	KTRACE_MAX_STACKFRAMES) \
	X(ustackframes,	COUNT,	KTRACE_DEF_USTACKFRAMES, 1,	KTRACE_MAX_STACKFRAMES) \
	X(insn_budget,	COUNT,	KTRACE_DEF_BUDGET,	1,	KTRACE_MAX_BUDGET) \
	X(ustacksize,	SIZE,	KTRACE_DEF_USTACKSIZE,	KTRACE_MIN_USTACKSIZE,	\
	  KTRACE_MAX_USTACKSIZE)					\
	X(scratchsize,	SIZE,	KTRACE_DEF_SCRATCHSIZE,	8,	KTRACE_MAX_SCRATCHSIZE)

/* Session options, given with the program. 0 means "the default". */
struct ktrace_opts {
	__u64	bufsize;	/* principal buffer bytes per CPU (4m) */
	__u64	aggsize;	/* aggregation buffer bytes per CPU (4m) */
	__u64	dynvarsize;	/* dynamic variable space bytes (1m) */
	__u64	specsize;	/* bytes per speculation buffer per CPU (32k) */
	__u32	strsize;	/* longest string, NUL not counted (256) */
	__u32	bufpolicy;	/* enum ktrace_bufpolicy */
	__u32	nspec;		/* number of speculations (1) */
	__u32	maxloops;	/* loop back-edges per firing (default 1024*64) */
	__u32	stackframes;	/* kernel stack depth (20) */
	__u32	ustackframes;	/* user stack depth (100) */
	__u32	insn_budget;	/* instructions per firing (default 1 << 20) */
	__u32	flags;		/* KTRACE_OPT_F_* */
	__u32	target_pid;	/* $target, for -c/-p (0: none) */
	__u32	ustacksize;	/* ustackmode=dwarf: user stack bytes per ustack() (4k) */
	__u32	scratchsize;	/* bytes alloca() may give one clause (256) */
	__u32	reserved;	/* must be zero */
};

#define KTRACE_OPT_F_DESTRUCTIVE	(1U << 0)	/* -w */
#define KTRACE_OPT_F_NODEADMAN		(1U << 1)	/* with -w: opt out of the deadman */
#define KTRACE_OPT_F_USTACK_DWARF	(1U << 2)	/* ustack() records a stack sample
							 * (KTRACE_TYPE_USAMPLE), not frames */
#define KTRACE_OPT_F_ALL		(KTRACE_OPT_F_DESTRUCTIVE | KTRACE_OPT_F_NODEADMAN | \
					 KTRACE_OPT_F_USTACK_DWARF)

/* KTRACE_IOC_LOAD: verify and install the program; once per session. */
struct ktrace_load {
	__u32	size;		/* sizeof(struct ktrace_load) */
	__u32	flags;		/* must be zero */
	__aligned_u64 obj;	/* user pointer to the object */
	__u32	obj_size;	/* object size in bytes */
	__u32	log_size;	/* size of log_buf */
	__aligned_u64 log_buf;	/* out: verifier log, "insn N: reason (values)\n" lines */
	__u32	log_used;	/* out: bytes written to log_buf, NUL included */
	__u32	reserved;	/* must be zero */
	struct ktrace_opts opts; /* session options */
	__u64	map_size;	/* out: bytes to mmap at offset 0 (see ktrace_map_hdr) */
	__u64	hdr_map_size;	/* out: bytes at offset 0 that may be mapped
				 * PROT_WRITE (the map header, whole pages);
				 * the rest maps read-only */
};

/* KTRACE_IOC_GO: enable every probe and fire BEGIN. */
struct ktrace_go {
	__u32	size;		/* sizeof(struct ktrace_go) */
	__u32	flags;		/* must be zero */
	__u64	reserved;	/* must be zero */
};

/* KTRACE_IOC_STOP: fire END, disable every probe. Idempotent. */
struct ktrace_stop {
	__u32	size;		/* sizeof(struct ktrace_stop) */
	__u32	flags;		/* must be zero */
	__u64	reserved;	/* must be zero */
};

/* Session states (ktrace_status.state and the map header). */
enum ktrace_state {
	KTRACE_STATE_NEW	= 0,	/* open, nothing loaded */
	KTRACE_STATE_LOADED	= 1,	/* program verified, probes not enabled */
	KTRACE_STATE_ACTIVE	= 2,	/* tracing */
	KTRACE_STATE_DRAINING	= 3,	/* exit() called: END fired, consumer drains */
	KTRACE_STATE_STOPPED	= 4,	/* probes disabled */
	KTRACE_STATE_KILLED	= 5,	/* aborted (see abort_reason) */
};

enum ktrace_abort_reason {
	KTRACE_ABORT_NONE	= 0,
	KTRACE_ABORT_DEADMAN	= 1,	/* systemic unresponsiveness */
	KTRACE_ABORT_CONSUMER	= 2,	/* consumer stopped issuing heartbeats */
	KTRACE_ABORT_FILL	= 3,	/* fill policy: a buffer filled */
	KTRACE_ABORT_ERROR	= 4,	/* internal error while enabling */
	KTRACE_ABORT_BEGIN	= 5,	/* BEGIN faulted, no exit(), only dtrace probes */
};

/*
 * KTRACE_IOC_STATUS: the consumer's heartbeat; returns counters.
 * Counters are totals since GO.
 */
struct ktrace_status {
	__u32	size;		/* sizeof(struct ktrace_status) */
	__u32	flags;		/* must be zero */
	__u32	state;		/* out: enum ktrace_state */
	__u32	abort_reason;	/* out: enum ktrace_abort_reason */
	__s32	exit_status;	/* out: value passed to exit() */
	__u32	exited;		/* out: 1 once exit() was called */
	__u64	errors;		/* out: probe faults */
	__u64	double_errors;	/* out: faults in ERROR clauses */
	__u64	dynvar_drops;	/* out: dynamic variable drops */
	__u64	dynvar_dirty_drops; /* out: drops while cleaning */
	__u64	spec_drops;	/* out: speculative drops (buffer full, or not active) */
	__u64	spec_unavail;	/* out: failed speculation(): no buffer free */
	__u64	recursion_drops; /* out: probes dropped by the recursion guard */
	__u64	budget_faults;	/* out: firings cut by the instruction budget */
	__u64	spec_busy;	/* out: failed speculation(): none free, some being committed or discarded */
};

/*
 * KTRACE_IOC_AGGSNAP: switch every CPU's aggregation buffer and return
 * the index of the copy now readable (the other one is being written).
 * The kernel empties the readable copy of the previous snapshot first,
 * so user space must have merged it before asking again.
 */
struct ktrace_aggsnap {
	__u32	size;		/* sizeof(struct ktrace_aggsnap) */
	__u32	flags;		/* must be zero */
	__u32	readable;	/* out: 0 or 1 */
	__u32	reserved;	/* must be zero */
};

#define KTRACE_IOC_MAGIC	0xb7
#define KTRACE_IOC_CONF		_IOWR(KTRACE_IOC_MAGIC, 0x01, struct ktrace_conf)
#define KTRACE_IOC_PROBES	_IOWR(KTRACE_IOC_MAGIC, 0x02, struct ktrace_probe_query)
#define KTRACE_IOC_LOAD		_IOWR(KTRACE_IOC_MAGIC, 0x03, struct ktrace_load)
#define KTRACE_IOC_GO		_IOWR(KTRACE_IOC_MAGIC, 0x04, struct ktrace_go)
#define KTRACE_IOC_STOP		_IOWR(KTRACE_IOC_MAGIC, 0x05, struct ktrace_stop)
#define KTRACE_IOC_STATUS	_IOWR(KTRACE_IOC_MAGIC, 0x06, struct ktrace_status)
#define KTRACE_IOC_AGGSNAP	_IOWR(KTRACE_IOC_MAGIC, 0x07, struct ktrace_aggsnap)

/* ------------------------------------------------------------------ */
/* The mapped buffers (mmap on the session fd)                         */
/* ------------------------------------------------------------------ */

/*
 * After KTRACE_IOC_LOAD, the session fd can be mapped:
 *
 *   offset 0, hdr_map_size bytes (whole pages; ktrace_load.hdr_map_size),
 *     PROT_READ|PROT_WRITE:  struct ktrace_map_hdr (the only pages user
 *     space writes: the consumer's tail pointers);
 *   offset hdr_map_size .. map_size, PROT_READ only (a writable mapping
 *     of any of it is refused with EACCES): per-CPU areas at the offsets
 *     the header gives.
 *
 * The kernel treats everything user space can write as untrusted.
 * A principal buffer's data pages exist once its CPU has written there
 * (docs/buffers.md, "Memory"): read below head only.  A data page no
 * record reached yet reads as zeros, and keeps reading as zeros in a
 * mapping that touched it then (that consumer loses its records there).
 */
#define KTRACE_MAX_CPUS		256

struct ktrace_cpu_area {
	__u64	buf_off;	/* offset of this CPU's principal buffer (struct ktrace_buf_hdr) */
	__u64	buf_size;	/* its data size in bytes (power of two) */
	__u64	agg_off[2];	/* offsets of the two aggregation copies (struct ktrace_agg_hdr) */
	__u64	agg_size;	/* size of each copy, header included (one page without aggregations) */
	__u64	consumer_tail;	/* WRITTEN BY USER SPACE: bytes consumed of the principal buffer */
};

struct ktrace_map_hdr {
	__u32	magic;		/* KTRACE_OBJ_MAGIC */
	__u32	version;	/* KTRACE_ABI_VERSION */
	__u32	ncpus;		/* number of ktrace_cpu_area entries (nr_cpu_ids) */
	__u32	page_size;	/* kernel page size */
	__u64	map_size;	/* total mapping size */
	__u64	reserved;
	struct ktrace_cpu_area cpu[];	/* [ncpus] */
};

/*
 * Principal buffer of one CPU: a header page then buf_size bytes of
 * data used as a ring.  head and tail are byte counts since GO (never
 * wrap); the record at position p is at data + (p & (buf_size - 1)).
 * The producer (that CPU, in probe context, interrupts off) writes a
 * whole record, then publishes head with a release store.  The consumer
 * acquire-loads head, reads records in [tail, head), then stores
 * consumer_tail in the map header.  A record never wraps: if it does not
 * fit before the end, a pad record (epid 0; possibly only its 8 bytes of
 * size and epid) fills the rest.
 */
struct ktrace_buf_hdr {
	__u64	head;		/* bytes produced (kernel writes) */
	__u64	tail;		/* ring policy: oldest byte still valid (kernel writes) */
	__u64	drops;		/* records dropped on this CPU */
	__u64	wrapped;	/* ring policy: 1 once data was overwritten */
	__u64	reserved[4];
};

/* A firing's record; items follow up to size. */
struct ktrace_rec {
	__u32	size;		/* bytes, header included, multiple of 8 */
	__u32	epid;		/* enabled probe id: enabling index + 1; 0: pad record */
	__u64	timestamp;	/* ns, CLOCK_MONOTONIC-like (ktime_get_mono_fast_ns) */
};

/* One action's data inside a record. */
struct ktrace_rec_item {
	__u32	size;		/* bytes, header included, multiple of 8 */
	__u16	action;		/* action index in the object */
	__u16	reserved;
	/*
	 * Payload: the action's arguments in order, each encoded as
	 *   INT     __s64
	 *   STRING  bytes up to and including NUL, zero padded to 8
	 *   STACK   __u64 depth, __u64 pc[depth]
	 *   USTACK  __u64 pid, __u64 depth, __u64 pc[depth]
	 *   USAMPLE struct ktrace_usample, __u8 stack[size], zero padded to 8
	 * (the same encoding as aggregation keys).
	 */
};

/*
 * Aggregation buffer copy of one CPU: header, bucket array, entries.
 * Entries are appended from entries_off up to used; user space may scan
 * them linearly.  Values per function (all __s64):
 *   count/sum/min/max: 1;  avg: 2 (count, total);
 *   stddev: 4 (count, total, sum of squares as a 128-bit value lo, hi);
 *   quantize: KTRACE_QUANTIZE_NBUCKETS;  lquantize: levels + 2;
 *   llquantize: see docs/buffers.md.
 */
struct ktrace_agg_hdr {
	__u64	used;		/* end of the last entry (offset from this header) */
	__u64	drops;		/* updates dropped: copy full */
	__u32	nbuckets;	/* hash buckets (power of two) */
	__u32	buckets_off;	/* offset of __u32 bucket[nbuckets] */
	__u32	entries_off;	/* offset of the first entry */
	__u32	nentries;	/* number of entries */
	__u64	reserved[4];
};

struct ktrace_agg_ent {
	__u32	next;		/* offset of the next entry in the bucket, 0: end */
	__u32	size;		/* whole entry size, multiple of 8 */
	__u32	hash;		/* hash of (agg, key) */
	__u16	agg;		/* aggregation index */
	__u16	keysize;	/* bytes of key (multiple of 8) */
	/* key (keysize bytes, encoded as record items), then __s64 values[] */
};

/* ------------------------------------------------------------------ */
/* Generic netlink family "ktrace" (docs/uapi.md, "Netlink")          */
/* ------------------------------------------------------------------ */

#define KTRACE_GENL_NAME		"ktrace"	/* family name */
#define KTRACE_GENL_VERSION		1		/* genlmsghdr.version */
#define KTRACE_GENL_MCGRP_EVENTS	"events"	/* session events group */

/* Commands (genlmsghdr.cmd).  EV_* are only sent, on the events group. */
enum ktrace_genl_cmd {
	KTRACE_GENL_CMD_UNSPEC = 0,
	KTRACE_GENL_CMD_GET_SESSIONS,	/* dump: one message per live session */
	KTRACE_GENL_CMD_EV_STARTED,	/* GO enabled the probes */
	KTRACE_GENL_CMD_EV_STOPPED,	/* STOP, or the session was closed */
	KTRACE_GENL_CMD_EV_ABORTED,	/* killed: ABORT_REASON says why */
	KTRACE_GENL_CMD_EV_DROPS,	/* buffer drops crossed another threshold */
	__KTRACE_GENL_CMD_MAX,
};
#define KTRACE_GENL_CMD_MAX	(__KTRACE_GENL_CMD_MAX - 1)

/* Attributes of every message (requests carry none). */
enum ktrace_genl_attr {
	KTRACE_GENL_A_UNSPEC = 0,
	KTRACE_GENL_A_SESSION,		/* u32: session id (unique while loaded) */
	KTRACE_GENL_A_PID,		/* u32: opener's tgid (initial pid ns) */
	KTRACE_GENL_A_UID,		/* u32: opener's uid (initial user ns) */
	KTRACE_GENL_A_COMM,		/* string: opener's command name */
	KTRACE_GENL_A_STATE,		/* u32: enum ktrace_state */
	KTRACE_GENL_A_ABORT_REASON,	/* u32: enum ktrace_abort_reason */
	KTRACE_GENL_A_PROBES,		/* u32: distinct probes enabled (0 before GO) */
	KTRACE_GENL_A_ENABLINGS,	/* u32: enablings (probe x clause) loaded */
	KTRACE_GENL_A_DROPS,		/* u64: principal buffer drops since GO */
	KTRACE_GENL_A_ERRORS,		/* u64: probe faults since GO */
	KTRACE_GENL_A_AGE_MS,		/* u64: milliseconds since GO (0 before) */
	KTRACE_GENL_A_PAD,		/* padding of 64-bit attributes */
	KTRACE_GENL_A_MEM_RESERVED,	/* u64: bytes reserved at LOAD (the most it can hold) */
	KTRACE_GENL_A_MEM_RESIDENT,	/* u64: bytes allocated now */
	KTRACE_GENL_A_MEM_BUFFERS,	/* u64: of which principal buffer pages the CPUs took */
	__KTRACE_GENL_A_MAX,
};
#define KTRACE_GENL_A_MAX	(__KTRACE_GENL_A_MAX - 1)

#endif /* _UAPI_LINUX_KTRACE_H */
