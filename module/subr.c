// SPDX-License-Identifier: GPL-2.0
/*
 * subr.c: the subroutines of CALL (KTRACE_SUBRS).  Arguments are the
 * tuple stack vm->tup[0..ntup); string results are new strings in the
 * clause's scratch (or references into an argument string, as DTrace's
 * strchr/strrchr/strstr return), bounded by strsize.
 *
 * Context: probe context, called from interp.c only.  No allocation (the
 * scratch is preallocated), no locks, no sleeping.  Kernel and user
 * memory are read only through ktrace_env_read_kernel/_user; writes go
 * only to scratch.
 */
#include "vm_mem.h"

static const u8 subr_args[KTRACE_SUBR_MAX][2] = {
#define KTRACE_SUBR_ARGS(name, val, str, mn, mx, rs) [val] = { mn, mx },
	KTRACE_SUBRS(KTRACE_SUBR_ARGS)
#undef KTRACE_SUBR_ARGS
};

#define ARG(i)		(vm->tup[i].val)
#define SARG(i)		((s64)vm->tup[i].val)

/* Bytes of the longest string, its NUL included. */
static u32 strsz(const struct ktrace_vm *vm)
{
	return vm->prog->opts.strsize + 1;
}

/* A string argument: address and bounded length. */
static int sarg(struct ktrace_vm *vm, u32 i, const char **s, u32 *len)
{
	if (ktrace_vm_strlen(vm, ARG(i), len))
		return -EFAULT;
	*s = (const char *)(uintptr_t)ARG(i);
	return 0;
}

/* A new scratch string of room for n chars + NUL. */
static char *snew(struct ktrace_vm *vm, u32 n)
{
	char *d = ktrace_vm_scratch_alloc(vm, n + 1);

	if (!d)
		ktrace_vm_fault(vm, KTRACE_FAULT_NOSCRATCH, n + 1);
	return d;
}

static int sret(struct ktrace_vm *vm, const char *s, u32 len, u64 *out)
{
	char *d = snew(vm, len);

	if (!d)
		return -EFAULT;
	memcpy(d, s, len);
	d[len] = 0;
	*out = (uintptr_t)d;
	return 0;
}

static int find(const char *s, u32 sl, const char *t, u32 tl, s64 from, bool rev)
{
	s64 i;

	if (tl > sl)
		return -1;
	if (!rev) {
		for (i = max_t(s64, from, 0); i + tl <= sl; i++)
			if (!memcmp(s + i, t, tl))
				return (int)i;
	} else {
		for (i = min_t(s64, from, (s64)(sl - tl)); i >= 0; i--)
			if (!memcmp(s + i, t, tl))
				return (int)i;
	}
	return -1;
}

static int s_index(struct ktrace_vm *vm, bool rev, u64 *out)
{
	const char *s, *t;
	u32 sl, tl;
	s64 from;

	if (sarg(vm, 0, &s, &sl) || sarg(vm, 1, &t, &tl))
		return -EFAULT;
	from = vm->ntup > 2 ? SARG(2) : (rev ? (s64)sl : 0);
	if (!rev && from > (s64)sl) {
		*out = (u64)-1;
		return 0;
	}
	if (rev && from < 0) {
		*out = (u64)-1;
		return 0;
	}
	*out = (u64)(s64)find(s, sl, t, tl, from, rev);
	return 0;
}

static int s_substr(struct ktrace_vm *vm, u64 *out)
{
	const char *s;
	u32 sl;
	s64 idx, n;

	if (sarg(vm, 0, &s, &sl))
		return -EFAULT;
	idx = SARG(1);
	n = vm->ntup > 2 ? SARG(2) : (s64)sl;
	if (idx < 0) {
		idx += sl;
		if (idx < 0) {
			if (vm->ntup > 2 && n > 0)
				n = n + idx > 0 ? n + idx : 0;
			idx = 0;
		}
	}
	if (idx >= (s64)sl) {
		n = 0;
	} else if (n < 0) {
		n += (s64)sl - idx;
		if (n < 0)
			n = 0;
	} else if (n > (s64)sl - idx) {
		n = (s64)sl - idx;
	}
	return sret(vm, n ? s + idx : "", (u32)n, out);
}

