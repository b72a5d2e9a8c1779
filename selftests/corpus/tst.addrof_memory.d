/*
 * & of objects in memory, as in C: &p[i] (p + i), &p->m and &p[i].m (the
 * member's address), &s[i] of a char pointer, in alloca() memory.
 */
struct pt {
	int	x;
	int	y;
};

BEGIN
{
	this->p = (struct pt *)alloca(2 * sizeof(struct pt));
	this->p[1].y = 42;
	this->q = &this->p[1];
	this->yp = &this->p[1].y;
	this->c = (char *)alloca(4);
	bcopy("ab", &this->c[1], 3);
	printf("%d %d %d %s\n", this->q->y, *this->yp, (long)this->yp - (long)this->p,
	    (string)&this->c[1]);
	exit(0);
}
