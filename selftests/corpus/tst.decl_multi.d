/*
 * Several declarators in one declaration (D, as C): each gets the
 * specifiers, the '*' binds to its own declarator.
 */
signed char c, c0;
int *p, q;
self short s, s0;
this int t, t0;
int a[int], b[string, int];

BEGIN
{
	c = -1;
	c0 = 300;
	q = 5;
	self->s = 70000;
	self->s0 = -2;
	this->t = 1;
	this->t0 = 2;
	a[1] = 6;
	b["x", 2] = 7;
	printf("%d %d %d %d %d %d %d %d %d %d %d\n", c, c0, q, self->s, self->s0,
	    this->t, this->t0, a[1], b["x", 2], sizeof(p), sizeof(q));
	exit(0);
}