static int s_strjoin(struct ktrace_vm *vm, u64 *out)
{
	const char *a, *b;
	u32 la, lb;
	char *d;

	if (sarg(vm, 0, &a, &la) || sarg(vm, 1, &b, &lb))
		return -EFAULT;
	lb = min(lb, strsz(vm) - 1 - la);
	d = snew(vm, la + lb);
	if (!d)
		return -EFAULT;
	memcpy(d, a, la);
	memcpy(d + la, b, lb);
	d[la + lb] = 0;
	*out = (uintptr_t)d;
	return 0;
}

static int s_strchr(struct ktrace_vm *vm, bool rev, u64 *out)
{
	const char *s;
	u32 sl, i;
	char c = (char)ARG(1);

	if (sarg(vm, 0, &s, &sl))
		return -EFAULT;
	*out = 0;
	for (i = 0; i < sl; i++) {
		u32 j = rev ? sl - 1 - i : i;

		if (s[j] == c) {
			*out = (uintptr_t)(s + j);
			return 0;
		}
	}
	/* the terminating NUL is part of the string, as strchr(3) */
	if (!c)
		return sret(vm, "", 0, out);
	return 0;
}

static int s_strstr(struct ktrace_vm *vm, u64 *out)
{
	const char *s, *t;
	u32 sl, tl;
	int i;

	if (sarg(vm, 0, &s, &sl) || sarg(vm, 1, &t, &tl))
		return -EFAULT;
	i = find(s, sl, t, tl, 0, false);
	*out = i < 0 ? 0 : (uintptr_t)(s + i);
	return 0;
}

static bool in_set(char c, const char *set, u32 n)
{
	return memchr(set, c, n) != NULL;
}

static int s_strtok(struct ktrace_vm *vm, u64 *out)
{
	const char *s, *d;
	u32 sl, dl, i, j;

	if (!ARG(0)) {
		if (!vm->strtok) {
			*out = 0;
			return 0;
		}
		vm->tup[0].val = vm->strtok;
	}
	if (sarg(vm, 0, &s, &sl) || sarg(vm, 1, &d, &dl))
		return -EFAULT;
	for (i = 0; i < sl && in_set(s[i], d, dl); i++)
		;
	if (i == sl) {
		vm->strtok = 0;
		*out = 0;
		return 0;
	}
	for (j = i; j < sl && !in_set(s[j], d, dl); j++)
		;
	/*
	 * the next call starts at the delimiter that ended this token, as
	 * DTrace's: strtok(NULL, other) may take it into its token
	 */
	vm->strtok = j < sl ? (uintptr_t)(s + j) : 0;
	/* the next call walks on: a string in scratch must outlive the statement */
	if (vm->strtok && vm_in_region(vm->strtok, vm->scratch, vm->scratch_used))
		ktrace_vm_scratch_keep(vm);
	return sret(vm, s + i, j - i, out);
}

