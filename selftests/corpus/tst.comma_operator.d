/*
 * C's comma operator: its left operand runs for its effects, left to
 * right, and the right one gives the value and the type (in a statement,
 * in an expression, in for( ) clauses).  The library's uio_rw_t (io.d) is
 * DTrace's name for a transfer's direction.
 */
#pragma D option quiet

struct pt {
	int	x;
	long	y;
};

BEGIN
{
	this->p = (struct pt *)alloca(sizeof(struct pt));
	this->p->x = 3, this->p->y = this->p->x * 2;
	n = 0;
	v = (n++, n++, n * 10);
	s = 0;
	for (i = 0, j = 10; i < 3; i++, j--)
		s += j;
	str = (n++, "right");
	d = (enum uio_rw)UIO_WRITE;
	printf("%d %d %d %d %d %s %d %d %d\n", this->p->x, this->p->y, n, v, s, str,
	    d, UIO_READ, sizeof(uio_rw_t));
	exit(0);
}
