/*
 * Storing 0 to a thread-local struct (or union) variable deletes it, as
 * storing 0 deletes any dynamic variable: its members then read 0, and it
 * can be assigned again.
 */
#pragma D option quiet

struct s {
	int	a;
	long	b;
	char	c;
};

union u {
	int	i;
	long	l;
};

this struct s v;
this union u w;

BEGIN
{
	this->v.a = 7;
	this->v.b = 9;
	this->v.c = 'x';
	this->w.l = 5;
	self->x = this->v;
	self->y = this->w;
	printf("%d %d %c %d\n", self->x.a, self->x.b, self->x.c, self->y.l);
	self->x = 0;
	self->y = 0;
	printf("%d %d %d %d\n", self->x.a, self->x.b, self->x.c, self->y.l);
	this->v.b = 11;
	self->x = this->v;
	printf("%d %d\n", self->x.a, self->x.b);
	exit(0);
}
