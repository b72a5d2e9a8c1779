/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktrace-flamegraph: the stack tree (flamegraph.c builds it from the input)
 * and its SVG rendering (flamegraph_svg.c).
 */
#ifndef KTRACE_FLAMEGRAPH_H
#define KTRACE_FLAMEGRAPH_H

#include <stddef.h>
#include <stdio.h>

struct fg_node {
	char		*name;
	double		value;		/* samples in this frame and below (drawn) */
	double		base;		/* --diff: the same, in the first profile */
	struct fg_node	**kids;		/* sorted by name */
	size_t		nkids, cap;
};

struct fg_opts {
	int		width;
	double		minwidth;
	const char	*title;
	const char	*countname;	/* "samples" */
	const char	*colors;	/* palette name */
	int		inverted;	/* icicle: root at the top */
	int		reverse;	/* stacks merged leaf first */
	int		diff;		/* value = second profile, base = first */
	int		from_ktrace;
	int		fold;
	int		keep_offsets;
};

/* palette names, NULL-terminated (--colors) */
extern const char *const fg_palettes[];

void fg_write_svg(FILE *o, const struct fg_node *root, const struct fg_opts *op);
/* a count as the input had it: integers without a fraction */
void fg_print_count(FILE *o, double v);

#endif