static int s_case(struct ktrace_vm *vm, bool upper, u64 *out)
{
	const char *s;
	u32 sl, i;
	char *d;

	if (sarg(vm, 0, &s, &sl))
		return -EFAULT;
	d = snew(vm, sl);
	if (!d)
		return -EFAULT;
	for (i = 0; i < sl; i++) {
		char c = s[i];

		if (upper && c >= 'a' && c <= 'z')
			c -= 'a' - 'A';
		else if (!upper && c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		d[i] = c;
	}
	d[sl] = 0;
	*out = (uintptr_t)d;
	return 0;
}

static int s_lltostr(struct ktrace_vm *vm, u64 *out)
{
	s64 v = SARG(0);
	u64 base = vm->ntup > 1 ? ARG(1) : 10, u;
	char buf[72];
	int i = sizeof(buf);
	bool neg = false;

	if (base < 2 || base > 36)
		return ktrace_vm_fault(vm, KTRACE_FAULT_ILLOP, base);
	if (base == 10 && v < 0) {
		neg = true;
		u = -(u64)v;
	} else {
		u = (u64)v;
	}
	do {
		u32 dgt = (u32)(u % base);

		buf[--i] = (char)(dgt < 10 ? '0' + dgt : 'a' + dgt - 10);
		u /= base;
	} while (u);
	if (neg)
		buf[--i] = '-';
	return sret(vm, buf + i, sizeof(buf) - i, out);
}

/* basename/dirname as basename(1)/dirname(1). */
static int s_path(struct ktrace_vm *vm, bool dir, u64 *out)
{
	const char *s;
	u32 sl, end, b;

	if (sarg(vm, 0, &s, &sl))
		return -EFAULT;
	if (!sl)
		return sret(vm, ".", 1, out);
	end = sl;
	while (end > 1 && s[end - 1] == '/')
		end--;
	if (end == 1 && s[0] == '/')
		return sret(vm, "/", 1, out);
	b = end;
	while (b > 0 && s[b - 1] != '/')
		b--;
	if (!dir)
		return sret(vm, s + b, end - b, out);
	if (!b)
		return sret(vm, ".", 1, out);
	while (b > 1 && s[b - 1] == '/')
		b--;
	return sret(vm, s, b, out);
}

/*
 * cleanpath: the shortest path naming the same file, lexically (as
 * DTrace's): "//" and "." components go, "x/.." goes, ".." above the
 * root is the root, a relative path keeps the ".." it cannot resolve,
 * no trailing '/', and what reduces to nothing is "." ("" stays "").
 * The result is never longer than the path.
 */
static int s_cleanpath(struct ktrace_vm *vm, u64 *out)
{
	const char *s;
	u32 sl, r, w = 0, dotdot;	/* d[0, dotdot) is "/" or leading ".."s */
	bool rooted;
	char *d;

	if (sarg(vm, 0, &s, &sl))
		return -EFAULT;
	d = snew(vm, sl);
	if (!d)
		return -EFAULT;
	rooted = sl && s[0] == '/';
	if (rooted)
		d[w++] = '/';
	r = dotdot = w;
	while (r < sl) {
		u32 clen;

		for (clen = 0; r + clen < sl && s[r + clen] != '/'; clen++)
			;
		if (clen == 0 || (clen == 1 && s[r] == '.')) {
			r += clen + 1;
			continue;
		}
		if (clen == 2 && s[r] == '.' && s[r + 1] == '.') {
			r += 3;
			if (w > dotdot) {
				/* drop the last component and its '/' */
				while (w > dotdot && d[w - 1] != '/')
					w--;
				if (w > dotdot)
					w--;
			} else if (!rooted) {
				if (w)
					d[w++] = '/';
				d[w++] = '.';
				d[w++] = '.';
				dotdot = w;
			}
			continue;
		}
		if (w > (rooted ? 1U : 0U))
			d[w++] = '/';
		memcpy(d + w, s + r, clen);
		w += clen;
		r += clen + 1;
	}
	if (!w && sl)
		d[w++] = '.';
	d[w] = 0;
	*out = (uintptr_t)d;
	return 0;
}

static int s_inet_ntoa(struct ktrace_vm *vm, u64 *out)
{
	u32 a = (u32)ARG(0);	/* network order, as loaded from memory */
	const u8 *b = (const u8 *)&a;
	char buf[16];
	int n;

	n = snprintf(buf, sizeof(buf), "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
	return sret(vm, buf, (u32)n, out);
}

/*
 * Read n bytes of an address argument: ktrace memory (alloca, copyin) or
 * kernel memory through the fault-safe read (BADADDR for user addresses).
 */
static int read_arg_bytes(struct ktrace_vm *vm, u64 src, void *dst, u32 n)
{
	if (ktrace_vm_avail(vm, src) >= n) {
		memcpy(dst, (const void *)(uintptr_t)src, n);
		return 0;
	}
	if (!KTRACE_IS_KERNEL_ADDR(src) || ktrace_env_read_kernel(dst, src, n))
		return ktrace_vm_fault(vm, KTRACE_FAULT_BADADDR, src);
	return 0;
}

static const char hexd[] = "0123456789abcdef";

#define KT_INET_STRLEN	48	/* room for any IPv6 text form and its NUL */

/* One 16-bit group in lowercase hex without leading zeros; returns its length. */
static u32 hex16(char *d, u32 v)
{
	u32 n = 0;
	int sh;

	for (sh = 12; sh > 0 && !(v >> sh); sh -= 4)
		;
	for (; sh >= 0; sh -= 4)
		d[n++] = hexd[(v >> sh) & 15];
	return n;
}

/* How an IPv6 address that embeds an IPv4 one is written. */
enum in6_v4_style {
	IN6_V4_RFC,	/* inet_ntop(): ::ffff:a.b.c.d when mapped (RFC 5952) */
	IN6_V4_BARE,	/* inet_ntoa6(a): a.b.c.d when mapped or compatible, as DTrace */
	IN6_V4_STRICT,	/* inet_ntoa6(a, 1): ::ffff:a.b.c.d and ::a.b.c.d */
};

/*
 * The text form of an IPv6 address (RFC 5952: lowercase, no leading
 * zeros, the first longest run of two or more zero groups as "::"), with
 * an embedded IPv4 address in STYLE: IPv4-mapped is ::ffff:0:0/96,
 * IPv4-compatible ::/96 but for :: and ::1 (IN6_IS_ADDR_V4COMPAT's).
 */
static u32 fmt_in6(char d[KT_INET_STRLEN], const u8 *a, enum in6_v4_style style)
{
	int best = -1, bestn = 1, i, j;
	bool zero80 = true, mapped, compat;
	u32 n = 0;
	u16 g[8];

	for (i = 0; i < 8; i++)
		g[i] = (u16)(a[2 * i] << 8 | a[2 * i + 1]);
	for (i = 0; i < 5; i++)
		zero80 = zero80 && !g[i];
	mapped = zero80 && g[5] == 0xffff;
	compat = zero80 && !g[5] && (g[6] || g[7] > 1);
	if (style != IN6_V4_RFC && (mapped || compat))
		return (u32)snprintf(d, KT_INET_STRLEN, "%s%u.%u.%u.%u",
				     style == IN6_V4_BARE ? "" : mapped ? "::ffff:" : "::",
				     a[12], a[13], a[14], a[15]);
	for (i = 0; i < 8; i = j + 1) {
		for (j = i; j < 8 && !g[j]; j++)
			;
		if (j - i > bestn) {
			best = i;
			bestn = j - i;
		}
	}
	if (best == 0 && bestn == 5 && g[5] == 0xffff)
		return (u32)snprintf(d, KT_INET_STRLEN, "::ffff:%u.%u.%u.%u", a[12], a[13], a[14],
				     a[15]);
	for (i = 0; i < 8; i++) {
		if (i == best) {
			d[n++] = ':';
			if (i == 0)
				d[n++] = ':';
			i += bestn - 1;
			continue;
		}
		n += hex16(d + n, g[i]);
		if (i < 7)
			d[n++] = ':';
	}
	return n;
}

/*
 * inet_ntoa6(in6_addr_t *[, strict]) (STYLE BARE or STRICT), inet_ntop(af,
 * void *) (af: AF_INET 2, AF_INET6 10; STYLE RFC)
 */
static int s_inet_ntop(struct ktrace_vm *vm, u64 af, u64 addr, enum in6_v4_style style,
		       u64 *out)
{
	char buf[KT_INET_STRLEN];
	u8 a[16];
	u32 n;

	if (af != 2 && af != 10)
		return ktrace_vm_fault(vm, KTRACE_FAULT_ILLOP, af);
	if (read_arg_bytes(vm, addr, a, af == 2 ? 4 : 16))
		return -EFAULT;
	if (af == 2)
		n = (u32)snprintf(buf, sizeof(buf), "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
	else
		n = fmt_in6(buf, a, style);
	return sret(vm, buf, n, out);
}

/* ARP hardware types (linux/if_arp.h) link_ntop() knows, and their address lengths */
#define KT_ARPHRD_ETHER		1
#define KT_ARPHRD_INFINIBAND	32
#define KT_ETH_ALEN		6
#define KT_INFINIBAND_ALEN	20

/*
 * link_ntop(type, void *): the link-layer address at addr as lowercase
 * hex bytes joined by ':' (an Ethernet MAC's 6 bytes, an IPoIB address's
 * 20), as DTrace's, cut at strsize; another type faults ILLOP.
 */
static int s_link_ntop(struct ktrace_vm *vm, u64 type, u64 addr, u64 *out)
{
	char buf[KT_INFINIBAND_ALEN * 3];
	u8 a[KT_INFINIBAND_ALEN];
	u32 len, i;

	if (type == KT_ARPHRD_ETHER)
		len = KT_ETH_ALEN;
	else if (type == KT_ARPHRD_INFINIBAND)
		len = KT_INFINIBAND_ALEN;
	else
		return ktrace_vm_fault(vm, KTRACE_FAULT_ILLOP, type);
	if (read_arg_bytes(vm, addr, a, len))
		return -EFAULT;
	for (i = 0; i < len; i++) {
		buf[3 * i] = hexd[a[i] >> 4];
		buf[3 * i + 1] = hexd[a[i] & 15];
		buf[3 * i + 2] = ':';
	}
	return sret(vm, buf, min(3 * len - 1, strsz(vm) - 1), out);
}

static int digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

static int s_strtoll(struct ktrace_vm *vm, u64 *out)
{
	const char *s;
	u32 sl, i = 0;
	u64 base = vm->ntup > 1 ? ARG(1) : 10, v = 0;
	bool neg = false;

	if (base < 2 || base > 36)
		return ktrace_vm_fault(vm, KTRACE_FAULT_ILLOP, base);
	if (sarg(vm, 0, &s, &sl))
		return -EFAULT;
	while (i < sl && (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r')))
		i++;
	if (i < sl && (s[i] == '-' || s[i] == '+'))
		neg = s[i++] == '-';
	if (base == 16 && i + 1 < sl && s[i] == '0' && (s[i + 1] | 0x20) == 'x')
		i += 2;
	for (; i < sl && digit(s[i]) < (int)base; i++)
		v = v * base + digit(s[i]);
	*out = neg ? -v : v;
	return 0;
}

static int s_strncmp(struct ktrace_vm *vm, u64 *out)
{
	const char *a, *b;
	u32 la, lb, n, i;
	u64 lim = ARG(2);

	if (sarg(vm, 0, &a, &la) || sarg(vm, 1, &b, &lb))
		return -EFAULT;
	n = (u32)min_t(u64, lim, (u64)max(la, lb) + 1);
	for (i = 0; i < n; i++) {
		u8 ca = i < la ? (u8)a[i] : 0, cb = i < lb ? (u8)b[i] : 0;

		if (ca != cb) {
			*out = ca < cb ? (u64)-1 : 1;
			return 0;
		}
		if (!ca)
			break;
	}
	*out = 0;
	return 0;
}

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "ktrace_vm_read_kstr() reads strings a little-endian word at a time"
#endif

/*
 * A kernel string into d, at most lim characters; *len its length.  d
 * has ALIGN(lim + 1, 8) bytes (ktrace_vm_scratch_alloc(lim + 1) gives
 * that).  The string is read a word at a time: the naturally aligned
 * 8-byte words that hold it, each read once, inline (ktrace_kread_word),
 * never crossing a page, so a string that ends before a hole reads fine;
 * the first word's bytes before addr are dropped.  The NUL is found with
 * the word-at-a-time test (its lowest flagged byte is the first NUL), and
 * whole words are stored at once: a short name in a long array (a disk's,
 * a task's) costs a load or two and no byte loop (B9: io:::start's
 * dev_statname, a 32-byte array).  Bytes of d past the NUL are undefined.
 */
int ktrace_vm_read_kstr(struct ktrace_vm *vm, char *d, u64 addr, u32 lim, u32 *len)
{
	const u64 ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
	u32 room = ALIGN(lim + 1, 8), n = 0, skip = addr & 7, avail, z, i;
	u64 a = addr - skip, w, m;

	if (!KTRACE_IS_KERNEL_ADDR(addr))
		return ktrace_vm_fault(vm, KTRACE_FAULT_BADADDR, addr);
	while (n < lim) {
		if (ktrace_kread_word(&w, a, 8))
			return ktrace_vm_fault(vm, KTRACE_FAULT_BADADDR, n ? a : addr);
		if (skip) {	/* the bytes before addr out, 0xff (not NUL) in */
			w = w >> (8 * skip) | ~0ULL << (64 - 8 * skip);
			skip = 0;
			avail = 8 - (u32)(addr & 7);
		} else {
			avail = 8;
		}
		m = (w - ones) & ~w & highs;
		z = m ? (u32)__builtin_ctzll(m) / 8 : 8;
		if (n + 8 <= room) {
			memcpy(d + n, &w, 8);
		} else {
			for (i = 0; i < avail && i < lim - n; i++)
				d[n + i] = (char)(w >> (8 * i));
		}
		if (z < avail || avail >= lim - n) {
			n += min(z, min(avail, lim - n));
			break;
		}
		n += avail;
		a += 8;
	}
	d[n] = 0;
	*len = n;
	return 0;
}

static int read_kstr(struct ktrace_vm *vm, char *d, u64 addr, u32 lim, u64 *out)
{
	u32 len;

	if (ktrace_vm_read_kstr(vm, d, addr, lim, &len))
		return -EFAULT;
	*out = (uintptr_t)d;
	return 0;
}

/* Read a string of kernel (user = false) or user memory into scratch. */
/*
 * The string at addr, at most maxlen characters (0: strsize); user:
 * copyinstr(), whose maximum length counts the terminating NUL as DTrace
 * for Linux's does (copyinstr(a, 8) is at most 7 characters).
 */
static int read_str(struct ktrace_vm *vm, u64 addr, u64 maxlen, bool user, u64 *out)
{
	u32 lim = strsz(vm) - 1, n = 0;
	char *d;

	if (maxlen && user) {
		if (maxlen - 1 < lim)
			lim = (u32)(maxlen - 1);
	} else if (maxlen && maxlen < lim) {
		lim = (u32)maxlen;
	}
	if (user ? KTRACE_IS_KERNEL_ADDR(addr) : !KTRACE_IS_KERNEL_ADDR(addr))
		return ktrace_vm_fault(vm, user ? KTRACE_FAULT_UPRIV : KTRACE_FAULT_BADADDR, addr);
	d = snew(vm, lim);
	if (!d)
		return -EFAULT;
	if (!user)
		return read_kstr(vm, d, addr, lim, out);
	/* page-sized chunks, so a string ending before a hole reads fine */
	while (n < lim) {
		u64 a = addr + n;
		u32 c = min_t(u32, lim - n, 4096 - (u32)(a & 4095));
		int err = ktrace_env_read_user(d + n, a, c);
		char *z;

		if (err)
			return ktrace_vm_fault(vm, KTRACE_FAULT_BADADDR, a);
		z = memchr(d + n, 0, c);
		if (z) {
			n = (u32)(z - d);
			break;
		}
		n += c;
	}
	d[n] = 0;
	*out = (uintptr_t)d;
	return 0;
}

static int s_copyin(struct ktrace_vm *vm, u64 *out)
{
	u64 addr = ARG(0), size = ARG(1);
	void *d;

	if (KTRACE_IS_KERNEL_ADDR(addr))
		return ktrace_vm_fault(vm, KTRACE_FAULT_UPRIV, addr);
	if (size > vm->scratch_size || !(d = ktrace_vm_scratch_alloc(vm, (u32)size)))
		return ktrace_vm_fault(vm, KTRACE_FAULT_NOSCRATCH, size);
	if (size && ktrace_env_read_user(d, addr, size))
		return ktrace_vm_fault(vm, KTRACE_FAULT_BADADDR, addr);
	ktrace_vm_scratch_keep(vm);	/* may be kept in a variable as a pointer */
	*out = (uintptr_t)d;
	return 0;
}

static int s_copyinto(struct ktrace_vm *vm, u64 *out)
{
	u64 addr = ARG(0), size = ARG(1), dst = ARG(2);

	if (KTRACE_IS_KERNEL_ADDR(addr))
		return ktrace_vm_fault(vm, KTRACE_FAULT_UPRIV, addr);
	if (ktrace_vm_dst_check(vm, dst, size))
		return -EFAULT;
	if (size && ktrace_env_read_user((void *)(uintptr_t)dst, addr, size))
		return ktrace_vm_fault(vm, KTRACE_FAULT_BADADDR, addr);
	*out = 0;
	return 0;
}

static int s_bcopy(struct ktrace_vm *vm, u64 *out)
{
	u64 src = ARG(0), dst = ARG(1), size = ARG(2);

	if (ktrace_vm_dst_check(vm, dst, size))
		return -EFAULT;
	if (ktrace_vm_avail(vm, src) >= size) {
		memmove((void *)(uintptr_t)dst, (const void *)(uintptr_t)src, size);
	} else {
		if (!KTRACE_IS_KERNEL_ADDR(src))
			return ktrace_vm_fault(vm, KTRACE_FAULT_BADADDR, src);
		if (size && ktrace_env_read_kernel((void *)(uintptr_t)dst, src, size))
			return ktrace_vm_fault(vm, KTRACE_FAULT_BADADDR, src);
	}
	*out = 0;
	return 0;
}

static int s_alloca(struct ktrace_vm *vm, u64 *out)
{
	u64 size = ARG(0);
	void *d;

	/* scratchsize bounds what a clause's alloca()s hold together */
	if (size > vm->prog->opts.scratchsize - vm->alloca_used ||
	    !(d = ktrace_vm_scratch_alloc(vm, (u32)size)))
		return ktrace_vm_fault(vm, KTRACE_FAULT_NOSCRATCH, size);
	vm->alloca_used += ALIGN((u32)size, 8);
	memset(d, 0, ALIGN(size, 8));
	ktrace_vm_scratch_keep(vm);	/* lives until the clause returns */
	*out = (uintptr_t)d;
	return 0;
}

static int s_stringof(struct ktrace_vm *vm, u64 *out)
{
	u64 addr = ARG(0);

	/* already a ktrace string: return it (bounded as every string) */
	if (ktrace_vm_avail(vm, addr)) {
		*out = addr;
		return 0;
	}
	return read_str(vm, addr, vm->ntup > 1 ? ARG(1) : 0, false, out);
}

/*
 * ustack() with ustackmode=dwarf: a struct ktrace_usample and the stack
 * bytes, for the consumer to unwind (docs/uapi.md).
 */
static int s_usample(struct ktrace_vm *vm, u64 *out)
{
	u32 frames = vm->prog->opts.ustackframes;
	u32 max = vm->prog->opts.ustacksize & ~7U;
	struct ktrace_usample *us;
	u64 pid;

	if (vm->ntup && ARG(0) < frames)
		frames = (u32)ARG(0);
	max = min_t(u32, max, KTRACE_MAX_USTACKSIZE);
	us = ktrace_vm_scratch_alloc(vm, sizeof(*us) + max);
	if (!us)
		return ktrace_vm_fault(vm, KTRACE_FAULT_NOSCRATCH, sizeof(*us) + max);
	if (ktrace_env_builtin(vm, KTRACE_VAR_PID, &pid) < 0)
		pid = 0;
	us->pid = pid;
	us->frames = frames;
	us->size = ktrace_env_usample(vm, &us->regs, us + 1, max);
	/* give back what the stack did not use */
	vm->scratch_used -= max - us->size;
	*out = (uintptr_t)us;
	return 0;
}

static int s_stack(struct ktrace_vm *vm, bool user, u64 *out)
{
	u32 max = user ? vm->prog->opts.ustackframes : vm->prog->opts.stackframes;
	u32 h = user ? 2 : 1, n;
	u64 *d;

	if (vm->ntup && ARG(0) < max)
		max = (u32)ARG(0);
	max = min_t(u32, max, KTRACE_MAX_STACKFRAMES);
	d = ktrace_vm_scratch_alloc(vm, (h + max) * 8);
	if (!d)
		return ktrace_vm_fault(vm, KTRACE_FAULT_NOSCRATCH, (h + max) * 8);
	if (user && ktrace_env_builtin(vm, KTRACE_VAR_PID, &d[0]) < 0)
		d[0] = 0;
	n = ktrace_env_stack(vm, user, d + h, max);
	d[h - 1] = min(n, max);
	/* give back the unused frames */
	vm->scratch_used -= (max - (u32)d[h - 1]) * 8;
	*out = (uintptr_t)d;
	return 0;
}

int ktrace_subr_call(struct ktrace_vm *vm, u32 subr, u64 *out)
{
	int err;

	if (subr >= KTRACE_SUBR_MAX || vm->ntup < subr_args[subr][0] ||
	    vm->ntup > subr_args[subr][1])
		return ktrace_vm_fault(vm, KTRACE_FAULT_ILLOP, vm->ntup);
	*out = 0;
	switch (subr) {
	case KTRACE_SUBR_STRLEN: {
		const char *s;
		u32 l;

		if (sarg(vm, 0, &s, &l))
			return -EFAULT;
		*out = l;
		return 0;
	}
	case KTRACE_SUBR_STRJOIN:	return s_strjoin(vm, out);
	case KTRACE_SUBR_SUBSTR:	return s_substr(vm, out);
	case KTRACE_SUBR_INDEX:		return s_index(vm, false, out);
	case KTRACE_SUBR_RINDEX:	return s_index(vm, true, out);
	case KTRACE_SUBR_STRCHR:	return s_strchr(vm, false, out);
	case KTRACE_SUBR_STRRCHR:	return s_strchr(vm, true, out);
	case KTRACE_SUBR_STRSTR:	return s_strstr(vm, out);
	case KTRACE_SUBR_STRTOK:	return s_strtok(vm, out);
	case KTRACE_SUBR_TOLOWER:	return s_case(vm, false, out);
	case KTRACE_SUBR_TOUPPER:	return s_case(vm, true, out);
	case KTRACE_SUBR_LLTOSTR:	return s_lltostr(vm, out);
	case KTRACE_SUBR_BASENAME:	return s_path(vm, false, out);
	case KTRACE_SUBR_DIRNAME:	return s_path(vm, true, out);
	case KTRACE_SUBR_CLEANPATH:	return s_cleanpath(vm, out);
	case KTRACE_SUBR_HTONS:
		*out = cpu_to_be16((u16)ARG(0));
		return 0;
	case KTRACE_SUBR_HTONL:
		*out = cpu_to_be32((u32)ARG(0));
		return 0;
	case KTRACE_SUBR_HTONLL:
		*out = cpu_to_be64(ARG(0));
		return 0;
	case KTRACE_SUBR_INET_NTOA:	return s_inet_ntoa(vm, out);
	case KTRACE_SUBR_COPYIN:	return s_copyin(vm, out);
	case KTRACE_SUBR_COPYINSTR:
		return read_str(vm, ARG(0), vm->ntup > 1 ? ARG(1) : 0, true, out);
	case KTRACE_SUBR_COPYINTO:	return s_copyinto(vm, out);
	case KTRACE_SUBR_KSTRING:	return s_stringof(vm, out);
	case KTRACE_SUBR_STACK:		return s_stack(vm, false, out);
	case KTRACE_SUBR_USTACK:
		if (vm->prog->opts.flags & KTRACE_OPT_F_USTACK_DWARF)
			return s_usample(vm, out);
		return s_stack(vm, true, out);
	case KTRACE_SUBR_STRTOLL:	return s_strtoll(vm, out);
	case KTRACE_SUBR_ALLOCA:	return s_alloca(vm, out);
	case KTRACE_SUBR_BCOPY:		return s_bcopy(vm, out);
	case KTRACE_SUBR_STRNCMP:	return s_strncmp(vm, out);
	case KTRACE_SUBR_INET_NTOA6:
		return s_inet_ntop(vm, 10, ARG(0),
				   vm->ntup > 1 && ARG(1) ? IN6_V4_STRICT : IN6_V4_BARE, out);
	case KTRACE_SUBR_INET_NTOP:
		return s_inet_ntop(vm, ARG(0), ARG(1), IN6_V4_RFC, out);
	case KTRACE_SUBR_LINK_NTOP:
		return s_link_ntop(vm, ARG(0), ARG(1), out);
	}
	/* rand, speculation, progenyof, copyout, copyoutstr */
	vm->fault = 0;
	err = ktrace_env_subr(vm, subr, out);
	if (err < 0)
		return vm->fault ? -EFAULT :
		       ktrace_vm_fault(vm, err == -EFAULT ? KTRACE_FAULT_BADADDR :
				       KTRACE_FAULT_ILLOP, subr);
	return 0;
}
