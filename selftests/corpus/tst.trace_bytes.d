/*
 * trace() of structs and unions declared in D (variables of each scope,
 * a struct member of one, through a pointer to alloca() memory) and
 * tracemem() of alloca() memory with its dynamic sizes: the bytes the
 * program wrote, as dtrace(1)'s hex dump (offset, hex, text).
 */
struct pair {
	int	a;
	char	b;
	short	c;
};

struct outer {
	char		tag;
	struct pair	p;
};

struct big {
	long	x;
	long	y;
	int	z;
};

union word {
	int	i;
	char	c[3];
};

struct one {
	char	x;
};

struct pair gp;
struct outer go;
struct big gb;
union word gu;
struct one g1;

BEGIN
{
	gp.a = 0x01020304;
	gp.b = 'A';
	gp.c = -2;
	trace(gp);
	go.tag = 'T';
	go.p.a = 5;
	go.p.b = 'z';
	go.p.c = 0x1234;
	trace(go.p);
	trace(go);
	gb.x = 0x6867666564636261;
	gb.y = -1;
	gb.z = 0x7e;
	trace(gb);
	gu.i = 0x636261;
	trace(gu);
	g1.x = 0x7e;
	trace(g1);
	this->q = gp;
	trace(this->q);
	self->s = gp;
	self->s.b = 'B';
	trace(self->s);
	this->m = (struct pair *)alloca(sizeof(struct pair));
	this->m->a = 7;
	this->m->b = 'm';
	this->m->c = 1;
	trace(*this->m);
	tracemem(this->m, 8);
	tracemem(this->m, 8, 5);
	tracemem(this->m, 8, 0);
	tracemem(this->m, 8, -1);
	tracemem(this->m, 8, 100);
	exit(0);
}
