/*
 * A struct or union variable declared in D as an array's key: by its
 * bytes, so two variables of equal contents name one element (as DTrace's
 * struct/tst.StructAssoc), and a change of a member another one.
 */
#pragma D option quiet

struct rec {
	int pos;
	char tag;
};

union num {
	int i;
	short s;
};

struct rec r1, r2;
union num u;

BEGIN
{
	r1.pos = 1;
	r1.tag = 'a';
	r2.pos = 1;
	r2.tag = 'a';
	a[r1] = 1000;
	a[r2] = 2000;
	printf("%d %d\n", a[r1], a[r2]);
	r2.tag = 'b';
	a[r2] = 3000;
	printf("%d %d\n", a[r1], a[r2]);

	/* thread-local arrays, with another key beside it */
	self->t[r1, 7] = 5;
	printf("%d %d\n", self->t[r1, 7], self->t[r2, 7]);

	/* a union: its bytes, whichever member wrote them */
	u.i = 0x10002;
	b[u] = 42;
	u.s = 2;
	printf("%d\n", b[u]);
	u.i = 2;
	printf("%d\n", b[u]);
	exit(0);
}
