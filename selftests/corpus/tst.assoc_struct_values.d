/*
 * Associative arrays (global and thread-local) hold structs declared in
 * D: an element is stored whole, its members read and written in place,
 * copied out whole; storing 0 deletes it (its members then read 0), the
 * other elements keep theirs.
 */
#pragma D option quiet

struct s {
	int	a;
	long	b;
	char	c;
};

this struct s v;

BEGIN
{
	this->v.a = 1;
	this->v.b = 2;
	this->v.c = 'p';
	a["x"] = this->v;
	this->v.a = 3;
	this->v.b = 4;
	this->v.c = 'q';
	a["y"] = this->v;
	self->t[1, 2] = this->v;
	printf("%d %d %c %d %d %c\n", a["x"].a, a["x"].b, a["x"].c, a["y"].a, a["y"].b, a["y"].c);
	a["x"].b = 7;
	a["y"].a++;
	printf("%d %d %d\n", a["x"].b, a["y"].a, self->t[1, 2].b);
	a["x"] = 0;
	self->t[1, 2] = 0;
	printf("%d %d %d %d\n", a["x"].a, a["x"].b, a["y"].a, self->t[1, 2].b);
	this->w = a["y"];
	printf("%d %d %c\n", this->w.a, this->w.b, this->w.c);
	exit(0);
}
