BEGIN
{
	@c = sum(5);
	printa("a %@d\n", @c);
	printa("b %@d\n", @c);
	exit(0);
}
