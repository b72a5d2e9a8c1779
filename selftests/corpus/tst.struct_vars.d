/*
 * Variables of struct and union types declared in D: global, clause-local
 * (this->) and thread-local (self->) ones, declared or declared by their
 * first assignment; member stores of every width, compound assignment and
 * ++; nested members; whole-struct copies between scopes; a union's
 * members sharing bytes; the values kept from clause to clause.
 */
struct coords {
	int	x, y;
};

struct particle {
	struct coords	position;
	struct coords	velocity;
};

union bytes {
	uint64_t	all;
	uint8_t		lo;
	int16_t		lo16;
};

struct coords P, Q;
this struct coords q;
struct particle B;
union bytes U;
self struct coords s;

BEGIN
{
	Q.x = 13;
	Q.y = -14;
	this->q.x = 15;
	this->q.y = 16;
	B.velocity.y = 20;
	B.velocity.y++;
	B.position.x += 3;
	P = Q;
	B.position = this->q;
	C = B;
	this->c = C.velocity;
	self->s = P;
	self->s.x *= 2;
	U.all = 0x1122334455667788;
	U.lo16 = -2;
	printf("%d %d\n", P.x, P.y);
	printf("%d %d %d %d\n", B.position.x, B.position.y, B.velocity.x, B.velocity.y);
	printf("%d %d %d %d\n", C.position.x, C.velocity.y, this->c.x, this->c.y);
	printf("%d %d\n", self->s.x, self->s.y);
	printf("%x %d %d\n", U.all, U.lo, U.lo16);
	printf("%d %d %d\n", sizeof(P), sizeof(B), sizeof(U));
}

BEGIN
{
	printf("%d %d\n", C.position.y, self->s.x);
	exit(0);
}
