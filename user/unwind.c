// SPDX-License-Identifier: GPL-2.0
/*
 * unwind.c: user stacks of ustackmode=dwarf samples (struct ktrace_usample:
 * the user registers and a copy of the stack from sp up, taken in probe
 * context), unwound here from the call frame information of the process's
 * mapped files, as perf does for --call-graph dwarf.
 *
 * elfutils' libdwfl does the unwinding: one Dwfl per process, its modules
 * reported from the mappings sym.c knows (kt_umaps: kept after the process
 * exits), rebuilt when they change; dwfl_attach_state() gives it our
 * thread callbacks, which serve the initial registers and memory reads
 * from the sample being unwound (anything outside the copied stack is
 * unreadable: the unwinding stops there).  libdwfl reads .eh_frame and
 * .debug_frame (also from separate debug files found by build id), and
 * falls back to the frame pointer where a function has no CFI.
 * Single-threaded (the consumer).
 */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <elfutils/libdwfl.h>

#include "kt_user.h"

/* one module: a file's mappings, lowest to highest address */
struct uw_mod {
	uint64_t	lo, hi;
	char		*file;		/* as the maps name it */
	char		*open_as;	/* what to open: its map_files link while it lives */
};

struct uw_proc {
	int			pid;
	unsigned int		gen;	/* kt_umaps() generation reported */
	Dwfl			*dwfl;
	bool			attached;
	struct uw_mod		*mods;
	size_t			nmods, cap;
	/* the sample being unwound */
	const struct ktrace_uregs *regs;
	const uint8_t		*stack;
	uint32_t		size;
	uint64_t		*pcs;
	uint32_t		n, max;
	struct uw_proc		*next;
};

static struct uw_proc *uw_procs;

/* x86-64 DWARF register numbers (the psABI's) */
enum { DW_RBX = 3, DW_RBP = 6, DW_RSP = 7, DW_R12 = 12, DW_R13, DW_R14, DW_R15 };

static struct uw_mod *mod_of(struct uw_proc *up, uint64_t addr)
{
	for (size_t i = 0; i < up->nmods; i++)
		if (addr >= up->mods[i].lo && addr < up->mods[i].hi)
			return &up->mods[i];
	return NULL;
}

/* libdwfl asks for a module's ELF file: open what the report named */
static int uw_find_elf(Dwfl_Module *mod, void **userdata, const char *modname,
		       Dwarf_Addr base, char **file_name, Elf **elfp)
{
	struct uw_mod *m = *userdata;
	int fd;

	*elfp = NULL;
	if (!m)
		return -1;
	fd = open(m->open_as, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && m->open_as != m->file)
		fd = open(m->file, O_RDONLY | O_CLOEXEC);
	if (fd >= 0)
		*file_name = strdup(m->file);
	return fd;
}

static char *uw_debuginfo_path;

static const Dwfl_Callbacks uw_callbacks = {
	.find_elf = uw_find_elf,
	.find_debuginfo = dwfl_standard_find_debuginfo,
	.debuginfo_path = &uw_debuginfo_path,
};

static pid_t uw_next_thread(Dwfl *dwfl, void *arg, void **thread_argp)
{
	struct uw_proc *up = arg;

	if (*thread_argp)
		return 0;
	*thread_argp = up;
	return up->pid;
}

static bool uw_memory_read(Dwfl *dwfl, Dwarf_Addr addr, Dwarf_Word *result, void *arg)
{
	struct uw_proc *up = arg;
	uint64_t sp = up->regs->sp;

	if (addr < sp || addr - sp > up->size || up->size - (addr - sp) < sizeof(*result))
		return false;
	memcpy(result, up->stack + (addr - sp), sizeof(*result));
	return true;
}

static bool uw_initial_registers(Dwfl_Thread *thread, void *arg)
{
	struct uw_proc *up = arg;
	const struct ktrace_uregs *r = up->regs;
	Dwarf_Word bx = r->bx, bpsp[2] = { r->bp, r->sp };
	Dwarf_Word hi[4] = { r->r12, r->r13, r->r14, r->r15 };

	if (!dwfl_thread_state_registers(thread, DW_RBX, 1, &bx) ||
	    !dwfl_thread_state_registers(thread, DW_RBP, 2, bpsp) ||
	    !dwfl_thread_state_registers(thread, DW_R12, 4, hi))
		return false;
	dwfl_thread_state_register_pc(thread, r->ip);
	return true;
}

static const Dwfl_Thread_Callbacks uw_thread_callbacks = {
	.next_thread = uw_next_thread,
	.memory_read = uw_memory_read,
	.set_initial_registers = uw_initial_registers,
};

static void uw_mods_free(struct uw_proc *up)
{
	for (size_t i = 0; i < up->nmods; i++) {
		if (up->mods[i].open_as != up->mods[i].file)
			free(up->mods[i].open_as);
		free(up->mods[i].file);
	}
	free(up->mods);
	up->mods = NULL;
	up->nmods = up->cap = 0;
}

/*
 * kt_umaps callback: a file's mappings make one module, from its lowest
 * address (where its first segment, file offset 0, is mapped: libdwfl takes
 * the load bias from there) to its highest.
 */
