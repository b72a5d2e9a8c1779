int total;
string last;
self int depth;

BEGIN
{
	total = total + 3;
	last = "end";
	self->depth = 2;
	printf("%d %s %d\n", total, last, self->depth);
	exit(0);
}
