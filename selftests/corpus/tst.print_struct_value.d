/*
 * print() of a struct value declared in D (*t of alloca() memory): no
 * address, the members that are set by name and type, the char array to
 * its NUL, the enum by its enumerator, the zeroed member left out; then
 * printsize 6 (setopt() between the two) cuts it: the char array where the
 * bytes end, the enum past them "...".
 */
enum color { RED, GREEN = 5 };
struct item { int id; char tag[6]; enum color c; long zero; };

BEGIN
{
	t = (struct item *)alloca(sizeof (struct item));
	t->id = 42;
	t->tag[0] = 'k';
	t->tag[1] = 't';
	t->c = GREEN;
	print(*t);
	setopt("printsize", "6");
	print(*t);
	exit(0);
}
