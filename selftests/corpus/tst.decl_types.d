/* typedef, struct, union, enum, inline, sizeof and offsetof in a program */
typedef unsigned short port_t;
enum state { IDLE, BUSY = 10, DONE };
inline int LIMIT = DONE * 4;
struct conn { port_t sport; port_t dport; uint64_t bytes; char name[12]; };
union val { int i; uint64_t u; };
typedef struct rec { int a; int b; } rec_t;
translator rec_t < int X > { a = X + 1; b = X * LIMIT; };

BEGIN
{
	printf("%d %d %d\n", BUSY, DONE, LIMIT);
	printf("%d %d %d %d\n", sizeof(struct conn), offsetof(struct conn, bytes),
	    offsetof(struct conn, name), sizeof(union val));
	printf("%d %d\n", sizeof(port_t), (port_t)70000);
	printf("%d %d\n", xlate<rec_t *>(3)->a, xlate<rec_t>(2).b);
	exit(0);
}
