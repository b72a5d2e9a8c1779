/*
 * Bit-fields of a struct declared in D, in a struct variable: C's layout
 * (GCC's: sizeof 16 here), signed fields sign-extended, stores truncated
 * to the width, compound assignment and ++, a plain member among them,
 * and a copy to a clause-local variable keeping every field.
 */
struct rec {
	int		a : 3;
	unsigned int	b : 7;
	long		c : 35;
	char		x;
	int		d : 22;
	unsigned long	e : 40;
};

struct rec v;

BEGIN
{
	v.a = 7;
	v.b = 0x1f5;
	v.c = 0x755555555;
	v.x = 'k';
	v.d = 0x355555;
	v.e = 0xfedcba9876;
	v.a += 2;
	v.d++;
	this->w = v;
	printf("%d %u %d %c %d %u\n", v.a, v.b, v.c, v.x, v.d, v.e);
	printf("%d %d %u\n", sizeof(v), this->w.d, this->w.e);
	exit(0);
}
