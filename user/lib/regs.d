/* SPDX-License-Identifier: GPL-2.0 */
/*
 * regs.d: the register numbers of uregs[ ] (the thread's user registers
 * saved at its kernel entry), as D programs name them: uregs[R_PC],
 * uregs[R_SP]...  DTrace's x86-64 numbering: 0..20 follow the kernel's
 * struct pt_regs (r15 first, ss last; R_ERR is orig_ax, the system call
 * number or the error code), 21..25 are the segment and trap state of the
 * thread (ds, es, the fs and gs bases, the last trap's number).  The
 * 32-bit names (R_EAX...) are the 64-bit registers', and R_PC, R_SP, R_FP,
 * R_R0 and R_R1 the portable aliases.  uapi KTRACE_NUREGS is the count.
 */
inline int R_R15 = 0;
inline int R_R14 = 1;
inline int R_R13 = 2;
inline int R_R12 = 3;
inline int R_RBP = 4;
inline int R_RBX = 5;
inline int R_R11 = 6;
inline int R_R10 = 7;
inline int R_R9 = 8;
inline int R_R8 = 9;
inline int R_RAX = 10;
inline int R_RCX = 11;
inline int R_RDX = 12;
inline int R_RSI = 13;
inline int R_RDI = 14;
inline int R_ERR = 15;
inline int R_RIP = 16;
inline int R_CS = 17;
inline int R_RFL = 18;
inline int R_RSP = 19;
inline int R_SS = 20;
inline int R_DS = 21;
inline int R_ES = 22;
inline int R_FS = 23;
inline int R_GS = 24;
inline int R_TRAPNO = 25;

inline int R_EBP = 4;
inline int R_EBX = 5;
inline int R_EAX = 10;
inline int R_ECX = 11;
inline int R_EDX = 12;
inline int R_ESI = 13;
inline int R_EDI = 14;
inline int R_EIP = 16;
inline int R_EFL = 18;
inline int R_ESP = 19;

inline int R_PC = 16;
inline int R_SP = 19;
inline int R_FP = 4;
inline int R_R0 = 10;
inline int R_R1 = 5;
