/*
 * Members of structs and unions declared in D, in alloca() memory: C's
 * layout (sizeof 48, offsetof), loads and stores of every width, compound
 * assignment and ++, nested members, an array member, p[i] and p + 1
 * stepping by the struct's size, and a union's members sharing bytes.
 */
struct point {
	short	x;
	long	y;
};

struct seg {
	char		tag;
	struct point	a, b;
	int		n[2];
};

union word {
	uint64_t	all;
	uint8_t		lo;
	uint16_t	lo16;
};

BEGIN
{
	this->s = (struct seg *)alloca(2 * sizeof(struct seg));
	this->s->tag = 'k';
	this->s->a.x = -3;
	this->s->a.y = 1234567890123;
	this->s->b.x = 40;
	this->s->b.x += 2;
	this->s->b.y = this->s->a.y / 3;
	this->s->n[0] = 7;
	this->s->n[1] = 99;
	this->s[1].tag = 'z';
	this->s[1].a.x = 5;
	(this->s + 1)->a.x++;
	(*this->s).b.y -= 1;
	this->u = (union word *)alloca(sizeof(union word));
	this->u->all = 0x1122334455667788;
	printf("%d %d %d %d\n", sizeof(struct seg), offsetof(struct seg, b),
	    offsetof(struct seg, n), sizeof(union word));
	printf("%c %d %d %d %d %d %d\n", this->s->tag, this->s->a.x, this->s->a.y,
	    this->s->b.x, this->s->b.y, this->s->n[0], this->s->n[1]);
	printf("%c %d\n", this->s[1].tag, (this->s + 1)->a.x);
	printf("%x %x %x\n", this->u->lo, this->u->lo16, this->u->all);
	exit(0);
}
