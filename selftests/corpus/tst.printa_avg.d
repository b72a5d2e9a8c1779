BEGIN
{
	@a = avg(3);
	@a = avg(4);
	printa("avg %@d\n", @a);
	exit(0);
}
