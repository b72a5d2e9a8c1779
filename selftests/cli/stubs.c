// SPDX-License-Identifier: GPL-2.0
/*
 * Stand-ins for the compiler, symbols and the session, so the CLI's
 * formatting and option code runs on the host without /dev/ktrace (the
 * probe catalogue is the real one: its provider table is read here).
 * Symbols resolve to fixed, recognisable text.
 */
#include <string.h>
#include "cli.h"

void kt_ksym(uint64_t addr, char *buf, size_t size, bool with_offset)
{
	if (addr == 0xffffffff81000010ull)
		snprintf(buf, size, with_offset ? "vmlinux`do_sys_open+0x10" : "vmlinux`do_sys_open");
	else
		buf[0] = '\0';
}

void kt_kmod(uint64_t addr, char *buf, size_t size)
{
	snprintf(buf, size, "vmlinux");
}

void kt_usym(int pid, uint64_t addr, char *buf, size_t size, bool with_offset)
{
	buf[0] = '\0';
}

void kt_umod(int pid, uint64_t addr, char *buf, size_t size)
{
	buf[0] = '\0';
}

void kt_upid_note(int pid) { }

/* ktrace.c is compiled into the test with main renamed; it needs these. */
int stub_compile_calls;

struct kt_prog *kt_compile(const char *const *srcs, const char *const *names, int nsrcs,
			   const struct kt_compile_opts *opts, struct kt_diags *diags)
{
	stub_compile_calls++;
	diags->nerrors = 1;
	return NULL;
}

void kt_prog_free(struct kt_prog *p) { }
/* the D library's probe declarations: none (test_decl lists them from the real one) */
int kt_probe_decls_load(const struct kt_compile_opts *opts, struct kt_probe_decls *out,
			struct kt_diags *diags)
{
	memset(out, 0, sizeof(*out));
	return 0;
}
const struct kt_probe_decl *kt_probe_decls_find(const struct kt_probe_decls *d,
						const char *prov, const char *name)
{
	return NULL;
}
const struct kt_probe_decl *kt_probe_decls_types(struct kt_probe_decls *d,
						 const struct ktrace_probe_desc *p)
{
	return NULL;
}
void kt_probe_decls_free(struct kt_probe_decls *d) { }
void kt_diags_print(const struct kt_diags *d, FILE *f) { }
void kt_diags_free(struct kt_diags *d) { }
int kt_consume_run(struct kt_session_args *a) { return KT_EXIT_ERROR; }
int kt_host_check(struct kt_prog *p, const struct kt_cliopts *o, bool disasm, FILE *out)
{
	return KT_EXIT_ERROR;
}
/* user/genl.c (libnl): --sessions/--watch are tested in the guest (selftests/safety) */
int kt_genl_sessions(FILE *out) { return KT_EXIT_ERROR; }
int kt_genl_watch(FILE *out) { return KT_EXIT_ERROR; }
uint64_t kt_usym_func(int pid, uint64_t addr) { return addr; }
uint64_t kt_umod_base(int pid, uint64_t addr) { return addr; }
/*
 * user/unwind.c (libdw): the sample's ip alone; dwarf unwinding is tested
 * in the guest (providers/ustack.sh).  A sample whose bp is
 * kt_stub_chain_bp has the ip, then the stack's words up to a 0, as its
 * frames (test_cli's values derived from samples).
 */
const uint64_t kt_stub_chain_bp = 0xc4a1c4a1c4a1c4a1ULL;

uint32_t kt_unwind(int pid, const struct ktrace_uregs *regs, const uint8_t *stack,
		   uint32_t size, uint64_t *pcs, uint32_t max)
{
	uint32_t n = 1;

	if (!max || !regs->ip)
		return 0;
	pcs[0] = regs->ip;
	if (regs->bp != kt_stub_chain_bp)
		return 1;
	for (; n < max && n * 8 <= size; n++) {
		memcpy(&pcs[n], stack + (n - 1) * 8, 8);
		if (!pcs[n])
			break;
	}
	return n;
}