static void uw_add_map(void *arg, uint64_t lo, uint64_t hi, uint64_t pgoff, const char *file)
{
	struct uw_proc *up = arg;
	struct uw_mod *m;
	char link[96];

	for (size_t i = 0; i < up->nmods; i++) {
		m = &up->mods[i];
		if (!strcmp(m->file, file)) {
			if (lo < m->lo) {
				m->lo = lo;
				if (m->open_as != m->file) {
					/* the lowest mapping's link names the file too */
					snprintf(link, sizeof(link), "/proc/%d/map_files/%" PRIx64 "-%" PRIx64,
						 up->pid, lo, hi);
					free(m->open_as);
					m->open_as = strdup(link);
					if (!m->open_as)
						m->open_as = m->file;
				}
			}
			if (hi > m->hi)
				m->hi = hi;
			return;
		}
	}
	if (up->nmods == up->cap) {
		size_t cap = up->cap ? up->cap * 2 : 16;
		struct uw_mod *v = realloc(up->mods, cap * sizeof(*v));

		if (!v)
			return;
		up->mods = v;
		up->cap = cap;
	}
	m = &up->mods[up->nmods];
	m->lo = lo;
	m->hi = hi;
	m->file = strdup(file);
	if (!m->file)
		return;
	snprintf(link, sizeof(link), "/proc/%d/map_files/%" PRIx64 "-%" PRIx64, up->pid, lo, hi);
	m->open_as = access(link, R_OK) ? m->file : strdup(link);
	if (!m->open_as)
		m->open_as = m->file;
	up->nmods++;
}

/* (Re)build pid's Dwfl from the mappings known now. */
static bool uw_build(struct uw_proc *up)
{
	unsigned int gen;

	if (up->dwfl)
		dwfl_end(up->dwfl);
	up->dwfl = NULL;
	up->attached = false;
	uw_mods_free(up);
	gen = kt_umaps(up->pid, uw_add_map, up);
	up->gen = gen;
	if (!gen || !up->nmods)
		return false;
	up->dwfl = dwfl_begin(&uw_callbacks);
	if (!up->dwfl)
		return false;
	dwfl_report_begin(up->dwfl);
	for (size_t i = 0; i < up->nmods; i++) {
		struct uw_mod *m = &up->mods[i];
		Dwfl_Module *mod = dwfl_report_module(up->dwfl, m->file, m->lo, m->hi);
		void **ud;

		if (!mod)
			continue;	/* overlaps one reported (an image before an exec) */
		if (dwfl_module_info(mod, &ud, NULL, NULL, NULL, NULL, NULL, NULL))
			*ud = m;
	}
	dwfl_report_end(up->dwfl, NULL, NULL);
	up->attached = dwfl_attach_state(up->dwfl, NULL, up->pid, &uw_thread_callbacks, up);
	return up->attached;
}

static struct uw_proc *uw_get(int pid)
{
	struct uw_proc *up;

	for (up = uw_procs; up; up = up->next)
		if (up->pid == pid)
			break;
	if (!up) {
		up = calloc(1, sizeof(*up));
		if (!up)
			return NULL;
		up->pid = pid;
		up->next = uw_procs;
		uw_procs = up;
	}
	if (kt_umaps(pid, NULL, NULL) != up->gen || !up->dwfl)
		uw_build(up);
	return up->attached ? up : NULL;
}

static int uw_frame(Dwfl_Frame *state, void *arg)
{
	struct uw_proc *up = arg;
	Dwarf_Addr pc;
	bool activation;

	if (!dwfl_frame_pc(state, &pc, &activation) || !pc)
		return DWARF_CB_ABORT;
	up->pcs[up->n++] = pc;
	return up->n < up->max ? DWARF_CB_OK : DWARF_CB_ABORT;
}

static uint32_t uw_run(struct uw_proc *up, const struct ktrace_uregs *regs, const uint8_t *stack,
		       uint32_t size, uint64_t *pcs, uint32_t max)
{
	up->regs = regs;
	up->stack = stack;
	up->size = size;
	up->pcs = pcs;
	up->n = 0;
	up->max = max;
	dwfl_getthread_frames(up->dwfl, up->pid, uw_frame, up);	/* its end is an error too */
	return up->n;
}

uint32_t kt_unwind(int pid, const struct ktrace_uregs *regs, const uint8_t *stack,
		   uint32_t size, uint64_t *pcs, uint32_t max)
{
	struct uw_proc *up;
	uint32_t n;

	if (!max)
		return 0;
	if (pid <= 0 || !regs->ip) {
		pcs[0] = regs->ip;
		return regs->ip ? 1 : 0;
	}
	kt_upid_note(pid);
	kt_umap_refresh(pid, regs->ip);	/* a library mapped since it was read */
	up = uw_get(pid);
	if (!up) {
		pcs[0] = regs->ip;
		return 1;
	}
	n = uw_run(up, regs, stack, size, pcs, max);
	/* stopped in a mapping not known yet: read them again (while it lives), once */
	if (n && n < max && kt_umap_refresh(pid, pcs[n - 1]) && !mod_of(up, pcs[n - 1]) &&
	    (up = uw_get(pid)) != NULL)
		n = uw_run(up, regs, stack, size, pcs, max);
	if (!n) {
		pcs[0] = regs->ip;
		n = 1;
	}
	return n;
}
