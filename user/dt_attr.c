// SPDX-License-Identifier: GPL-2.0
/*
 * Stability attributes of a clause, as dtrace -v reports them (ktrace -v):
 *   - its probe descriptions': for each description, the provider's
 *     attributes for the parts written without a glob (the provider's own
 *     always); a description with no provider (BEGIN, tick-1s), or a glob
 *     for it, has Unstable/Unstable/Common; the clause has the least of its
 *     descriptions';
 *   - its statements': the least of what the predicate and the actions
 *     use.  Constants, operators, variables, subroutines and actions are
 *     Stable/Stable/Common; curthread is Stable/Private/Common (its type is
 *     the kernel's); args[] has the attributes of its providers' arguments.
 * A probe listed by -lv has the attributes of its description (a module
 * or function it does not have counts as not written, as in DTrace) and
 * its provider's argument attributes (kt_probe_attrs()).
 * The providers' attributes are in their table (prov.h): for dtrace,
 * syscall, fbt and profile, the stability tables of the DTrace guide's
 * chapters on those providers; the others have those of DTrace's SDT
 * providers (Evolving, modules and functions Private).
 */
#include <string.h>
#include "dt_impl.h"
#include "prov.h"

static const struct kt_attr attr_sdt[KT_ATTR_NPARTS] = {
	KT_ATTR(EVOLVING, EVOLVING, ISA), KT_ATTR(PRIVATE, PRIVATE, UNKNOWN),
	KT_ATTR(PRIVATE, PRIVATE, UNKNOWN), KT_ATTR(EVOLVING, EVOLVING, ISA),
	KT_ATTR(EVOLVING, EVOLVING, ISA)
};
static const struct kt_attr attr_unstable = KT_ATTR(UNSTABLE, UNSTABLE, COMMON);
static const struct kt_attr attr_stable = KT_ATTR(STABLE, STABLE, COMMON);
static const struct kt_attr attr_curthread = KT_ATTR(STABLE, PRIVATE, COMMON);

/* empty or a pattern: matches more than one name */
static bool is_glob(const char *s)
{
	return !*s || kt_is_glob(s);
}

static const struct kt_attr *prov_parts(const char *prov)
{
	const struct kt_provider *p = kt_prov_find(prov, -1);

	return p && p->attr ? p->attr : attr_sdt;
}

/* a description's: its provider's own, and those of the parts written without a glob */
static struct kt_attr desc_attr(const char *prov, const char *mod, const char *func,
				const char *name)
{
	const char *parts[] = { mod, func, name };
	const struct kt_attr *pa;
	struct kt_attr a;

	if (is_glob(prov))
		return attr_unstable;
	pa = prov_parts(prov);
	a = pa[KT_ATTR_PROVIDER];
	for (int i = 0; i < 3; i++)
		if (!is_glob(parts[i]))
			a = kt_attr_min(a, pa[KT_ATTR_MODULE + i]);
	return a;
}

static struct kt_attr spec_attr(const struct kt_probespec *s)
{
	if (s->prov_implied)
		return attr_unstable;
	return desc_attr(s->prov, s->mod, s->func, s->name);
}

void kt_probe_attrs(const struct ktrace_probe_desc *d, struct kt_attr *desc,
		    struct kt_attr *args)
{
	*desc = desc_attr(d->provider, d->module, d->function, d->name);
	*args = is_glob(d->provider) ? attr_unstable : prov_parts(d->provider)[KT_ATTR_ARGS];
}

static struct kt_attr args_attr(const struct dt_node *c)
{
	struct kt_attr a = attr_stable;

	for (int i = 0; i < c->nspecs; i++) {
		const struct kt_probespec *s = &c->specs[i];

		a = kt_attr_min(a, s->prov_implied || is_glob(s->prov) ? attr_unstable :
				   prov_parts(s->prov)[KT_ATTR_ARGS]);
	}
	return a;
}

/* the least attributes of what the expressions and statements in list n use */
static struct kt_attr uses_attr(const struct dt_node *c, const struct dt_node *n,
				struct kt_attr a, int depth)
{
	for (; n && depth < 256; n = n->next) {
		if (n->kind == DT_N_IDENT && n->builtin == KTRACE_VAR_CURTHREAD + 1)
			a = kt_attr_min(a, attr_curthread);
		else if (n->kind == DT_N_ARGS)
			a = kt_attr_min(a, args_attr(c));
		a = uses_attr(c, n->a, a, depth + 1);
		a = uses_attr(c, n->b, a, depth + 1);
		a = uses_attr(c, n->c, a, depth + 1);
		a = uses_attr(c, n->d, a, depth + 1);
	}
	return a;
}

void dt_clause_attrs(const struct dt_node *c, struct kt_attr *desc, struct kt_attr *stmt)
{
	*desc = attr_stable;
	for (int i = 0; i < c->nspecs; i++)
		*desc = kt_attr_min(*desc, spec_attr(&c->specs[i]));
	*stmt = uses_attr(c, c->a, attr_stable, 0);
	*stmt = uses_attr(c, c->b, *stmt, 0);
}
